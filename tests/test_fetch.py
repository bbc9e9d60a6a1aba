"""`cnaikg fetch` and `cnaikg update` against a real HTTP server on 127.0.0.1 serving recorded responses (never the internet).

The server replays, per path, a list of recorded answers in order (the last one repeats):
200 with ETag/Last-Modified, 304 for a matching If-None-Match, 404, 500 then 200, a slow
answer (timeout), a truncated body (Content-Length larger than what is sent) and an
oversized body.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from cnaikg.loaders.fetch import FetchError, fetch_source, fetch_url, read_meta, source_requests
from conftest import run_cli
from loaders_fixtures import LOADERS, fixture_data_dir

CSL_PATH = "/static/consolidated_screening_list/consolidated.csv"
CSL_BODY = (LOADERS / "sanctions" / "consolidated.csv").read_bytes()


class Recorded(http.server.BaseHTTPRequestHandler):
    """Replays ``server.script[path]``: a list of answers, each a dict (status, body, headers, delay, truncate, etag)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        srv: Any = self.server
        path = self.path.split("?")[0]
        srv.requests.append((path, dict(self.headers)))
        answers = srv.script.get(path) or [{"status": 404, "body": b"not found"}]
        n = srv.served.get(path, 0)
        srv.served[path] = n + 1
        a = answers[min(n, len(answers) - 1)]
        if a.get("delay"):
            time.sleep(a["delay"])
        etag = a.get("etag")
        if etag and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = a.get("body", b"")
        self.send_response(a.get("status", 200))
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Last-Modified", "Mon, 01 Dec 2025 08:00:00 GMT")
        if not a.get("no_length"):
            self.send_header("Content-Length", str(a.get("length", len(body))))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(body[: a["truncate"]] if "truncate" in a else body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        if "truncate" in a or a.get("no_length"):
            self.close_connection = True


@pytest.fixture
def server():
    srv: Any = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    srv.script, srv.requests, srv.served = {}, [], {}
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"
    yield srv
    srv.shutdown()
    srv.server_close()


FAST = {"retries": 2, "backoff": 0.0, "quiet": True, "timeout": 5.0}


def test_source_urls_are_the_published_ones_and_the_base_url_only_swaps_the_host():
    assert source_requests("csl")[0].url == "https://api.trade.gov/static/consolidated_screening_list/consolidated.csv"
    assert source_requests("opensanctions:us_ofac_sdn")[0].url == "https://data.opensanctions.org/datasets/latest/us_ofac_sdn/entities.ftm.json"
    (w,) = source_requests("wikidata:Q42,Q1", base_url="http://127.0.0.1:1/mirror")
    assert w.url.startswith("http://127.0.0.1:1/mirror/w/api.php?action=wbgetentities&ids=Q42%7CQ1&")
    for bad, why in (("opensanctions:../etc", "dataset id"), ("wikidata:Q1,42", "not a Wikidata item id"), ("cls", "no source named")):
        with pytest.raises(FetchError, match=why):
            source_requests(bad)


def test_200_then_304_keeps_the_copy_and_sends_the_validators(server, tmp_path):
    server.script[CSL_PATH] = [{"body": CSL_BODY, "etag": '"v1"'}]
    path, (r1,) = fetch_source("csl", cache_dir=tmp_path, base_url=server.base, **FAST)
    assert (r1.status, path.read_bytes()) == ("downloaded", CSL_BODY)
    meta = read_meta(path)
    assert meta["etag"] == '"v1"' and meta["bytes"] == len(CSL_BODY) and meta["last_modified"].startswith("Mon, 01 Dec 2025")
    assert len(meta["sha256"]) == 64 and meta["url"] == server.base + CSL_PATH
    _, (r2,) = fetch_source("csl", cache_dir=tmp_path, base_url=server.base, **FAST)
    assert r2.status == "not-modified" and r2.fetched_at == r1.fetched_at
    sent = server.requests[-1][1]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"] == "Mon, 01 Dec 2025 08:00:00 GMT"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "no temporary file is left behind"


def test_404_is_a_clear_error_and_writes_nothing(server, tmp_path):
    with pytest.raises(FetchError, match=r"HTTP 404 .*dataset id does not exist"):
        fetch_source("opensanctions:no_such_set", cache_dir=tmp_path, base_url=server.base, **FAST)
    assert len(server.requests) == 1, "a 404 is not retried"
    assert not list(tmp_path.rglob("entities.ftm.json"))


def test_500_then_200_is_retried_with_backoff(server, tmp_path):
    server.script[CSL_PATH] = [{"status": 500, "body": b"oops"}, {"status": 503, "body": b"busy"}, {"body": CSL_BODY}]
    waits: list[float] = []
    r = fetch_url(server.base + CSL_PATH, tmp_path / "c.csv", retries=3, backoff=0.5, quiet=True, sleep=waits.append)
    assert (r.status, r.attempts, waits) == ("downloaded", 3, [0.5, 1.0]), "exponential backoff, bounded retries"
    assert (tmp_path / "c.csv").read_bytes() == CSL_BODY


def test_a_source_that_keeps_failing_gives_up_after_the_retries(server, tmp_path):
    server.script[CSL_PATH] = [{"status": 500, "body": b"down"}]
    with pytest.raises(FetchError, match=r"HTTP 500 .*no cached copy"):
        fetch_url(server.base + CSL_PATH, tmp_path / "c.csv", **FAST)
    assert server.served[CSL_PATH] == 3


def test_slow_answer_times_out_and_the_last_good_copy_is_used_with_its_date(server, tmp_path):
    server.script[CSL_PATH] = [{"body": CSL_BODY}, {"body": b"late", "delay": 1.5}]
    first = fetch_url(server.base + CSL_PATH, tmp_path / "c.csv", **FAST)
    r = fetch_url(server.base + CSL_PATH, tmp_path / "c.csv", retries=1, backoff=0.0, quiet=True, timeout=0.3)
    assert r.status == "offline" and r.fetched_at == first.fetched_at
    assert r.message.startswith("offline: ") and f"using the last good copy, fetched {first.fetched_at}" in r.message
    assert (tmp_path / "c.csv").read_bytes() == CSL_BODY


def test_unreachable_server_offline_with_and_without_a_copy(tmp_path, server):
    server.script[CSL_PATH] = [{"body": CSL_BODY}]
    fetch_url(server.base + CSL_PATH, tmp_path / "c.csv", **FAST)
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens
    r = fetch_url(dead + CSL_PATH, tmp_path / "c.csv", **FAST)
    assert r.status == "offline" and "cannot reach the server" in r.message
    with pytest.raises(FetchError, match="no cached copy"):
        fetch_url(dead + CSL_PATH, tmp_path / "other.csv", **FAST)


def test_truncated_body_is_retried_and_never_replaces_the_good_copy(server, tmp_path):
    server.script[CSL_PATH] = [{"body": CSL_BODY}, {"body": b"x" * 100, "length": 5000, "truncate": 100}]
    fetch_url(server.base + CSL_PATH, tmp_path / "c.csv", **FAST)
    r = fetch_url(server.base + CSL_PATH, tmp_path / "c.csv", **FAST)
    assert r.status == "offline" and "truncated body" in r.message and server.served[CSL_PATH] == 4
    assert (tmp_path / "c.csv").read_bytes() == CSL_BODY and read_meta(tmp_path / "c.csv")["bytes"] == len(CSL_BODY)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_oversized_body_is_refused_by_header_and_while_streaming(server, tmp_path):
    server.script["/big"] = [{"body": b"y" * 5000}]
    server.script["/stream"] = [{"body": b"z" * 200_000, "no_length": True}]
    with pytest.raises(FetchError, match=r"more than the limit of 0\.0 MB; raise it with --max-mb"):
        fetch_url(server.base + "/big", tmp_path / "big", max_bytes=1000, **FAST)
    with pytest.raises(FetchError, match="passed the limit"):
        fetch_url(server.base + "/stream", tmp_path / "stream", max_bytes=100_000, **FAST)
    assert not list(tmp_path.iterdir()), "nothing is left in the cache"
    assert server.served["/big"] == 1, "a refused size is not retried"


def test_wikidata_batches_are_merged_into_one_file_the_loader_reads(server, tmp_path):
    body = (Path(__file__).parent / "data" / "wikidata" / "wbgetentities.json").read_bytes()
    server.script["/w/api.php"] = [{"body": body}]
    qids = list(json.loads(body)["entities"])
    path, results = fetch_source("wikidata:" + ",".join(qids), cache_dir=tmp_path, base_url=server.base, **FAST)
    assert [r.status for r in results] == ["downloaded"] and path.name == "entities.json"
    assert sorted(json.loads(path.read_text(encoding="utf-8"))["entities"]) == sorted(qids)


def test_cli_fetch_and_update_write_one_review_folder(server, tmp_path):
    server.script[CSL_PATH] = [{"body": CSL_BODY, "etag": '"a"'}]
    data = fixture_data_dir(tmp_path)
    env = {"CNAIKG_FETCH_BASE_URL": server.base, "CNAIKG_FETCH_CACHE": str(tmp_path / "cache"), "CNAIKG_QUIET": "1"}
    p = run_cli("fetch", "csl", "--format", "json", env=env, check=True)
    (row,) = json.loads(p.stdout)
    assert row["status"] == "downloaded" and Path(row["path"]).read_bytes() == CSL_BODY
    p = run_cli("update", "csl", "--data", str(data), "--out", str(tmp_path / "rev"), "--retries", "0", env=env, check=True)
    rep = json.loads((tmp_path / "rev" / "update_report.json").read_text(encoding="utf-8"))
    (src,) = rep["sources"]
    assert src["status"] == "not-modified" and src["urls"] == [server.base + CSL_PATH]
    rows = {n: list(csv.DictReader(io.StringIO((tmp_path / "rev" / n).read_text(encoding="utf-8"))))
            for n in ("new.csv", "changed.csv", "known.csv", "conflicts.csv", "review.csv")}
    listed = {(r["subject"], r["object"]) for n in ("new.csv", "changed.csv", "known.csv") for r in rows[n]}
    assert {s for s, _ in listed} == {"smic", "zhipu-ai"}, "every loaded fact lands in exactly one file"
    # "Inspur Group Co. Ltd." with the alias 浪潮信息 names two entities (inspur-group by name, inspur by alias):
    # never merged, it goes to review with both candidates instead of vanishing
    (inspur,) = [r for r in rows["conflicts.csv"] if r["subject_name"] == "Inspur Group Co. Ltd."]
    assert inspur["relation"] == "ON_LIST" and inspur["object"] == "us-entity-list" and inspur["decision"] == ""
    assert "-> inspur-group by" in inspur["conflict"] and "'浪潮信息' -> inspur by alias" in inspur["conflict"], inspur
    assert sum(len(rows[n]) for n in ("new.csv", "changed.csv", "known.csv")) == src["facts"]
    for r in rows["new.csv"]:
        assert r["source_url"] == server.base + CSL_PATH and r["kind"] == "candidate" and r["decision"] == ""
    # the server goes away: update still runs on the last good copy and says so
    server.script[CSL_PATH] = [{"status": 503, "body": b"down"}]
    p = run_cli("update", "csl", "--data", str(data), "--out", str(tmp_path / "rev2"), "--retries", "0", env=env, check=True)
    assert "offline" in p.stderr and "using the last good copy, fetched" in p.stderr
    assert json.loads((tmp_path / "rev2" / "update_report.json").read_text(encoding="utf-8"))["sources"][0]["status"] == "offline"


def test_cli_fetch_errors_are_one_line(server, tmp_path):
    env = {"CNAIKG_FETCH_BASE_URL": server.base, "CNAIKG_FETCH_CACHE": str(tmp_path)}
    p = run_cli("fetch", "opensanctions:missing_set", "--retries", "0", env=env)
    assert p.returncode == 2 and "HTTP 404" in p.stderr and "Traceback" not in p.stderr
    p = run_cli("fetch", "--list", "--format", "csv")
    assert p.returncode == 0 and "CC BY-NC 4.0" in p.stdout and "CC0" in p.stdout
