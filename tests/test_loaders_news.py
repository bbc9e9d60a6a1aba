"""News articles, English and Chinese: mentions, candidate facts, conflicts with the curated data, and the accept step."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from cnaikg import registry
from cnaikg.errors import DataError, LoaderError
from cnaikg.graph.kg import KnowledgeGraph
from cnaikg.loaders.accept import accept_review
from cnaikg.loaders.base import REVIEW_COLUMNS, Loader
from cnaikg.loaders.curated import read_dataset
from cnaikg.loaders.news import extract_candidates, find_mentions, load_news, read_article
from conftest import run_cli
from loaders_fixtures import LOADERS, fixture_data_dir

NEWS = LOADERS / "news"
TODAY = dt.date(2026, 1, 10)


def news_data_dir(tmp: Path) -> Path:
    """The loaders' fixture graph plus a few products and their developers (tests/data/loaders/news/graph)."""
    d = fixture_data_dir(tmp)
    for sub in ("entities", "relationships", "sources"):
        shutil.copytree(NEWS / "graph" / sub, d / sub)
    return d


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return news_data_dir(tmp_path_factory.mktemp("news"))


@pytest.fixture(scope="module")
def kg(data):
    return KnowledgeGraph.from_dataset(data)


def triples(cands):
    return {(c.subject, c.relation, c.object, tuple(sorted(c.properties.items()))) for c in cands}


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# --------------------------------------------------------------------------- mentions


def test_news_is_a_registered_loader_that_keeps_the_contract():
    cls = registry.get("loader", "news")
    assert issubclass(cls, Loader) and cls.name == "news" and {"url", "date"} <= set(cls.options)


def test_mentions_by_name_chinese_name_alias_and_both_ticker_forms(kg):
    text = ("Moore Threads (688795.SS) and Baidu (BIDU, 9888.HK) rose; 中芯国际集成电路制造有限公司 and 摩尔线程 were quiet, "
            "Semiconductor Manufacturing International said, while SH688981 fell on the Shanghai Stock Exchange.")
    got = [(m.entity_id, m.text, m.method, m.ticker) for m in find_mentions(kg, text)]
    assert got == [
        ("moore-threads", "Moore Threads", "alias", "688795.SS"),
        ("baidu", "Baidu", "alias", "BIDU, 9888.HK"),
        ("smic", "中芯国际集成电路制造有限公司", "name_zh", ""),
        ("moore-threads", "摩尔线程", "alias", ""),
        ("smic", "Semiconductor Manufacturing International", "normalized-name", ""),
        ("smic", "SH688981", "ticker", "SH688981"),
        ("sse", "Shanghai Stock Exchange", "name", ""),
    ], "longest match wins: the exchange, not the city Shanghai"


def test_a_ticker_nobody_has_or_letters_in_brackets_are_handled(kg):
    (c,) = extract_candidates(kg, "Moore Threads (688799.SS) fell.")
    assert (c.kind, c.properties) == ("conflict", {"ticker": "688799.SS"})
    assert c.conflict == "the article writes Moore Threads (688799.SS), but the curated data lists moore-threads on sse as 688795.SS"
    got = [(m.entity_id, m.text, m.ticker) for m in find_mentions(kg, "中芯国际（SMIC）扩产。")]
    assert got == [("smic", "中芯国际", ""), ("smic", "SMIC", "")], "SMIC in brackets is a name, not a ticker"
    assert extract_candidates(kg, "中芯国际（SMIC）扩产。") == []


def test_news_never_fuzzy_merges_and_ignores_unknown_tickers_and_lowercase_acronyms(kg):
    text = "Moor Threads (688999.SS) beat Cambrikon; smic is a word here, THU is not Tsinghua's ticker."
    assert [(m.entity_id, m.text) for m in find_mentions(kg, text)] == [("tsinghua", "THU")]


# --------------------------------------------------------------------------- patterns

PATTERN_CASES = [
    ("SMIC supplies wafers to Moore Threads.", ("smic", "SUPPLIES", "moore-threads", ())),
    ("Moore Threads buys its wafers from SMIC.", ("smic", "SUPPLIES", "moore-threads", ())),
    ("中芯国际向摩尔线程供应晶圆。", ("smic", "SUPPLIES", "moore-threads", ())),
    ("中芯国际是华为的主要供应商。", ("smic", "SUPPLIES", "huawei", ())),
    ("Big Fund II invested in Moore Threads in 2022.", ("big-fund-ii", "INVESTS_IN", "moore-threads", ())),
    ("Moonshot AI raised $1 billion in a round led by Alibaba.", ("alibaba", "INVESTS_IN", "moonshot-ai", (("amount", "1000000000"), ("currency", "USD")))),
    ("大基金二期入股摩尔线程。", ("big-fund-ii", "INVESTS_IN", "moore-threads", ())),
    ("月之暗面宣布完成阿里巴巴领投的新一轮融资。", ("alibaba", "INVESTS_IN", "moonshot-ai", ())),
    ("Moore Threads has partnered with China Mobile on computing clusters.", ("china-mobile", "PARTNERS_WITH", "moore-threads", ())),
    ("Zhipu AI and Tsinghua University signed a strategic partnership.", ("tsinghua", "PARTNERS_WITH", "zhipu-ai", ())),
    ("摩尔线程与中国移动签署战略合作协议。", ("china-mobile", "PARTNERS_WITH", "moore-threads", ())),
    ("Zhipu AI debuted on HKEX on Friday.", ("zhipu-ai", "LISTED_ON", "hkex", ())),
    ("摩尔线程（688795.SH）在上海证券交易所科创板上市。", ("moore-threads", "LISTED_ON", "sse", (("ticker", "688795.SS"),))),
    ("Baidu unveiled the Kunlun P800 this year.", ("baidu", "DEVELOPS", "kunlun-p800", ())),
    ("The Kunlun P800, developed by Baidu, ships in 2025.", ("baidu", "DEVELOPS", "kunlun-p800", ())),
    ("百度发布了昆仑芯P800。", ("baidu", "DEVELOPS", "kunlun-p800", ())),
    ("Moore Threads was founded in 2020 by former employees of NVIDIA.", ("moore-threads", "AFFILIATED_WITH", "nvidia", (("kind", "alumni_founder"),))),
    ("Former Huawei engineers founded Biren Technology.", ("biren", "AFFILIATED_WITH", "huawei", (("kind", "alumni_founder"),))),
    ("壁仞科技由前华为高管创立。", ("biren", "AFFILIATED_WITH", "huawei", (("kind", "alumni_founder"),))),
    ("MiniMax, headquartered in Shanghai, hired 200 people.", ("minimax", "LOCATED_IN", "shanghai", (("role", "headquarters"),))),
    ("Shanghai-based MiniMax hired 200 people.", ("minimax", "LOCATED_IN", "shanghai", (("role", "headquarters"),))),
    ("稀宇科技总部位于上海。", ("minimax", "LOCATED_IN", "shanghai", (("role", "headquarters"),))),
]


@pytest.mark.parametrize("sentence,expected", PATTERN_CASES, ids=[c[0][:40] for c in PATTERN_CASES])
def test_each_relation_pattern_in_english_and_chinese(kg, sentence, expected):
    assert triples(extract_candidates(kg, sentence)) == {expected}


# --------------------------------------------------------------------------- across sentences (hand-written cases, not from the evaluation set)

CROSS_SENTENCE_CASES = [
    # a pronoun or "the company" carries the subject of an earlier sentence
    ("Moore Threads reported results. Its investors include Big Fund II and China Mobile.",
     {("big-fund-ii", "INVESTS_IN", "moore-threads"), ("china-mobile", "INVESTS_IN", "moore-threads")}),
    ("Zhipu AI opened an office. The Beijing-based company is hiring.", {("zhipu-ai", "LOCATED_IN", "beijing")}),
    ("Zhipu AI opened an office. This Beijing-based firm is hiring.", {("zhipu-ai", "LOCATED_IN", "beijing")}),
    ("智谱发布了新模型。该公司总部位于北京。", {("zhipu-ai", "LOCATED_IN", "beijing")}),
    ("月之暗面完成新一轮融资。其投资方包括阿里巴巴。", {("alibaba", "INVESTS_IN", "moonshot-ai")}),
    # an appositive pins the city on its own company, not on the next one
    ("MiniMax, a Shanghai-based start-up, partnered with Zhipu AI.",
     {("minimax", "LOCATED_IN", "shanghai"), ("minimax", "PARTNERS_WITH", "zhipu-ai")}),
    # lists
    ("Moore Threads is backed by Big Fund II, China Mobile and Tencent.",
     {("big-fund-ii", "INVESTS_IN", "moore-threads"), ("china-mobile", "INVESTS_IN", "moore-threads"), ("tencent", "INVESTS_IN", "moore-threads")}),
    ("摩尔线程获得大基金二期、中国移动和腾讯的投资。",
     {("big-fund-ii", "INVESTS_IN", "moore-threads"), ("china-mobile", "INVESTS_IN", "moore-threads"), ("tencent", "INVESTS_IN", "moore-threads")}),
    # a co-investor invests in the company, not in the lead
    ("The round for Moonshot AI was led by Alibaba, with participation from Tencent.",
     {("alibaba", "INVESTS_IN", "moonshot-ai"), ("tencent", "INVESTS_IN", "moonshot-ai")}),
    # boards of exchanges and X-listed
    ("Moore Threads debuted on the STAR Market on Friday.", {("moore-threads", "LISTED_ON", "sse")}),
    ("SMIC's Hong Kong-listed shares fell.", {("smic", "LISTED_ON", "hkex")}),
]


@pytest.mark.parametrize("text,expected", CROSS_SENTENCE_CASES, ids=[c[0][:40] for c in CROSS_SENTENCE_CASES])
def test_subjects_carry_across_sentences_appositives_and_lists(kg, text, expected):
    assert {(c.subject, c.relation, c.object) for c in extract_candidates(kg, text)} == expected


@pytest.fixture(scope="module")
def shipped():
    from cnaikg.graph import build_graph

    return build_graph()


FOUNDER_CASES = [  # founders, in both languages, including "Founder X" about the company the text is about (shipped graph)
    ("Zhang Jianzhong, the founder and CEO of Moore Threads, spoke.", {("moore-threads", "FOUNDED_BY", "zhang-jianzhong")}),
    ("Moore Threads listed. Founder Zhang Jianzhong rang the bell.", {("moore-threads", "FOUNDED_BY", "zhang-jianzhong")}),
    ("摩尔线程今日上市。创始人张建中出席。", {("moore-threads", "FOUNDED_BY", "zhang-jianzhong")}),
    ("Cambricon was founded in 2016 by Chen Tianshi and Chen Yunji.",
     {("cambricon", "FOUNDED_BY", "chen-tianshi"), ("cambricon", "FOUNDED_BY", "chen-yunji")}),
]


@pytest.mark.parametrize("text,expected", FOUNDER_CASES, ids=[c[0][:40] for c in FOUNDER_CASES])
def test_founders_in_english_and_chinese(shipped, text, expected):
    assert {(c.subject, c.relation, c.object) for c in extract_candidates(shipped, text)} == expected


def test_a_row_resting_on_an_earlier_sentence_shows_both_sentences(kg):
    (c,) = extract_candidates(kg, "Zhipu AI opened an office. The Beijing-based company is hiring.")
    assert c.sentence == "Zhipu AI opened an office. […] The Beijing-based company is hiring."
    assert "'company'->zhipu-ai by coreference" in c.resolution


def test_round_amount_and_year_carry_to_the_sentence_that_names_the_lead(kg):
    (c,) = [c for c in extract_candidates(kg, "Moonshot AI raised $1 billion in 2024. The deal was led by Alibaba.", date="2025-03-01")
            if c.relation == "INVESTS_IN"]
    assert (c.subject, c.object, c.properties, c.since) == ("alibaba", "moonshot-ai", {"amount": "1000000000", "currency": "USD"}, "2024")
    (c,) = extract_candidates(kg, "月之暗面去年完成5亿美元融资,由阿里巴巴领投。", date="2025-03-01")
    assert (c.subject, c.object, c.properties["amount"], c.properties["currency"], c.since) == ("alibaba", "moonshot-ai", "500000000", "USD", "2024")


def test_an_alias_equal_to_a_ticker_is_a_name_when_written_as_one(shipped):
    got = [(m.entity_id, m.method) for m in find_mentions(shipped, "AMD and UBS said Baidu buys chips; amd is not a name.")]
    assert [g[0] for g in got] == ["amd", "ubs", "baidu"] and got[:2] == [("amd", "alias"), ("ubs", "alias")]
    assert {(c.subject, c.relation, c.object) for c in extract_candidates(shipped, "AMD supplies chips to Baidu.")} == {("amd", "SUPPLIES", "baidu")}


def test_a_false_year_for_a_known_round_is_a_conflict_with_both_sides(shipped):
    text = "MiniMax raised $600 million in a 2023 funding round. This round was led by Alibaba."
    (c,) = [c for c in extract_candidates(shipped, text, date="2025-06-01") if c.relation == "INVESTS_IN"]
    assert (c.kind, c.subject, c.object, c.since) == ("conflict", "alibaba", "minimax", "2023")
    assert "dates it 2024" in c.conflict and "amount=600000000" in c.curated
    (k,) = [c for c in extract_candidates(shipped, text.replace("2023", "2024"), date="2025-06-01") if c.relation == "INVESTS_IN"]
    assert k.kind == "known", "the same round with the curated year corroborates"


def test_anaphors_without_a_focus_give_nothing_and_funds_are_never_the_company(kg):
    assert extract_candidates(kg, "The Beijing-based company is hiring.") == []
    got = {(c.subject, c.relation, c.object) for c in extract_candidates(kg, "Big Fund II said so. The Shanghai-based company is hiring.")}
    assert got == set(), "a fund is not 'the company'"


def test_a_planned_or_filed_listing_is_not_a_listing(kg):
    assert extract_candidates(kg, "Moore Threads filed for a STAR Market IPO on Monday.") == []
    assert extract_candidates(kg, "摩尔线程计划在科创板上市。") == []
    assert triples(extract_candidates(kg, "Moore Threads debuted on the STAR Market on Friday.")) == {("moore-threads", "LISTED_ON", "sse", ())}


def test_types_must_fit_the_ontology_and_unrelated_sentences_give_nothing(kg):
    assert triples(extract_candidates(kg, "Beijing invested in Shanghai.")) == set(), "places do not invest"
    assert triples(extract_candidates(kg, "SMIC and Huawei both reported results.")) == set()


# --------------------------------------------------------------------------- the two fixture articles


def test_english_article_gives_candidates_and_known_facts_with_sentence_and_source(kg):
    res = load_news(NEWS / "en_article.txt", kg=kg, today=TODAY)
    assert res.facts == [], "nothing from news enters the graph"
    rows = {(r["kind"], r["subject"], r["relation"], r["object"]): r for r in res.review}
    assert ("candidate", "smic", "SUPPLIES", "moore-threads") in rows
    assert ("candidate", "moore-threads", "AFFILIATED_WITH", "nvidia") in rows, "through the clause 'which is headquartered in Beijing'"
    assert ("known", "moore-threads", "LISTED_ON", "sse") in rows and ("known", "moore-threads", "LOCATED_IN", "beijing") in rows
    r = rows[("candidate", "big-fund-ii", "INVESTS_IN", "moore-threads")]
    assert r["decision"] == "" and r["confidence"] in ("medium", "low") and r["score"] >= 50
    assert r["evidence"] == "Big Fund II invested in Moore Threads in a 2022 round, the filing shows."
    assert (r["source_url"], r["source_published"], r["source_publisher"]) == (
        "https://news.example.org/2025/12/05/moore-threads-star-market-debut", "2025-12-05", "Example Wire (test fixture)")
    assert "line 11" in r["method"]
    assert res.report.counts["mentions_moore-threads"] == 5 and res.report.counts["mentions_baidu"] == 1


def test_chinese_article_gives_the_same_kinds_of_candidates(kg):
    res = load_news(NEWS / "zh_article.txt", kg=kg, today=TODAY)
    got = {(r["kind"], r["subject"], r["relation"], r["object"], r["properties"]) for r in res.review}
    assert got >= {
        ("known", "moore-threads", "LISTED_ON", "sse", "ticker=688795.SS"),
        ("candidate", "moore-threads", "AFFILIATED_WITH", "nvidia", "kind=alumni_founder"),
        ("candidate", "smic", "SUPPLIES", "moore-threads", ""),
        ("candidate", "alibaba", "INVESTS_IN", "moonshot-ai", ""),
        ("candidate", "minimax", "LOCATED_IN", "shanghai", "role=headquarters"),
        ("known", "huawei", "DEVELOPS", "ascend-910b", ""),
    }
    assert all(r["source_url"] == "https://news.example.cn/2025/12/06/moore-threads-star-market" for r in res.review)
    assert {r["source_publisher"] for r in res.review} == {"示例财经（测试样例）"}


def test_conflicts_show_both_sides_headquarters_ticker_and_product(kg):
    res = load_news(NEWS / "en_conflicts.txt", kg=kg, today=TODAY)
    conflicts = {(r["subject"], r["relation"], r["object"]): r for r in res.review if r["kind"] == "conflict"}
    hq = conflicts[("moore-threads", "LOCATED_IN", "shanghai")]
    assert "shanghai" in hq["conflict"] and "beijing" in hq["conflict"]
    assert hq["curated"] == "moore-threads LOCATED_IN beijing (role=headquarters) [src-f]"
    tick = conflicts[("moore-threads", "LISTED_ON", "sse")]
    assert tick["properties"] == "ticker=688802.SS"
    assert "688802.SS is the ticker of metax" in tick["conflict"] and "688795.SS" in tick["conflict"]
    assert "metax LISTED_ON sse (ticker=688802.SS)" in tick["curated"]
    prod = conflicts[("cambricon", "DEVELOPS", "mtt-s4000")]
    assert "developed by moore-threads" in prod["conflict"] and prod["curated"].startswith("moore-threads DEVELOPS mtt-s4000")
    assert ("huawei", "DEVELOPS", "siyuan-590") in conflicts, "the same check in a Chinese sentence"


# --------------------------------------------------------------------------- command line and accept


def _decide(review: Path, decide) -> Path:
    rows = read_csv(review)
    for r in rows:
        r["decision"] = decide(r)
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    review.write_text(buf.getvalue(), encoding="utf-8")
    return review


def test_cli_load_news_then_accept_appends_valid_rows_and_the_folder_still_validates(tmp_path):
    data = news_data_dir(tmp_path)
    out = tmp_path / "out"
    proc = run_cli("load", "news", str(NEWS / "en_article.txt"), "--data", str(data), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    review = out / "review.csv"
    assert review.read_text(encoding="utf-8").splitlines()[0] == ",".join(REVIEW_COLUMNS)
    assert json.loads((out / "load_report.json").read_text())["facts"] == 0
    wanted = {("smic", "SUPPLIES"), ("big-fund-ii", "INVESTS_IN"), ("moore-threads", "AFFILIATED_WITH"), ("minimax", "LOCATED_IN")}
    _decide(review, lambda r: "accept" if (r["subject"], r["relation"]) in wanted or r["object"] == "beijing" else "reject")

    proc = run_cli("accept", str(review), "--data", str(data), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    appended = json.loads(proc.stdout)
    assert {(a["subject"], a["relation"]) for a in appended} == wanted
    assert "4 rows appended, 1 known facts now cite the article, 0 already present, 1 sources added" in proc.stderr
    assert "moore-threads LOCATED_IN beijing (" in proc.stderr and "now also cites news-" in proc.stderr, \
        "a known fact is not appended twice: the article becomes one more source of it"
    rels = read_csv(data / "relationships" / "news.csv")
    srcs = read_csv(data / "sources" / "news.csv")
    assert len(rels) == 4 and len(srcs) == 1 and {r["sources"] for r in rels} == {srcs[0]["id"]}
    assert srcs[0]["url"] == "https://news.example.org/2025/12/05/moore-threads-star-market-debut" and srcs[0]["published"] == "2025-12-05"
    assert next(r for r in rels if r["relation"] == "SUPPLIES")["note"].startswith('from news: "According to the prospectus, SMIC supplies')
    ds = read_dataset(data, today=TODAY)
    assert ds.errors == []
    kg = KnowledgeGraph.from_dataset(ds)
    assert [f.sources[0].url for f in kg.facts_of("smic", "SUPPLIES", "out")] == [srcs[0]["url"]]

    again = run_cli("accept", str(review), "--data", str(data))
    assert again.returncode == 0 and "0 rows appended, 1 known facts now cite the article, 4 already present" in again.stderr
    assert len(read_csv(data / "relationships" / "news.csv")) == 4, "accepting twice does not duplicate"


def test_accepting_a_known_row_cites_the_article_on_the_curated_fact(tmp_path):
    data = news_data_dir(tmp_path)
    out = tmp_path / "out"
    assert run_cli("load", "news", str(NEWS / "en_article.txt"), "--data", str(data), "--out", str(out)).returncode == 0
    review = _decide(out / "review.csv", lambda r: "accept" if (r["kind"], r["relation"], r["object"]) == ("known", "LISTED_ON", "sse") else "")
    before = {p: p.read_bytes() for p in data.rglob("*.csv")}
    res = accept_review(review, data, today=TODAY)
    (line,) = res.corroborated
    assert "moore-threads LISTED_ON sse" in line and res.appended == []
    src = line.rsplit(" ", 1)[-1]
    changed = [p for p in data.rglob("*.csv") if before.get(p) != p.read_bytes()]
    facts = [f for f in read_dataset(data, today=TODAY).facts if (f.subject, f.relation, f.object) == ("moore-threads", "LISTED_ON", "sse")]
    assert [s.id for s in facts[0].sources][-1] == src and facts[0].sources[-1].url.startswith("https://news.example.org/")
    assert sorted(p.name for p in changed) == ["news.csv", "relationships.csv"], "the fact's own row and the new source, nothing else"
    old = before[data / "relationships.csv"].decode().splitlines()
    new = (data / "relationships.csv").read_text(encoding="utf-8").splitlines()
    assert [a for a, b in zip(old, new) if a != b] == [next(a for a in old if a.startswith("moore-threads,LISTED_ON,sse"))], "one row changed"
    assert accept_review(review, data, today=TODAY).corroborated and (data / "relationships.csv").read_text(encoding="utf-8").splitlines() == new, \
        "accepting again cites the article once"


def test_corroborating_a_fact_accepted_earlier_from_news_keeps_the_rows_appended_with_it(tmp_path):
    data = news_data_dir(tmp_path)
    out = tmp_path / "out"
    assert run_cli("load", "news", str(NEWS / "en_article.txt"), "--data", str(data), "--out", str(out)).returncode == 0
    first = _decide(out / "review.csv", lambda r: "accept" if (r["subject"], r["relation"]) == ("smic", "SUPPLIES") else "")
    assert len(accept_review(first, data, today=TODAY).appended) == 1
    # a second article: the SMIC fact (now in relationships/news.csv) is known, another row is new; both in one accept
    second = tmp_path / "second.txt"
    second.write_text("URL: https://news.example.org/b\nDate: 2025-12-20\n\nSMIC supplies wafers to Moore Threads. "
                      "Big Fund II invested in Moore Threads.\n", encoding="utf-8")
    out2 = tmp_path / "out2"
    assert run_cli("load", "news", str(second), "--data", str(data), "--out", str(out2)).returncode == 0
    review = _decide(out2 / "review.csv", lambda r: "accept" if r["relation"] in ("SUPPLIES", "INVESTS_IN") else "")
    res = accept_review(review, data, today=TODAY)
    assert len(res.corroborated) == 1 and [a["relation"] for a in res.appended] == ["INVESTS_IN"]
    rows = read_csv(data / "relationships" / "news.csv")
    assert [r["relation"] for r in rows] == ["SUPPLIES", "INVESTS_IN"], "the appended row and the corroborated row are both kept"
    assert len(rows[0]["sources"].split("|")) == 2 and read_dataset(data, today=TODAY).errors == []


def test_accept_refuses_conflicts_without_force_and_writes_nothing(tmp_path):
    data = news_data_dir(tmp_path)
    out = tmp_path / "out"
    assert run_cli("load", "news", str(NEWS / "en_conflicts.txt"), "--data", str(data), "--out", str(out)).returncode == 0
    review = _decide(out / "review.csv", lambda r: "accept" if r["relation"] == "LOCATED_IN" else "")
    proc = run_cli("accept", str(review), "--data", str(data))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "contradicts the curated data" in proc.stderr and "--force" in proc.stderr
    assert not (data / "relationships" / "news.csv").exists() and not (data / "sources" / "news.csv").exists()

    res = accept_review(review, data, force=True, today=TODAY)
    assert [(a["subject"], a["object"]) for a in res.appended] == [("moore-threads", "shanghai")]
    assert "accepted with --force over a conflict" in res.appended[0]["note"]
    assert read_dataset(data, today=TODAY).errors == []


def test_accept_that_would_break_validation_writes_nothing_and_shows_the_errors(tmp_path, kg):
    data = news_data_dir(tmp_path)
    res = load_news(NEWS / "en_article.txt", kg=kg, today=TODAY)
    review = tmp_path / "review.csv"
    rows = [{**r, "decision": "accept"} for r in res.review if r["kind"] == "candidate" and r["relation"] in ("LISTED_ON", "SUPPLIES")]
    rows.append({**rows[0], "subject": "no-such-company", "decision": "accept"})
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(REVIEW_COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    review.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(DataError) as err:
        accept_review(review, data, today=TODAY)
    text = str(err.value)
    assert "nothing written" in text
    assert "relationships/news.csv" in text and "ticker" in text, "Zhipu's listing has no ticker, which LISTED_ON requires"
    assert "unknown entity id 'no-such-company'" in text
    assert not (data / "relationships" / "news.csv").exists() and not (data / "sources" / "news.csv").exists()


def test_accept_rejects_an_unknown_decision_naming_the_row(tmp_path):
    data = news_data_dir(tmp_path)
    review = tmp_path / "review.csv"
    review.write_text("decision,kind,subject,relation,object\nmaybe,candidate,smic,SUPPLIES,huawei\n", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"review.csv:2: decision: 'maybe' is not a decision"):
        accept_review(review, data)


# --------------------------------------------------------------------------- hostile and broken articles


def _article(tmp_path: Path, body: str, name: str = "a.txt", header: str = "URL: https://example.org/x\nDate: 2025-12-01\n\n") -> Path:
    p = tmp_path / name
    p.write_text(header + body, encoding="utf-8")
    return p


def test_an_html_page_is_refused_with_a_clear_error_and_no_output(tmp_path, data):
    page = _article(tmp_path, "<!DOCTYPE html><html><body><p>SMIC supplies Huawei.</p><script>alert(1)</script></body></html>\n")
    out = tmp_path / "out"
    proc = run_cli("load", "news", str(page), "--data", str(data), "--out", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "a.txt:4: this is an HTML page" in proc.stderr and "plain text" in proc.stderr
    assert not out.exists()


def test_a_10_mb_line_is_refused_before_reading_and_leaves_no_output(tmp_path, data):
    big = _article(tmp_path, "SMIC supplies Huawei. " + "x" * 10_000_000 + "\n", name="big.txt")
    out = tmp_path / "out"
    proc = run_cli("load", "news", str(big), "--data", str(data), "--out", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "10.0 MB is too large for one news article" in proc.stderr
    assert not out.exists()


def test_formulas_markup_and_long_lines_inside_an_article_are_skipped_and_reported(tmp_path, kg):
    body = ("=HYPERLINK(\"http://evil.example\",\"SMIC supplies Huawei\")\n"
            "SMIC supplies wafers to <b>Huawei</b>.\n"
            + "SMIC supplies " + "chips, " * 20_000 + "to Huawei.\n"
            "+SMIC supplies Huawei.\n"
            "Moore Threads has partnered with China Mobile.\n")
    res = load_news(_article(tmp_path, body), kg=kg, today=TODAY)
    skipped = {p.line: p.message for p in res.report.skipped}
    assert skipped == {4: "sentence skipped: looks like a spreadsheet formula", 5: "sentence skipped: contains HTML markup",
                       6: "sentence skipped: 140,024 characters in one sentence (more than 2,000): not prose",
                       7: "sentence skipped: looks like a spreadsheet formula"}
    assert [(r["subject"], r["relation"], r["object"]) for r in res.review] == [("china-mobile", "PARTNERS_WITH", "moore-threads")]


def test_review_cells_are_spreadsheet_safe(tmp_path, data):
    art = _article(tmp_path, "-SMIC supplies wafers to Moore Threads, analysts said.\n",
                   header="URL: https://example.org/x\nDate: 2025-12-01\nPublisher: =cmd|' /C calc'!A0\n\n")
    proc = run_cli("load", "news", str(art), "--data", str(data), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "the publisher" in proc.stderr and "not plain text" in proc.stderr
    art = _article(tmp_path, "-SMIC supplies wafers to Moore Threads, analysts said.\n")
    proc = run_cli("load", "news", str(art), "--data", str(data), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    (row,) = read_csv(tmp_path / "out" / "review.csv")
    assert row["evidence"] == "'-SMIC supplies wafers to Moore Threads, analysts said."


@pytest.mark.parametrize("content,options,message", [
    (b"SMIC supplies Huawei.\n", {}, "the article has no URL; add a line `URL: https://...`"),
    (b"URL: https://example.org/x\n\nSMIC supplies Huawei.\n", {}, "the article has no date; add a line `Date: YYYY-MM-DD`"),
    (b"URL: https://example.org/x\nDate: 2027-01-01\n\nSMIC.\n", {}, "the article date 2027-01-01 is in the future"),
    (b"URL: javascript:alert(1)\nDate: 2025-01-01\n\nSMIC.\n", {}, "is not an http(s) URL"),
    ("URL: https://example.org/x\nDate: 2025-01-01\n\n中芯国际。\n".encode("gbk"), {}, "not valid UTF-8"),
    (b"", {}, "the file is empty"),
    (b"URL: https://example.org/x\nDate: 2025-01-01\n\n", {}, "a header but no text"),
    (b"\x00\x01PK binary", {}, "a binary file"),
    (b"SMIC supplies Huawei.\n", {"url": "https://example.org/opt", "date": "2025-13-01"}, "'2025-13-01' is not a date"),
])
def test_broken_articles_give_one_clear_error(tmp_path, content, options, message):
    p = tmp_path / "broken.txt"
    p.write_bytes(content)
    with pytest.raises(LoaderError) as err:
        read_article(p, today=TODAY, **options)
    assert message in str(err.value) and "broken.txt" in str(err.value)


def test_options_override_the_header_and_a_bom_is_fine(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes("\ufeffURL: https://example.org/header\nDate: 2025年12月5日\n\n摩尔线程总部位于北京。\n".encode("utf-8"))
    a = read_article(p, url="https://example.org/option", today=TODAY)
    assert (a.url, a.date, a.publisher, a.body_line) == ("https://example.org/option", "2025-12-05", "example.org", 4)


# --------------------------------------------------------------------------- the evaluation set (real articles)


def test_news_evaluation_floors():
    """benchmarks/news_eval.py on tests/data/news_eval: the floors are the figures measured when this was written, not targets."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("news_eval", Path(__file__).parent.parent / "benchmarks" / "news_eval.py")
    assert spec and spec.loader
    ev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev)
    from cnaikg.graph.kg import KnowledgeGraph

    kg = KnowledgeGraph.from_dataset()
    dev, hold = ev.summary(ev.evaluate("dev", kg)), ev.summary(ev.evaluate("holdout", kg))
    # lowered after the strict resolver (no name variants; see docs/keeping-current.md): dev was 0.93/0.93, held-out 0.90/0.75
    assert dev["mention_recall"] >= 0.90 and dev["relation_recall"] >= 0.86 and dev["relation_precision"] >= 0.95, dev
    assert hold["mention_recall"] >= 0.91 and hold["relation_recall"] >= 0.73 and hold["relation_precision"] >= 0.95, hold
    assert dev["false_claims_flagged"] == 1.0, "every false claim whose subject is in the graph is flagged as a conflict"


def test_a_phase_after_a_fund_name_is_another_fund_never_the_first():
    """ "… Fund Phase II" is read whole (graph.names.distinguishing_suffix): Big Fund II when the graph knows that
    name, otherwise no mention at all, and never Big Fund I, whose alias is the name without the phase."""
    from cnaikg.graph.kg import KnowledgeGraph
    from cnaikg.graph.model import Entity
    from cnaikg.loaders.news import find_mentions

    text = "The National Integrated Circuit Industry Investment Fund Phase II invested in MetaX."
    shipped = KnowledgeGraph.from_dataset()
    assert "big-fund-i" not in {m.entity_id for m in find_mentions(shipped, text)}
    kg = KnowledgeGraph([
        Entity("big-fund-i", "fund", "China Integrated Circuit Industry Investment Fund (Phase I)", "", ("National Integrated Circuit Industry Investment Fund",)),
        Entity("big-fund-ii", "fund", "China Integrated Circuit Industry Investment Fund Phase II", "",
               ("National Integrated Circuit Industry Investment Fund Phase II Co., Ltd.",)),
        Entity("metax", "company", "MetaX Integrated Circuits (Shanghai) Co., Ltd.", "", ("MetaX",)),
    ], [])
    got = [(m.entity_id, m.text) for m in find_mentions(kg, text)]
    assert got == [("big-fund-ii", "National Integrated Circuit Industry Investment Fund Phase II"), ("metax", "MetaX")], got
    # here the name without a phase is the generic form of the numbered fund: ambiguous, so no mention (never a guess)
    assert [m.entity_id for m in find_mentions(kg, "The National Integrated Circuit Industry Investment Fund invested in MetaX.")] == ["metax"]
    # a ticker or a gloss in brackets is not a distinguishing suffix; a version number is ("Doubao 2.0" is not Doubao)
    kg2 = KnowledgeGraph([Entity("doubao", "product", "Doubao", "豆包", ())], [])
    assert [m.entity_id for m in find_mentions(kg2, "ByteDance trains Doubao 2.0 on Huawei chips.")] == []
    assert [m.entity_id for m in find_mentions(kg2, "ByteDance's Doubao (a chatbot) leads.")] == ["doubao"]


def test_a_founders_former_employer_does_not_become_the_subject(shipped):
    """"创始人…是原英伟达…": Nvidia is where the founder worked, so the shareholders that follow own Moore Threads, not Nvidia."""
    text = ("摩尔线程在上交所科创板挂牌上市。\n创始人兼CEO张建中是原英伟达中国区总经理。"
            "国盛资本、腾讯创业投资等股东,持股占比分别为4.89%、1.22%。")
    got = {(c.subject, c.relation, c.object) for c in extract_candidates(shipped, text, date="2025-12-08") if c.relation == "INVESTS_IN"}
    assert ("tencent", "INVESTS_IN", "nvidia") not in got
