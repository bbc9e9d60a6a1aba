"""Safe output: atomic writes (temp file then rename), output folders written as a set, spreadsheet-safe CSV cells.

>>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("＝1+1"), spreadsheet_safe("@SUM(A1)")
("'=HYPERLINK(1)", "'＝1+1", "'@SUM(A1)")
>>> spreadsheet_safe("-12.5"), spreadsheet_safe(-1.5), spreadsheet_safe("Moore Threads")
('-12.5', -1.5, 'Moore Threads')
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

__all__ = ["read_toml", "atomic_path", "write_text_atomic", "write_bytes_atomic", "write_json_atomic", "write_csv_atomic", "spreadsheet_safe",
           "FORMULA_PREFIXES", "staged_dir", "output_error"]

#: Characters a spreadsheet may read as the start of a formula: = + - @, their full-width forms, tab, CR, LF.
FORMULA_PREFIXES = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t", "\r", "\n")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?$")


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
    """The TOML table in ``path``; a missing, unreadable or invalid file is a DataError naming the file and the fix.

    ``what`` names the kind of file in the message (for example "rules TOML file (see data/rules.toml)").

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.toml"
    >>> _ = p.write_text('a = 1')
    >>> read_toml(p, "test file")
    {'a': 1}
    """
    import tomllib

    from cnaikg.errors import DataError, Problem

    shown = str(path)
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(shown, 0, "", "file not found", f"pass the path of a {what}")]) from None
    except IsADirectoryError:
        raise DataError([Problem(shown, 0, "", "is a folder, not a file", f"pass the path of a {what}")]) from None
    except UnicodeDecodeError:
        raise DataError([Problem(shown, 0, "", "not UTF-8 text", "save the file as UTF-8")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError([Problem(shown, 0, "", f"not valid TOML: {exc}", "fix the syntax")]) from None


def spreadsheet_safe(value: Any) -> Any:
    """Prefix a quote to text cells a spreadsheet would run as a formula (= + - @, full-width ＝＋－＠, tab, CR).

    Numbers stay numbers: int and float values, and text that is exactly a
    number in ASCII digits (``-1.5``, ``+3``, ``1e-3``), are returned unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    if value.lstrip(" ")[:1] in FORMULA_PREFIXES or value[:1] in FORMULA_PREFIXES:
        if _NUMBER.match(value):
            return value
        return "'" + value
    return value


@contextlib.contextmanager
def atomic_path(path: str | Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``, on error delete it.

    Readers never see a half-written file, and a failed run leaves the old file intact.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "Is a directory (a folder stands where the file should be written)", str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=target.parent)
    except OSError as exc:  # name the path the user gave, not the temporary file
        raise type(exc)(exc.errno, exc.strerror, str(target)) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` (LF line ends) to ``path`` atomically; return the path."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: str | Path, obj: Any) -> Path:
    """Write ``obj`` as stable, indented UTF-8 JSON (sorted keys) atomically."""
    return write_text_atomic(path, json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def write_csv_atomic(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *, safe: bool = True) -> Path:
    """Write a CSV file atomically; with ``safe`` (default) text cells are neutralised for spreadsheets."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([spreadsheet_safe(c) if safe else c for c in row])
    return write_text_atomic(path, buf.getvalue())


_STAGE_MARK = ".cnaikg-set"
_OWNER = ".cnaikg-owner"


def _remove_abandoned(parent: Path, name: str) -> None:
    """Remove staging folders of ``name`` left by a process that was killed (its owner is no longer running)."""
    for p in parent.glob(f"{name}.tmp-*"):
        owner = p / _OWNER
        try:
            pid = int(owner.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):  # killed before the owner file was written: the pid is in the folder's name
            m = re.fullmatch(re.escape(name) + r"\.tmp-(\d+)-.*", p.name)
            if not m:
                continue  # not ours
            pid = int(m.group(1))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(p, ignore_errors=True)
        except OSError:
            continue


def output_error(path: str | Path, exc: OSError, what: str = "write") -> str:
    """One line saying which path failed, why, and how to fix it (for OSError from writing outputs).

    >>> import errno
    >>> output_error("out", OSError(errno.ENOSPC, "No space left on device"))
    'out: cannot write: No space left on device; free some disk space or choose another folder with --out'
    """
    import errno

    fixes = {
        errno.ENOSPC: "free some disk space or choose another folder with --out",
        errno.EACCES: "choose a folder you may write to with --out (or fix its permissions)",
        errno.EPERM: "choose a folder you may write to with --out (or fix its permissions)",
        errno.EROFS: "the file system is read-only; choose another folder with --out",
        errno.ENOTDIR: "a file stands where a folder is needed; remove it or choose another --out",
        errno.EEXIST: "a file stands where a folder is needed; remove it or choose another --out",
        errno.EISDIR: "a folder stands where a file is needed; remove it or choose another path",
        errno.ENOENT: "check that the path exists",
        errno.EDQUOT: "the disk quota is full; free some space or choose another folder",
        errno.ENAMETOOLONG: "use a shorter path",
        errno.EFBIG: "the file is larger than this system allows (or the disk is full); free space or choose another folder",
    }
    where = getattr(exc, "filename", None) or path
    return f"{where}: cannot {what}: {exc.strerror or exc}; {fixes.get(exc.errno or 0, 'check the path and its permissions')}"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False when the system cannot."""
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    rc = fn(AT_FDCWD, os.fsencode(str(a)), AT_FDCWD, os.fsencode(str(b)), RENAME_EXCHANGE)
    return rc == 0


@contextlib.contextmanager
def staged_dir(target: str | Path, *, keep: Iterable[str] = ()) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; on success switch it into place as a whole.

    Everything is written into ``TARGET.tmp-XXXX``; at the end the staging folder
    and the old ``target`` are swapped in one atomic step (renameat2 on Linux;
    elsewhere two renames, so an interrupt leaves the old set or nothing, never a
    mix). On any error, or an interrupt, the staging folder is removed and the
    previous complete output stays. Entries of an existing ``target`` that an
    earlier staged write did not produce (another command's subfolder, files the
    user put there) are carried over, as are the names in ``keep``.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with staged_dir(out) as d:
    ...     _ = (d / "a.csv").write_text("x")
    >>> sorted(p.name for p in out.iterdir())
    ['.cnaikg-set', 'a.csv']
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(20, "Not a directory (a file stands where the output folder should be)", str(target))
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(parent, target.name)
        stage = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-{os.getpid()}-", dir=parent))
        (stage / _OWNER).write_text(str(os.getpid()), encoding="utf-8")
    except OSError as exc:  # name the folder the user gave, not the staging folder
        raise type(exc)(exc.errno, exc.strerror, str(target)) from None
    try:
        yield stage
        (stage / _OWNER).unlink(missing_ok=True)
        written = sorted(p.name for p in stage.iterdir())
        (stage / _STAGE_MARK).write_text("\n".join(written) + "\n", encoding="utf-8")
        os.chmod(stage, 0o755)
        if target.exists():
            mark = target / _STAGE_MARK
            ours = set(mark.read_text(encoding="utf-8").split()) | {_STAGE_MARK} if mark.is_file() else set(written) | {_STAGE_MARK}
            foreign = [p for p in target.iterdir() if (p.name not in ours or p.name in set(keep)) and p.name not in written]
            for p in foreign:  # carried over: hard links for files, a copy for folders (the old set stays whole until the swap)
                dest = stage / p.name
                if p.is_dir() and not p.is_symlink():
                    shutil.copytree(p, dest, symlinks=True)
                else:
                    try:
                        os.link(p, dest)
                    except OSError:
                        shutil.copy2(p, dest)
            if _exchange(stage, target):
                shutil.rmtree(stage, ignore_errors=True)  # now holds the old set
                return
            old = Path(tempfile.mkdtemp(prefix=f"{target.name}.old-", dir=parent))
            os.rmdir(old)
            os.replace(target, old)
            os.replace(stage, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(stage, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
