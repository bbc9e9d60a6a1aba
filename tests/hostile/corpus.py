"""The hostile corpus: malformed inputs for every loader and command, each with the outcome it must have.

A case names the command line (``{in}`` is the case's input folder, ``{data}`` a data folder, ``{out}`` an
output folder that already holds a previous complete set), the input files, and the expected outcome class:

- ``error``: one clear message (``needle`` in stderr), a non-zero exit, and the previous output untouched;
- ``skip``: exit 0, the bad value recorded as a skip (``needle`` in load_report.json) and never written as a fact;
- ``ok``: the command finishes (exit 0, or 1 for a name that does not resolve) and ``needle``, if any, is in its output;
- ``any``: either a clear error or a success (the news loader, whose rules belong to its own issue): never a crash.

Every case must end without a traceback, an "internal error" or a hang. ``absent`` must not appear in facts.csv.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from typing import Callable

SH = "investor,investee,stake_pct,date,source\n"
SRC = "https://example.org/registry"


@dataclass
class Case:
    id: str
    argv: list[str]
    files: dict[str, bytes | str] = field(default_factory=dict)
    expect: str = "error"  # error | skip | ok
    needle: str = ""
    absent: str = ""
    data: Callable[[object], None] | None = None  # edits a fresh copy of the data folder (validate/accept cases)
    rc: tuple[int, ...] = ()


def sh(row: str, expect: str = "skip", needle: str = "", absent: str = "") -> tuple[bytes, str, str, str]:
    return (SH + row + "\n").encode("utf-8"), expect, needle, absent


def load(kind: str, name: str, *options: str) -> list[str]:
    argv = ["load", kind, "{in}/" + name, "--data", "{data}", "--out", "{out}"]
    for o in options:
        argv += ["-o", o]
    return argv


CASES: list[Case] = []


def add(case: Case) -> None:
    assert case.id not in {c.id for c in CASES}, case.id
    CASES.append(case)


# --------------------------------------------------------------------------- shareholdings
SH_ROWS = {
    "sh-stake-150": sh(f"Big Fund II,SMIC,150,2024-06-30,{SRC}", needle="150 is outside 0 to 100"),
    "sh-stake-negative": sh(f"Big Fund II,SMIC,-50,2024-06-30,{SRC}", needle="-50 is outside 0 to 100"),
    "sh-stake-underscore": sh(f"Big Fund II,SMIC,1_0,2024-06-30,{SRC}", needle="underscores"),
    "sh-stake-fullwidth": sh(f"Big Fund II,SMIC,１０,2024-06-30,{SRC}", needle="full-width"),
    "sh-stake-arabic-indic": sh(f"Big Fund II,SMIC,٥,2024-06-30,{SRC}", needle="non-ASCII"),
    "sh-stake-nan": sh(f"Big Fund II,SMIC,nan,2024-06-30,{SRC}", needle="not a number"),
    "sh-stake-inf": sh(f"Big Fund II,SMIC,inf,2024-06-30,{SRC}", needle="not a number"),
    "sh-stake-overflow": sh(f"Big Fund II,SMIC,1e400,2024-06-30,{SRC}", needle="not a finite number"),
    "sh-stake-bad-grouping": sh(f'Big Fund II,SMIC,"12,5",2024-06-30,{SRC}', needle="not a number"),
    "sh-stake-thousands-too-big": sh(f'Big Fund II,SMIC,"1,234",2024-06-30,{SRC}', needle="1234 is outside"),
    "sh-stake-words": sh(f"Big Fund II,SMIC,five percent,2024-06-30,{SRC}", needle="not a number"),
    "sh-stake-empty": sh(f"Big Fund II,SMIC,,2024-06-30,{SRC}", needle="empty"),
    "sh-stake-percent-ok": sh(f"Big Fund II,SMIC,12.5%,2024-06-30,{SRC}", expect="ok"),
    "sh-date-month-13": sh(f"Big Fund II,SMIC,5,2024-13-01,{SRC}", needle="not a valid date"),
    "sh-date-feb-30": sh(f"Big Fund II,SMIC,5,2024-02-30,{SRC}", needle="not a valid date"),
    "sh-date-fullwidth": sh(f"Big Fund II,SMIC,5,２０２４-０１-０１,{SRC}", needle="full-width"),
    "sh-date-arabic-indic": sh(f"Big Fund II,SMIC,5,٢٠٢٤,{SRC}", needle="non-ASCII"),
    "sh-date-future": sh(f"Big Fund II,SMIC,5,2999-01-01,{SRC}", needle="in the future"),
    "sh-date-us-style": sh(f"Big Fund II,SMIC,5,01/02/2024,{SRC}", needle="not a date"),
    "sh-date-empty": sh(f"Big Fund II,SMIC,5,,{SRC}", needle="empty"),
    "sh-date-with-time": sh(f"Big Fund II,SMIC,5,2024-01-01T00:00:00,{SRC}", needle="not a date"),
    "sh-name-formula": sh(f'"=HYPERLINK(""http://x"")",SMIC,5,2024-06-30,{SRC}', needle="spreadsheet formula"),
    "sh-name-html": sh(f"<script>alert(1)</script>,SMIC,5,2024-06-30,{SRC}", needle="HTML"),
    "sh-name-huge": sh("A" * 5000 + f",SMIC,5,2024-06-30,{SRC}", needle="not a name"),
    "sh-source-empty": sh("Big Fund II,SMIC,5,2024-06-30,", needle="empty"),
    "sh-relation-unknown": ((("investor,investee,stake_pct,date,source,relation\n" f"Big Fund II,SMIC,5,2024-06-30,{SRC},OWNS_ALL\n").encode()),
                            "skip", "unknown relation", ""),
    "sh-self-loop": sh(f"SMIC,中芯国际,5,2024-06-30,{SRC}", needle="same entity"),
    "sh-generic-big-fund": sh(f"大基金,SMIC,5,2024-06-30,{SRC}", expect="ok", needle="ambiguous", absent="big-fund"),
    "sh-city-fund-never-big-fund": sh(f"Shanghai Integrated Circuit Industry Investment Fund,SMIC,5,2024-06-30,{SRC}", expect="ok",
                                      needle="unresolved", absent="big-fund"),
    "sh-city-fund-zh": sh(f"上海集成电路产业投资基金,摩尔线程,5,2024-06-30,{SRC}", expect="ok", needle="unresolved", absent="big-fund"),
    "sh-phase-ii-never-phase-i": sh(f"The National Integrated Circuit Industry Investment Fund Phase II,SMIC,5,2024-06-30,{SRC}", expect="ok",
                                    needle="unresolved", absent="big-fund-i,"),
    "sh-subsidiary-in-brackets": sh(f"Hua Hong Semiconductor (Wuxi) Limited,SMIC,5,2024-06-30,{SRC}", expect="ok", needle="differs-in-place",
                                    absent="hua-hong"),
    "sh-fuzzy-typo-is-review": sh(f"Tencnet Holdings Ltd,Zhipu AI,5,2024-06-30,{SRC}", expect="ok", needle="fuzzy", absent="tencent"),
}
for cid, (body, expect, needle, absent) in SH_ROWS.items():
    add(Case(cid, load("shareholdings", "h.csv"), {"h.csv": body}, expect, needle, absent))

add(Case("sh-stakes-over-100-one-date", load("shareholdings", "h.csv"),
         {"h.csv": SH + f"Big Fund II,SMIC,60,2024-06-30,{SRC}\nTencent,SMIC,50,2024-06-30,{SRC}\n"}, "skip", "sum to 110", "smic"))
add(Case("sh-empty-file", load("shareholdings", "h.csv"), {"h.csv": b""}, "error", "the file is empty"))
add(Case("sh-only-bom", load("shareholdings", "h.csv"), {"h.csv": b"\xef\xbb\xbf\n\n"}, "error", "the file is empty"))
add(Case("sh-header-only", load("shareholdings", "h.csv"), {"h.csv": SH}, "ok"))
add(Case("sh-missing-column", load("shareholdings", "h.csv"), {"h.csv": "investor,investee,date\nA,B,2024\n"}, "error", "missing column"))
add(Case("sh-duplicate-column", load("shareholdings", "h.csv"), {"h.csv": "investor,investee,stake_pct,stake_pct,date,source\nA,B,1,2,2024,x\n"},
         "error", "appear twice"))
add(Case("sh-million-columns", load("shareholdings", "h.csv"), {"h.csv": ",".join(f"c{i}" for i in range(1_000_000)) + "\n1\n"},
         "error", "more than the limit"))
add(Case("sh-gbk", load("shareholdings", "h.csv"), {"h.csv": (SH + "国家集成电路产业投资基金,中芯国际,5,2024,x\n").encode("gbk")}, "error", "not valid UTF-8"))
add(Case("sh-unclosed-quote", load("shareholdings", "h.csv"), {"h.csv": SH + 'Big Fund II,"SMIC,5,2024-06-30,x\n'}, "error", "h.csv"))
add(Case("sh-huge-cell", load("shareholdings", "h.csv"), {"h.csv": SH + 'Big Fund II,"' + "x" * 200_000 + '",5,2024-06-30,x\n'},
         "skip", "not a name"))
add(Case("sh-cell-over-the-limit", load("shareholdings", "h.csv"), {"h.csv": SH + 'Big Fund II,"' + "x" * 16_000_001 + '",5,2024-06-30,x\n'},
         "error", "longer than the limit of 16000000"))
add(Case("sh-not-parquet", load("shareholdings", "h.parquet"), {"h.parquet": "investor,investee\n"}, "error", "not a readable Parquet"))
add(Case("sh-folder-not-file", ["load", "shareholdings", "{in}", "--data", "{data}", "--out", "{out}"], {}, "error", "is a folder"))
add(Case("sh-no-such-file", load("shareholdings", "nope.csv"), {}, "error", "no such file"))
add(Case("sh-crlf-bom", load("shareholdings", "h.csv"), {"h.csv": ("\ufeff" + SH + f"Tencent,Zhipu AI,3,2023-10,{SRC}\n").replace("\n", "\r\n").encode()},
         "ok", "tencent"))
add(Case("sh-blank-lines-keep-line-numbers", load("shareholdings", "h.csv"),
         {"h.csv": SH + f"Tencent,Zhipu AI,3,2023-10,{SRC}\n\n\n" + f"Big Fund II,SMIC,150,2024-06-30,{SRC}\n"}, "skip", '"line": 5'))
add(Case("sh-nul-bytes", load("shareholdings", "h.csv"), {"h.csv": (SH + "Big\x00Fund,SMIC,5,2024,x\n").encode()}, "ok"))
add(Case("sh-relation-option-bad", load("shareholdings", "h.csv", "relation=SUPPLIES"), {"h.csv": SH}, "error", "not allowed for shareholdings"))
add(Case("sh-unknown-option", load("shareholdings", "h.csv", "nope=1"), {"h.csv": SH}, "error", "has no option"))

# --------------------------------------------------------------------------- CSL
CSL_HEAD = ("_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,"
            "license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
            "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n")
EL = "Entity List (EL) - Bureau of Industry and Security"


def csl_row(name: str, programs: str = "EAR", start: str = "2020-12-22", typ: str = "Entity", source: str = EL, alt: str = "") -> str:
    cells = {"_id": "x1", "source": source, "type": typ, "programs": programs, "name": name, "start_date": start, "alt_names": alt,
             "federal_register_notice": "85 FR 83416"}
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([cells.get(c, "") for c in CSL_HEAD.strip().split(",")])
    return buf.getvalue()


SMIC_EN = "Semiconductor Manufacturing International Corporation"
for cid, row, expect, needle, absent in [
    ("csl-programs-list", csl_row(SMIC_EN, programs="EAR; MEU"), "ok", "EAR, MEU", "; MEU"),
    ("csl-date-month-13", csl_row(SMIC_EN, start="2020-13-22"), "skip", "not a date", ""),
    ("csl-date-future", csl_row(SMIC_EN, start="2999-01-01"), "skip", "in the future", ""),
    ("csl-date-fullwidth", csl_row(SMIC_EN, start="２０２０-１２-２２"), "skip", "not a date", ""),
    ("csl-name-formula", csl_row("=cmd|' /C calc'!A0"), "skip", "spreadsheet formula", ""),
    ("csl-name-html", csl_row("<img src=x onerror=alert(1)>"), "skip", "HTML", ""),
    ("csl-vessel", csl_row("SMIC VESSEL", typ="Vessel"), "ok", "skipped_vessels_aircraft", ""),
    ("csl-unknown-list", csl_row(SMIC_EN, source="Some Other List (XX) - Nowhere"), "ok", "not a sanctions_list entity", "smic"),
    ("csl-subsidiary-not-parent", csl_row("Semiconductor Manufacturing International (Beijing) Corporation"), "ok", "", "smic,ON_LIST"),
    ("csl-alias-conflict", csl_row("Inspur Group Co. Ltd.", alt="浪潮信息"), "ok", "conflict", "inspur"),
]:
    add(Case(cid, load("csl", "c.csv"), {"c.csv": CSL_HEAD + row}, expect, needle, absent))
add(Case("csl-empty", load("csl", "c.csv"), {"c.csv": ""}, "error", "the file is empty"))
add(Case("csl-old-header", load("csl", "c.csv"), {"c.csv": "Name,Source List\nSMIC,Entity List\n"}, "error", "missing column"))
add(Case("csl-utf16", load("csl", "c.csv"), {"c.csv": (CSL_HEAD + csl_row(SMIC_EN)).encode("utf-16")}, "error", "not valid UTF-8"))

# --------------------------------------------------------------------------- OpenSanctions
def ftm(**kw: object) -> str:
    base: dict = {"id": "NK-x", "schema": "Company", "properties": {"name": [SMIC_EN], "program": [EL]}, "datasets": ["us_trade_csl"],
                  "first_seen": "2021-06-18T00:00:00"}
    base.update(kw)
    return json.dumps(base, ensure_ascii=False) + "\n"


for cid, text, expect, needle, absent in [
    ("os-deep-nesting", "[" * 100_000 + "]" * 100_000 + "\n" + ftm(), "skip", "nested too deeply", ""),
    ("os-unknown-schema", ftm(schema="Thing"), "skip", "is not one this loader reads", "smic"),
    ("os-schema-not-string", ftm(schema=["Company"]), "skip", "not a FollowTheMoney entity", "smic"),
    ("os-name-as-string", ftm(properties={"name": SMIC_EN, "program": EL}), "ok", "smic", ""),
    ("os-datasets-as-string", ftm(datasets="us_trade_csl"), "ok", "smic", ""),
    ("os-real-1260h-not-in-graph", ftm(datasets=["us_dod_chinese_milcorps"]), "ok", "dod-1260h-list", "smic"),
    ("os-ns-cmic-not-forced", ftm(datasets=["us_ofac_cons"], properties={"name": [SMIC_EN], "programId": ["US-NS-CMIC"]}), "ok",
     "ns-cmic-list", "smic"),
    ("os-unknown-dataset", ftm(datasets=["xx_unknown"], properties={"name": [SMIC_EN], "program": ["XX-UNKNOWN"]}), "ok", "xx_unknown", "smic"),
    ("os-programme-places-entry", ftm(datasets=["xx_unknown"]), "ok", "us-entity-list", ""),
    ("os-not-json", "this is not json\n", "skip", "not a JSON object", ""),
    ("os-array-line", "[1, 2, 3]\n", "skip", "not a FollowTheMoney entity", ""),
    ("os-properties-null", ftm(properties=None), "skip", "not a FollowTheMoney entity", ""),
    ("os-created-month-13", ftm(properties={"name": [SMIC_EN], "program": [EL], "createdAt": ["2020-13-01"]}), "skip", "not a date", ""),
    ("os-created-future", ftm(properties={"name": [SMIC_EN], "program": [EL], "createdAt": ["2999-01-01"]}), "skip", "in the future", ""),
    ("os-no-name", ftm(properties={"alias": ["SMIC"], "program": [EL]}), "skip", "without a name", ""),
    ("os-name-numbers", ftm(properties={"name": [1, 2.5, None, True], "program": [EL]}), "ok", "", "smic"),
    ("os-truncated-line", ftm()[:40] + "\n", "skip", "not a JSON object", ""),
    ("os-vessel", ftm(schema="Vessel"), "ok", "skipped_not_a_party", "smic"),
    ("os-subsidiary-review", ftm(properties={"name": ["Semiconductor Manufacturing International (Beijing) Corporation"], "program": [EL]}),
     "ok", "", "smic,ON_LIST"),
]:
    add(Case(cid, load("opensanctions", "e.json"), {"e.json": text}, expect, needle, absent))
add(Case("os-list-option-never-relabels", load("opensanctions", "e.json", "list=us-entity-list"),
         {"e.json": ftm(datasets=["us_dod_chinese_milcorps"])}, "skip", "belongs to dod-1260h-list", "smic"))
add(Case("os-list-option-unknown", load("opensanctions", "e.json", "list=nope"), {"e.json": ftm()}, "error", "not a sanctions_list entity"))
add(Case("os-empty", load("opensanctions", "e.json"), {"e.json": ""}, "error", "the file is empty"))
add(Case("os-gbk", load("opensanctions", "e.json"), {"e.json": ftm(properties={"name": ["中芯国际"]}).encode("gbk")}, "error", "not valid UTF-8"))

# --------------------------------------------------------------------------- holdings
HOLD = "Date,Ticker,Name,Weight\n"
for cid, rows, expect, needle, absent in [
    ("hold-weights-300", "2025-01-31,9988 HK,ALIBABA,100\n2025-01-31,700 HK,TENCENT,100\n2025-01-31,BIDU,BAIDU,100\n", "skip", "sum to 300", "HOLDS"),
    ("hold-weight-underscore", "2025-01-31,9988 HK,ALIBABA,1_0\n", "skip", "underscores", "HOLDS"),
    ("hold-weight-150", "2025-01-31,9988 HK,ALIBABA,150\n", "skip", "outside 0..100", "HOLDS"),
    ("hold-weight-negative", "2025-01-31,9988 HK,ALIBABA,-1.5\n", "skip", "outside 0..100", "HOLDS"),
    ("hold-weight-fullwidth", "2025-01-31,9988 HK,ALIBABA,１．５\n", "skip", "full-width", "HOLDS"),
    ("hold-date-impossible", "13/45/2025,9988 HK,ALIBABA,1.5\n", "skip", "not a valid date", "HOLDS"),
    ("hold-date-future", "2999-01-31,9988 HK,ALIBABA,1.5\n", "skip", "in the future", "HOLDS"),
    ("hold-share-classes-summed", "2025-01-31,BABA,ALIBABA GROUP HOLDING-SP ADR,2.1\n2025-01-31,9988 HK,ALIBABA GROUP HOLDING LTD,10.31\n",
     "ok", "weight_pct=12.41", ""),
    ("hold-duplicate-line", "2025-01-31,9988 HK,ALIBABA,1.5\n2025-01-31,9988 HK,ALIBABA,1.5\n", "skip", "duplicate line", ""),
    ("hold-cash", "2025-01-31,CASH,Cash,0.4\n", "ok", "skipped_not_security", ""),
    ("hold-ticker-formula", "2025-01-31,=1+1,ALIBABA,1.5\n", "skip", "spreadsheet formula", ""),
    ("hold-ticker-name-conflict", "2025-01-31,0981 HK,TENCENT MUSIC ENTERTAINMENT,1.0\n", "skip", "sent to review", "HOLDS"),
]:
    add(Case(cid, load("holdings", "KWEB_holdings.csv", "fund=kweb", "url=https://kraneshares.com/kweb/"),
             {"KWEB_holdings.csv": HOLD + rows}, expect, needle, absent))
add(Case("hold-unknown-fund", load("holdings", "XXXX_holdings.csv"), {"XXXX_holdings.csv": HOLD}, "error", "--option fund="))
add(Case("hold-empty", load("holdings", "KWEB_holdings.csv", "fund=kweb"), {"KWEB_holdings.csv": ""}, "error", "the file is empty"))
add(Case("hold-no-weight", load("holdings", "KWEB_holdings.csv", "fund=kweb"), {"KWEB_holdings.csv": "Date,Ticker,Name\n"}, "error",
         "missing column"))

# --------------------------------------------------------------------------- Wikidata
def wd_item(qid: str, claims: dict, label: str = "x") -> dict:
    return {"id": qid, "type": "item", "labels": {"en": {"language": "en", "value": label}}, "claims": claims}


def wd_claim(pid: str, target: str, quals: dict | None = None) -> dict:
    c = {"type": "statement", "rank": "normal", "mainsnak": {"snaktype": "value", "property": pid, "datatype": "wikibase-item",
         "datavalue": {"type": "wikibase-entityid", "value": {"entity-type": "item", "id": target}}}}
    if quals:
        c["qualifiers"] = quals
    return c


def wd_qual(pid: str, value: object, kind: str) -> dict:
    if kind == "quantity":
        dv = {"type": "quantity", "value": {"amount": value, "unit": "1"}}
    else:
        dv = {"type": "time", "value": {"time": value, "precision": 11}}
    return {pid: [{"snaktype": "value", "property": pid, "datavalue": dv}]}


def wd(claim_quals: dict | None, pid: str = "P1830") -> str:
    # alibaba (Q1359568 in the fixture) owns baidu (Q14772)
    item = wd_item("Q1359568", {pid: [wd_claim(pid, "Q14772", claim_quals)]}, "Alibaba")
    item["modified"] = "2025-01-01T00:00:00Z"
    return json.dumps({"entities": {"Q1359568": item}})


for cid, text, expect, needle, absent in [
    ("wd-stake-150", wd(wd_qual("P1107", "+1.5", "quantity")), "skip", "outside 0 to 100", "stake_pct"),
    ("wd-stake-negative", wd(wd_qual("P1107", "-0.5", "quantity")), "skip", "outside 0 to 100", "stake_pct"),
    ("wd-month-13", wd(wd_qual("P580", "+2024-13-01T00:00:00Z", "time")), "skip", "not a valid date", "2024-13"),
    ("wd-future", wd(wd_qual("P580", "+2999-01-01T00:00:00Z", "time")), "skip", "in the future", "2999"),
    ("wd-claims-not-a-dict", json.dumps({"entities": {"Q1359568": {"id": "Q1359568", "claims": "oops"}}}), "skip", "malformed", ""),
    ("wd-mainsnak-garbage", json.dumps({"entities": {"Q1359568": wd_item("Q1359568", {"P1830": [{"mainsnak": 7}]})}}), "skip", "malformed", ""),
    ("wd-missing-item", json.dumps({"entities": {"Q404404": {"id": "Q404404", "missing": ""}}}), "skip", "missing on Wikidata", ""),
    ("wd-list-of-numbers", "[1, 2, 3]", "skip", "malformed", ""),
    ("wd-quantity-not-number", wd(wd_qual("P1107", "abc", "quantity")), "skip", "malformed", "stake_pct"),
]:
    add(Case(cid, load("wikidata", "w.json"), {"w.json": text}, expect, needle, absent))
add(Case("wd-zero-bytes", load("wikidata", "w.json"), {"w.json": b""}, "error", "the file is empty"))
add(Case("wd-whitespace-only", load("wikidata", "w.json"), {"w.json": b"\n\n  \n"}, "error", "the file is empty"))
add(Case("wd-deep-nesting", load("wikidata", "w.json"), {"w.json": "[" * 100_000 + "]" * 100_000}, "error", "nested"))
add(Case("wd-deep-object", load("wikidata", "w.json"), {"w.json": '{"a":' * 5000 + "1" + "}" * 5000}, "error", "nested"))
add(Case("wd-not-json", load("wikidata", "w.json"), {"w.json": "hello world\n"}, "error", "not valid JSON"))
add(Case("wd-json-number", load("wikidata", "w.json"), {"w.json": "42"}, "error", "not Wikidata entity JSON"))
add(Case("wd-api-error", load("wikidata", "w.json"), {"w.json": json.dumps({"error": {"info": "bad ids"}})}, "error", "returned an error"))
add(Case("wd-dump-bad-line", load("wikidata", "w.json"), {"w.json": "[\n" + json.dumps(wd_item("Q1", {})) + ",\n{broken\n]\n"},
         "error", ":3: not valid JSON"))
add(Case("wd-gz-garbage", load("wikidata", "w.json.gz"), {"w.json.gz": b"not gzip at all"}, "error", "cannot read"))
add(Case("wd-gz-ok", load("wikidata", "w.json.gz"), {"w.json.gz": gzip.compress(wd(None).encode())}, "ok"))
add(Case("wd-latin1", load("wikidata", "w.json"), {"w.json": '{"entities": {}, "x": "caf\xe9"}'.encode("latin-1")}, "error", "not UTF-8"))

# --------------------------------------------------------------------------- validate (a fresh copy of the mini dataset, edited)
def edit(file: str, old: str, new: str) -> Callable[[object], None]:
    def f(d: object) -> None:
        p = d / file  # type: ignore[operator]
        text = p.read_text(encoding="utf-8")
        assert old in text, (file, old)
        p.write_text(text.replace(old, new), encoding="utf-8")
    return f


def append(file: str, text: str) -> Callable[[object], None]:
    def f(d: object) -> None:
        p = d / file  # type: ignore[operator]
        p.write_text(p.read_text(encoding="utf-8") + text, encoding="utf-8")
    return f


def replace_file(file: str, content: bytes | str) -> Callable[[object], None]:
    def f(d: object) -> None:
        p = d / file  # type: ignore[operator]
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return f


def ontology_folder(d: object) -> None:
    p = d / "ontology.toml"  # type: ignore[operator]
    p.unlink()
    p.mkdir()


V = ["validate", "--data", "{data}"]
for cid, fn, expect, needle in [
    ("val-ontology-is-folder", ontology_folder, "error", "is a folder"),
    ("val-catastrophic-regex", edit("ticker_formats.csv", '"^6\\d{5}\\.SS$"', '"^(a+)+$"'), "error", "safe subset"),
    ("val-regex-alternation-star", edit("ticker_formats.csv", '"^6\\d{5}\\.SS$"', '"^(6|66)*\\.SS$"'), "error", "safe subset"),
    ("val-regex-backreference", edit("ticker_formats.csv", '"^6\\d{5}\\.SS$"', '"^(6)\\1$"'), "error", "safe subset"),
    ("val-regex-too-long", edit("ticker_formats.csv", '"^6\\d{5}\\.SS$"', '"^' + "6" * 300 + '$"'), "error", "safe subset"),
    ("val-million-column-header", replace_file("sources.csv", ",".join(f"c{i}" for i in range(1_000_000)) + "\n"), "error", "more than 256 columns"),
    ("val-date-fullwidth", edit("relationships.csv", "2016-03", "２０１６-０３"), "error", "full-width"),
    ("val-date-arabic-indic", edit("relationships.csv", "2016-03", "٢٠١٦-٠٣"), "error", "non-ASCII"),
    ("val-stake-underscore", edit("relationships.csv", "stake_pct=12.5", "stake_pct=1_2"), "error", "underscores"),
    ("val-stake-fullwidth", edit("relationships.csv", "stake_pct=12.5", "stake_pct=１２"), "error", "full-width"),
    ("val-amount-underscore", edit("relationships.csv", "amount=100000000", "amount=100_000_000"), "error", "underscores"),
    ("val-amount-without-currency", edit("relationships.csv", "amount=100000000; currency=CNY", "amount=100000000"), "error",
     "amount without a currency"),
    ("val-ownership-cycle-100", append("relationships.csv", "chipco,OWNS,acme-ai,2024,,stake_pct=100,src-a,high,\n"
                                                             "acme-ai,OWNS,chipco,2024,,stake_pct=100,src-a,high,\n"), "error", "ownership cycle"),
    ("val-stakes-over-100", append("relationships.csv", "state-fund-x,OWNS,acme-ai,2024,,stake_pct=70,src-a,high,\n"
                                                        "chipco,OWNS,acme-ai,2024,,stake_pct=60,src-a,high,\n"), "error", "sum to 130"),
    ("val-two-stakes-one-period", append("relationships.csv", "chipco,OWNS,acme-ai,2024,,stake_pct=10,src-a,high,\n"
                                                              "chipco,OWNS,acme-ai,2024,,stake_pct=20,src-b,high,\n"), "error", "for the same period"),
    ("val-blank-lines-line-numbers", append("relationships.csv", "\n\n\nchipco,SUPPLIES,nobody,2024,,,src-a,medium,\n"), "error",
     "relationships.csv:10"),
    ("val-judgement-bad-value", replace_file("judgements.csv", "name,entity,judgement\nAcme,acme-ai,maybe\n"), "error", "not a judgement"),
    ("val-judgement-unknown-entity", replace_file("judgements.csv", "name,entity,judgement\nAcme,nobody,same\n"), "error", "unknown entity id"),
    ("val-entities-gbk", replace_file("entities.csv", "id,type,name,name_zh,aliases,category,founded,wikidata,uscc,lei,sources,note\n"
                                                      "acme-ai,company,Acme AI,艾克米,,,,,,,,\n".encode("gbk")), "error", "not valid UTF-8"),
    ("val-unclosed-quote", append("relationships.csv", 'chipco,SUPPLIES,acme-ai,2024,,"goods=x,src-a,medium,\n'), "error", "malformed CSV"),
]:
    add(Case(cid, V, {}, expect, needle, data=fn, rc=(1,)))


def two_headquarters(d: object) -> None:
    append("entities.csv", "shanghai,place,Shanghai,上海,,city,,,,,,\n")(d)
    append("relationships.csv", "acme-ai,LOCATED_IN,shanghai,,,role=headquarters,src-a,high,\n")(d)


add(Case("val-two-headquarters-warning", V + ["--warnings"], {}, "ok", "two headquarters at once", data=two_headquarters))
add(Case("val-no-such-folder", ["validate", "--data", "{in}/nope"], {}, "error", "no such data folder"))

# --------------------------------------------------------------------------- build and load outputs
add(Case("build-out-is-a-file", ["build", "--data", "{data}", "--out", "{in}/f.txt"], {"f.txt": "x"}, "error", "a file stands where"))
add(Case("build-out-under-a-file", ["build", "--data", "{data}", "--out", "{in}/f.txt/out"], {"f.txt": "x"}, "error", "f.txt"))
add(Case("build-out-read-only", ["build", "--data", "{data}", "--out", "/sys/cnaikg-hostile-out"], {}, "error", "cannot"))
add(Case("build-bad-data-keeps-old-output", ["build", "--data", "{data}", "--out", "{out}"], {}, "error", "unknown entity id",
         data=append("relationships.csv", "chipco,SUPPLIES,nobody,2024,,,src-a,medium,\n")))
add(Case("load-out-is-a-file", ["load", "shareholdings", "{in}/h.csv", "--data", "{data}", "--out", "{in}/h.csv"], {"h.csv": SH},
         "error", "a file stands where"))
add(Case("load-out-read-only", ["load", "shareholdings", "{in}/h.csv", "--data", "{data}", "--out", "/sys/cnaikg-hostile-out"],
         {"h.csv": SH}, "error", "cannot"))
add(Case("load-unknown-kind", ["load", "nosuchloader", "{in}/h.csv", "--data", "{data}", "--out", "{out}"], {"h.csv": SH}, "error", "nosuchloader"))
add(Case("load-no-file-argument", ["load", "shareholdings", "--data", "{data}", "--out", "{out}"], {}, "error", "give the file to load"))
add(Case("load-data-not-a-folder", ["load", "shareholdings", "{in}/h.csv", "--data", "{in}/nope", "--out", "{out}"], {"h.csv": SH}, "error",
         "nope"))

# --------------------------------------------------------------------------- accept
RV = "decision,kind,subject,relation,object,properties,confidence,evidence,source_url,source_publisher,source_published\n"
A = ["accept", "{in}/review.csv", "--data", "{data}"]
for cid, body, expect, needle in [
    ("acc-bad-decision", RV + "maybe,candidate,chipco,SUPPLIES,acme-ai,goods=x,low,e,https://example.org/a,Ex,2024-01-01\n", "error", "not a decision"),
    ("acc-conflict-needs-force", RV + "accept,conflict,chipco,SUPPLIES,acme-ai,goods=x,low,e,https://example.org/a,Ex,2024-01-01\n", "error", "--force"),
    ("acc-no-source", RV + "accept,candidate,chipco,SUPPLIES,acme-ai,goods=x,low,e,,,\n", "error", "names no source"),
    ("acc-unknown-entity", RV + "accept,candidate,nobody,SUPPLIES,acme-ai,goods=x,low,e,https://example.org/a,Ex,2024-01-01\n", "error",
     "unknown entity id"),
    ("acc-bad-stake", RV + "accept,candidate,chipco,OWNS,acme-ai,stake_pct=150,low,e,https://example.org/a,Ex,2024-01-01\n", "error", "150"),
    ("acc-future-source", RV + "accept,candidate,chipco,SUPPLIES,acme-ai,goods=x,low,e,https://example.org/a,Ex,2999-01-01\n", "error", "future"),
    ("acc-empty", "", "error", "the file is empty"),
    ("acc-missing-columns", "decision,subject\naccept,x\n", "error", "missing column"),
    ("acc-undecided-only", RV + ",candidate,chipco,SUPPLIES,acme-ai,goods=x,low,e,https://example.org/a,Ex,2024-01-01\n", "ok", ""),
    ("acc-gbk", (RV + "accept,candidate,chipco,SUPPLIES,acme-ai,goods=中芯国际芯片,low,e,https://example.org/a,Ex,2024-01-01\n").encode("gbk"),
     "error", "not valid UTF-8"),
]:
    add(Case(cid, A, {"review.csv": body}, expect, needle))
add(Case("acc-no-review-file", A, {}, "error", "no such file"))


def folder_where_file_goes(d: object) -> None:
    (d / "relationships").mkdir(exist_ok=True)  # type: ignore[operator]
    (d / "relationships" / "news.csv").mkdir()  # type: ignore[operator]


add(Case("acc-folder-where-a-file-goes", A, {"review.csv": RV + "accept,candidate,chipco,SUPPLIES,acme-ai,goods=x,low,e,https://example.org/a,Ex,2024-01-01\n"},
         "error", "a folder stands where the file news.csv belongs", data=folder_where_file_goes))
add(Case("acc-data-not-data", ["accept", "{in}/review.csv", "--data", "{in}"], {"review.csv": RV}, "error", "not a data folder"))

# --------------------------------------------------------------------------- resolve
R = ["resolve", "--data", "{data}"]
for cid, names, expect, needle in [
    ("res-empty-name", [""], "ok", "unresolved"),
    ("res-huge-name", ["x" * 100_000], "ok", "unresolved"),
    ("res-generic", ["Big Fund", "大基金"], "ok", "generic-name"),
    ("res-control-chars", ["\x00\x1b[31mSMIC"], "ok", ""),
    ("res-regex-chars", ["(.*)+$[", "\\d{99999}"], "ok", "unresolved"),
    ("res-formula", ["=1+1"], "ok", "unresolved"),
]:
    add(Case(cid, R + ["--"] + names, {}, expect, needle))
add(Case("res-unknown-type", R + ["--type", "nosuchtype", "SMIC"], {}, "error", "nosuchtype"))
add(Case("res-judge-unknown-entity", R + ["--same", "nobody", "SMIC"], {}, "error", "unknown entity id"))

# --------------------------------------------------------------------------- news (its loader belongs to the news engineer; only: no crash)
for cid, body in [("news-binary", bytes(range(256)) * 10), ("news-empty", b""), ("news-gbk", "中芯国际获得国家大基金二期投资。".encode("gbk")),
                  ("news-huge-line", b"SMIC " * 400_000), ("news-formula", "=HYPERLINK(\"http://x\") SMIC supplies Moore Threads.".encode())]:
    add(Case(cid, ["load", "news", "{in}/a.txt", "--data", "{data}", "--out", "{out}", "-o", "url=https://example.org/a", "-o", "date=2025-01-05"],
             {"a.txt": body}, "any"))
