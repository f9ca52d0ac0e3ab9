"""A real authenticating front for the test cluster: HTTP Basic auth, then the request passed
on to one node, as a reverse proxy (or the security plugin) in front of a production cluster.

The test cluster runs without the security plugin (its jars are not on Maven Central in a
form a plain node loads), so credentials are checked here: a request without the right
`Authorization` header gets the 401 the security plugin sends, any other is forwarded
unchanged and its answer returned unchanged.
"""
from __future__ import annotations

import base64
import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
       "proxy-authorization", "proxy-authenticate", "content-length"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client closing its kept-alive connection is no error of the front (and a
        traceback printed from this thread would land in the output a test reads)."""


class AuthProxy:
    def __init__(self, upstream: str, user: str, password: str):
        self.upstream = urlsplit(upstream)
        self.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.refused = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):      # quiet: pytest shows failures, not traffic
                pass

            def _any(self):
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else None
                if self.headers.get("Authorization") != proxy.expected:
                    proxy.refused += 1
                    out = json.dumps({"error": {"type": "security_exception", "reason":
                                                "Unauthorized"}, "status": 401}).encode()
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="OpenSearch Security"')
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                    return
                conn = http.client.HTTPConnection(proxy.upstream.hostname,
                                                  proxy.upstream.port, timeout=60)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in HOP and k.lower() != "authorization"}
                conn.request(self.command, self.path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    if k.lower() not in HOP:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
