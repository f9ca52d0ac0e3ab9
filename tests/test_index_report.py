"""What `defsearch index` says about bad input, tried as a new user would (issue 15, item 5):
every count and word of the report is true, and bad input is one `defsearch:` line."""
from __future__ import annotations

import pytest

from search.errors import IngestError
from search.index.manifest import current_generation
from search.ingest.decode import decode_bytes


@pytest.mark.parametrize("command", ["index", "watch"])
def test_index_option_naming_a_file_is_one_line(cli, seed_corpus_copy, tmp_path, command):
    afile = tmp_path / "afile"
    afile.write_text("")
    result = cli(command, "--corpus", seed_corpus_copy, "--index", afile)
    assert (result.exit_code, result.output) == (
        1, f"defsearch: {afile} is a file, not an index directory: pass --index DIR\n")
    assert afile.read_text() == ""                # never costs data


def test_binary_starting_with_a_utf16_bom_is_not_text(tmp_path):
    # FF FE, then bytes that pair up into CJK code points: decoded "as UTF-16" this was
    # indexed as an article titled 最牡慢敧膀
    data = b"\xff\xfe\x00garbage\x80\x81" + bytes(range(0x41, 0x5b)) * 20
    with pytest.raises(IngestError, match="not text"):
        decode_bytes(data, tmp_path / "blob.txt")


def test_binary_with_a_utf16_bom_is_skipped_by_the_indexer(cli, seed_corpus_copy, tmp_path):
    blob = seed_corpus_copy / "blob.txt"
    blob.write_bytes(b"\xff\xfe\x00garbage\x80\x81" + b"PK\x03\x04" * 40)
    result = cli("index", "--corpus", seed_corpus_copy, "--index", tmp_path / "index")
    assert f"defsearch: skipped {blob}: binary file, not text" in result.output
    assert "index holds 2 articles" in result.output


@pytest.mark.parametrize("text", [
    "臺海安全評析\n\n兩岸關係近年持續緊張，解放軍在臺灣周邊的軍事活動日益頻繁。\n",
    "An English report\n\nSaved as UTF-16 by a Windows editor, with its byte-order mark.\n",
    "短標題",
])
def test_real_utf16_text_still_decodes(tmp_path, text):
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        assert decode_bytes(bom + text.encode(codec), tmp_path / "a.txt") == text


def test_empty_corpus_warns(cli, tmp_path):
    corpus = tmp_path / "empty"
    corpus.mkdir()
    (corpus / "README.md").write_text("notes")
    result = cli("index", "--corpus", corpus, "--index", tmp_path / "index")
    assert result.exit_code == 0
    assert (f"defsearch: skipped {corpus / 'README.md'}: not an article file (.md; articles "
            "are .txt, .pdf, .jsonl, .html, .htm, .docx)\n") in result.output
    assert (f"defsearch: warning: the index is empty: {corpus} has no .txt, .pdf, .jsonl, "
            ".html, .htm or .docx files: add articles there, then run `defsearch index` "
            "again\n") in result.output


def test_corpus_of_bad_files_only_warns(cli, tmp_path):
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "a.txt").write_text("")
    result = cli("index", "--corpus", corpus, "--index", tmp_path / "index")
    assert f"defsearch: skipped {corpus / 'a.txt'}: empty file\n" in result.output
    assert (f"defsearch: warning: the index is empty: no file of {corpus} could be read "
            "(see the skipped files above)\n") in result.output


def test_report_counts_skipped_files_apart(cli, seed_corpus_copy, tmp_path):
    (seed_corpus_copy / "empty.txt").write_text("")
    (seed_corpus_copy / "nul.txt").write_bytes(b"\x00\x01\x02\x03")
    index_dir = tmp_path / "index"
    result = cli("index", "--corpus", seed_corpus_copy, "--index", index_dir)
    gen = current_generation(index_dir).name
    assert (f"built index at {index_dir} ({gen}): 2 added, 0 changed, 0 deleted, "
            "0 unchanged, 2 skipped\n") in result.output
    assert "rebuilt" not in result.output         # nothing was there to rebuild
    assert "warning" not in result.output


def test_plain_update_does_not_claim_a_rebuild(cli, seed_corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    assert cli("index", "--corpus", seed_corpus_copy, "--index", index_dir).exit_code == 0
    # a new article naming a new 「name」 changes the mined lexicon: every file is analysed
    # again, and the report says exactly that, once
    (seed_corpus_copy / "new.txt").write_text("新文章標題\n\n這是「新名字」的文章，很短。\n")
    result = cli("index", "--corpus", seed_corpus_copy, "--index", index_dir)
    gen = current_generation(index_dir).name
    assert (f"updated index at {index_dir} ({gen}): 1 added, 0 changed, 0 deleted, "
            "2 unchanged\n") in result.output
    assert ("re-analysed all 3 files: the mined lexicon changed (+1/-0 names)\n"
            in result.output)
    assert "rebuilt" not in result.output
    assert result.output.count("re-analysed") == 1

    (seed_corpus_copy / "new2.txt").write_text("又一篇\n\n這是普通的文章，很短。\n")
    result = cli("index", "--corpus", seed_corpus_copy, "--index", index_dir)
    assert "1 added, 0 changed, 0 deleted, 3 unchanged\n" in result.output
    assert "re-analysed" not in result.output


def test_changed_file_that_turned_bad_is_counted_as_skipped(cli, seed_corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    assert cli("index", "--corpus", seed_corpus_copy, "--index", index_dir).exit_code == 0
    bad = sorted(seed_corpus_copy.glob("*.txt"))[0]
    bad.write_bytes(b"\x00\x01\x02\x03")
    result = cli("index", "--corpus", seed_corpus_copy, "--index", index_dir)
    assert "0 added, 0 changed, 0 deleted, 1 unchanged, 1 skipped\n" in result.output
    assert f"defsearch: skipped {bad}: " in result.output
