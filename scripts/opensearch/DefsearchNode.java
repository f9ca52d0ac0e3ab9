// One OpenSearch node in its own JVM, started from the Maven Central jars that pom.xml
// resolves (no distribution tarball is served there). scripts/opensearch-cluster runs three
// of these on loopback: each is a separate process, so a test can kill -9 one of them.
//
// Usage: java -cp CLASSPATH DefsearchNode NAME HOME HTTP_PORT TRANSPORT_PORT SEEDS MASTERS [PARENT_PID]
//   SEEDS: comma-separated transport addresses, MASTERS: comma-separated node names;
//   PARENT_PID: the node exits when that process does (a test run killed midway leaves no
//   JVM behind).
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.transport.Netty4Plugin;

public class DefsearchNode {

    /** Node's constructor that takes classpath plugins is protected: this opens it. */
    static final class PluginNode extends Node {
        PluginNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Path home = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(home.resolve("config"));
        Settings settings = Settings.builder()
                .put("cluster.name", "defsearch-test")
                .put("node.name", name)
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("network.host", "127.0.0.1")
                .put("http.port", args[2])
                .put("transport.port", args[3])
                .putList("discovery.seed_hosts", Arrays.asList(args[4].split(",")))
                .putList("cluster.initial_cluster_manager_nodes", Arrays.asList(args[5].split(",")))
                .put("http.type", "netty4")
                .put("transport.type", "netty4")
                // a test machine: no disk-watermark surprises, quick failover
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.auto_create_index", false)
                // the serial collector leaves garbage until the heap is full: count what
                // requests reserve, not the heap's current size, or a busy node refuses
                // searches (429) that it could answer
                .put("indices.breaker.total.use_real_memory", false)
                .build();
        LogConfigurator.configureWithoutConfig(settings);
        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(),
                home.resolve("config"), () -> name);
        List<Class<? extends Plugin>> plugins = List.of(Netty4Plugin.class, CommonAnalysisPlugin.class);
        Node node = new PluginNode(env, plugins);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                // exiting anyway
            }
            stopped.countDown();
        }));
        if (args.length > 6 && !args[6].equals("0")) {
            ProcessHandle.of(Long.parseLong(args[6])).ifPresentOrElse(
                    parent -> parent.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        }
        node.start();
        System.out.println("defsearch-node " + name + " started");
        stopped.await();
    }
}
