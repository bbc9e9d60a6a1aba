"""Figures that cannot go stale: every generated block of README.md and docs/ equals what `make docs` makes now.

A block is rewritten by `python -m cnaikg.docs` from its single source (the ontology, the features schema,
the real output of a command, the last full benchmark run); this test runs the generator in check mode.
"""

import subprocess
import sys

import pytest

from cnaikg.docs import BLOCKS, DocsError, check, doc_files, render, run_command
from conftest import REPO


def test_every_generated_block_in_readme_and_docs_is_current():
    stale = check()
    assert not stale, "stale generated blocks; run `make docs` and commit:\n" + "\n".join(map(str, stale))


def test_the_docs_hold_generated_blocks():
    names = {p.relative_to(REPO).as_posix() for p in doc_files()}
    assert {"README.md", "docs/index.md", "docs/data-model.md", "docs/rdf.md", "docs/benchmarks.md", "docs/design.md"} <= names
    data_model = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert "<!-- BEGIN generated: ontology -->" in data_model


def test_check_mode_reports_a_stale_block_and_writes_nothing(tmp_path):
    page = tmp_path / "page.md"
    text = "# x\n\n<!-- BEGIN generated: count entity-types -->999<!-- END generated -->\n"
    page.write_text(text)
    proc = subprocess.run([sys.executable, "-m", "cnaikg.docs", "--check", str(page)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "page.md:3: generated block 'count entity-types' is stale" in proc.stderr
    assert "run `make docs`" in proc.stderr and page.read_text() == text
    proc = subprocess.run([sys.executable, "-m", "cnaikg.docs", str(page)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and page.read_text() != text and "999" not in page.read_text()


def test_blocks_and_inline_figures_are_rewritten_in_place():
    from cnaikg.graph import load_ontology

    n = len(load_ontology().relation_types)
    text = "before\n<!-- BEGIN generated: ontology -->\nold table\n<!-- END generated -->\nafter <!-- BEGIN generated: count relation-types -->0<!-- END generated -->."
    new = render(text)
    assert new.startswith("before\n<!-- BEGIN generated: ontology -->\n| entity type |") and "old table" not in new
    assert new.endswith(f"after <!-- BEGIN generated: count relation-types -->{n}<!-- END generated -->.")
    assert render(new) == new


def test_a_command_block_shows_the_real_output_of_the_command():
    """The example is the command's stdout, run in an empty folder (compared with running it here)."""
    made = render("<!-- BEGIN generated: command cnaikg resolve 0981.HK -->\n<!-- END generated -->")
    real = subprocess.run([sys.executable, "-m", "cnaikg", "resolve", "0981.HK"], capture_output=True, text=True, timeout=120).stdout
    assert "```console\n$ cnaikg resolve 0981.HK\n" in made and real.strip() in made
    assert "smic" in made


def test_a_failing_command_is_an_error_unless_its_output_is_asked_for():
    with pytest.raises(DocsError, match="exited 2"):
        run_command("cnaikg explain no-such-company-xyz")
    shown = run_command("cnaikg explain no-such-company-xyz 2>&1")
    assert "no-such-company-xyz" in shown and shown.endswith("(exit status 2)")


@pytest.mark.parametrize("text, message", [
    ("<!-- BEGIN generated: nope -->\n<!-- END generated -->", "unknown generated block 'nope'; known: "),
    ("<!-- BEGIN generated: ontology -->\nno end", "has no `<!-- END generated -->`"),
    ("<!-- BEGIN generated: count bananas -->1<!-- END generated -->", "no count named 'bananas'"),
    ("<!-- BEGIN generated: command ls -la -->\n<!-- END generated -->", "a command block runs cnaikg"),
])
def test_mistakes_in_markers_are_named(text, message):
    with pytest.raises(DocsError, match=message.replace("(", r"\(").replace(")", r"\)").replace("`", "`")):
        render(text)


def test_every_block_generator_is_documented():
    assert all((fn.__doc__ or "").strip() for fn in BLOCKS.values())


def test_every_relative_link_in_readme_and_docs_points_at_a_file():
    import re

    broken = []
    for page in doc_files():
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)  # not inside code blocks
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(REPO)}: {target}")
    pending = [b for b in broken if b.rsplit(": ", 1)[1] in PAGES_FROM_OTHER_BRANCHES]
    assert len(pending) == len(broken), "links to missing files:\n" + "\n".join(b for b in broken if b not in pending)
    if pending:  # shown by -ra: the pages other issues write; this skip ends by itself once they are merged
        pytest.skip("docs pages not merged yet: " + ", ".join(sorted({b.rsplit(": ", 1)[1] for b in pending})))


#: pages written by the loaders, scores, news, views and Cypher issues in parallel with this one
PAGES_FROM_OTHER_BRANCHES = {"loaders.md", "scores.md", "keeping-current.md", "views.md", "cypher.md", "docs/img/explorer.png"}
