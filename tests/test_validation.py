"""`cnaikg validate` on a corpus of broken files: each broken in one way, each with the exact error it must produce."""

from pathlib import Path

import pytest

from cnaikg.loaders.curated import read_dataset
from conftest import HERE, make_data_dir, run_cli

BROKEN = sorted(p for p in (HERE / "data" / "broken").iterdir() if p.is_dir())


def errors_of(data: Path) -> list[str]:
    """Every error found in ``data``, with the folder prefix removed from file names."""
    ds = read_dataset(data, today=__import__("datetime").date(2026, 11, 21))
    prefix = str(data) + "/"
    return [str(p).replace(prefix, "").replace(str(Path(prefix).resolve()) + "/", "") for p in ds.errors]


def test_the_mini_dataset_is_valid(mini):
    assert errors_of(mini) == []


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_each_broken_file_gives_its_exact_error(tmp_path, case):
    data = make_data_dir(tmp_path, overlay=case)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert errors_of(data) == expected


def test_every_problem_is_reported_in_one_run(tmp_path):
    """Two broken rows in two files: both are reported, not just the first."""
    data = make_data_dir(tmp_path)
    rel = data / "relationships.csv"
    rel.write_text(rel.read_text() + "chipco,SUPPLIES,nobody,2024,,,src-a,medium,\nchipco,OWNS,acme-ai,2024,,stake_pct=101,src-a,high,\n")
    ent = data / "entities.csv"
    ent.write_text(ent.read_text() + "acme-ai,company,Dup,,,,,,,,,\n")
    errs = errors_of(data)
    assert len(errs) == 3
    assert any("unknown entity id 'nobody'" in e for e in errs)
    assert any("101 is outside 0 to 100" in e for e in errs)
    assert any("duplicate id 'acme-ai'" in e for e in errs)


def test_validate_command_exits_nonzero_and_names_file_line_field(tmp_path):
    data = make_data_dir(tmp_path, overlay=HERE / "data" / "broken" / "bad-date")
    proc = run_cli("validate", "--data", str(data))
    assert proc.returncode == 1
    assert "relationships.csv:2: since: '2016-13' is not a date" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_build_refuses_bad_data_with_one_clear_message(tmp_path):
    data = make_data_dir(tmp_path, overlay=HERE / "data" / "broken" / "dangling-reference")
    proc = run_cli("build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "unknown entity id 'chipko'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "graph.json").exists()


def test_validate_accepts_the_shipped_dataset():
    proc = run_cli("validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_fact_that_starts_before_its_entity_was_founded_is_a_warning(tmp_path):
    """Acme AI was founded in 2023-07; ChipCo supplying it from 2019 cannot be right, and validate says so (a warning:
    a deal signed a few days before a company's registration is a real case), naming file, line and both dates."""
    data = make_data_dir(tmp_path)
    rel = data / "relationships.csv"
    rel.write_text(rel.read_text(encoding="utf-8") + "chipco,PARTNERS_WITH,acme-ai,2019,,,src-a,medium,\n", encoding="utf-8")
    ds = read_dataset(data, today=__import__("datetime").date(2026, 11, 21))
    assert ds.errors == []
    line = len(rel.read_text(encoding="utf-8").splitlines())
    found = [str(p) for p in ds.warnings if "before acme-ai was founded" in str(p)]
    assert found == [f"{rel}:{line}: since: PARTNERS_WITH starts 2019, before acme-ai was founded (2023-07); check both dates: "
                     "a fact cannot start before the entity exists (date a deal signed before a company's registration from the "
                     "registration, or say why in the note) [warning]"]
