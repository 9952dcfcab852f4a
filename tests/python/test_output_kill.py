"""Kill tests (issue #7 item 5, part): the main job killed at many moments over an earlier output.

The guarantee (wifund._io): a kill before the switch leaves the previous output complete and untouched;
after it, the new output complete; within the switch (a few milliseconds of renames, shielded from
SIGTERM/SIGHUP/SIGINT) every file is complete and is one of the two versions the manifest (state
"switching") lists. SIGKILL may leave ``.wifund-tmp-*`` files: the next run removes them. SIGTERM and
SIGHUP leave none. In every case user files are untouched and the next run refreshes the folder.

Kills land at timed delays (anywhere in the run) and, deterministically, at the n-th rename of the
switch and the n-th file flushed, by a child process that patches ``os.replace`` / ``os.fsync`` to
SIGKILL itself (test code only; nothing in wifund knows about it).
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import wifund
from wifund import _io
from wifund import report as report_mod
from wifund.cli import main

pytestmark = pytest.mark.slow

PYTHONPATH = str(Path(wifund.__file__).resolve().parent.parent)
YEARS = "5"

CHILD = """
import os, signal, sys
what, n = sys.argv[1], int(sys.argv[2])
real = getattr(os, what)
calls = [0]
def patched(*a, **k):
    if calls[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)
    calls[0] += 1
    return real(*a, **k)
setattr(os, what, patched)
from wifund.cli import main
sys.exit(main(sys.argv[3:]))
"""


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def env():
    return {**os.environ, "PYTHONPATH": PYTHONPATH + os.pathsep + os.environ.get("PYTHONPATH", "")}


def complete(path: Path) -> None:
    """The file is whole: a CSV parses, a workbook's zip is intact, the report ends."""
    if path.suffix == ".csv":
        pd.read_csv(path)
    elif path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None
    elif path.suffix == ".html":
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    elif path.suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))


def check_after_kill(out: Path, previous: dict, user: dict) -> str:
    """The invariant after any kill; returns "previous", "new" or "switching"."""
    for name, digest in user.items():
        assert sha(out / name) == digest, f"user file {name} changed"
    manifest = _io.read_manifest(out)
    assert manifest is not None, "the folder lost its manifest"
    versions = {}
    for table in (manifest["files"], manifest.get("previous", {})):
        for name, e in table.items():
            versions.setdefault(name, set()).add(e["sha256"])
    for p in out.iterdir():
        if p.name.startswith(_io.TMP_PREFIX) or p.name in user or p.name == _io.MANIFEST:
            continue
        assert p.name in versions, f"{p.name} is neither the user's nor listed in the manifest"
        assert sha(p) in versions[p.name], f"{p.name} is not a version the manifest lists"
        complete(p)
    if manifest["state"] == "switching":
        return "switching"
    assert manifest["state"] == "complete"
    for name, e in manifest["files"].items():
        assert sha(out / name) == e["sha256"], f"{name} does not match a complete manifest"
    return "previous" if manifest["files"] == previous["files"] else "new"


def check_next_run(out: Path, user: dict, capsys) -> None:
    args = ["run", "--years", YEARS, "--out", str(out)] + (["--force"] if user else [])
    assert main(args) == 0, capsys.readouterr().err
    assert not [p for p in out.iterdir() if p.name.startswith(_io.TMP_PREFIX)]
    m = _io.read_manifest(out)
    assert m["state"] == "complete" and set(m["files"]) == set(report_mod.RUN_FILES)
    for name, e in m["files"].items():
        assert sha(out / name) == e["sha256"]
    assert {p.name for p in out.iterdir()} == set(m["files"]) | {_io.MANIFEST} | set(user)
    for name, digest in user.items():
        assert sha(out / name) == digest


@pytest.fixture()
def earlier(tmp_path, capsys):
    def make(with_user_files: bool):
        out = tmp_path / ("with-user-files" if with_user_files else "out")
        user = {}
        if with_user_files:
            out.mkdir()
            (out / "notes.txt").write_text("my notes\n")
            user = {"notes.txt": sha(out / "notes.txt")}
        args = ["run", "--years", "3", "--out", str(out)] + (["--force"] if user else [])
        assert main(args) == 0
        capsys.readouterr()
        return out, _io.read_manifest(out), user

    return make


def run_child(out: Path, force: bool, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *extra, "run", "--years", YEARS, "--out", str(out)] + (["--force"] if force else []),
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("with_user_files", [False, True])
def test_sigkill_at_timed_moments(earlier, capsys, with_user_files):
    out, previous, user = earlier(with_user_files)
    seen = []
    for delay in (0.05, 0.6, 1.2, 1.8, 2.4, 3.2):
        proc = run_child(out, bool(user), "-m", "wifund")
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        state = check_after_kill(out, previous, user)
        seen.append((delay, proc.returncode, state))
        check_next_run(out, user, capsys)
        previous = _io.read_manifest(out)
    print(seen)


@pytest.mark.parametrize("n", [0, 1, 7, 14])
def test_sigkill_at_the_nth_rename_of_the_switch(earlier, capsys, n):
    """os.replace calls: the switching manifest, the 13 files, the final manifest (15 in all)."""
    out, previous, user = earlier(False)
    proc = run_child(out, bool(user), "-c", CHILD, "replace", str(n))
    err = proc.communicate(timeout=120)[1].decode()
    assert proc.returncode == -signal.SIGKILL, err
    state = check_after_kill(out, previous, user)
    assert state == ("previous" if n == 0 else "switching")
    if n == 7:  # killed again in the middle of the next switch: still recognised, still recoverable
        proc = run_child(out, bool(user), "-c", CHILD, "replace", "4")
        err = proc.communicate(timeout=120)[1].decode()
        assert proc.returncode == -signal.SIGKILL, err
        assert check_after_kill(out, previous, user) == "switching"
    check_next_run(out, user, capsys)


@pytest.mark.parametrize("n", [0, 6, 12])
def test_sigkill_while_files_are_written(earlier, capsys, n):
    """os.fsync is called once per file written (before any rename): the previous output is untouched."""
    out, previous, user = earlier(True)
    before = {p.name: sha(p) for p in out.iterdir()}
    proc = run_child(out, bool(user), "-c", CHILD, "fsync", str(n))
    err = proc.communicate(timeout=120)[1].decode()
    assert proc.returncode == -signal.SIGKILL, err
    assert check_after_kill(out, previous, user) == "previous"
    left = {p.name: sha(p) for p in out.iterdir() if not p.name.startswith(_io.TMP_PREFIX)}
    assert left == before
    assert [p for p in out.iterdir() if p.name.startswith(_io.TMP_PREFIX)]  # SIGKILL: the next run's job
    check_next_run(out, user, capsys)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_leave_no_temporaries(earlier, capsys, sig):
    out, previous, user = earlier(True)
    for delay in (0.4, 1.4, 2.4):
        proc = run_child(out, bool(user), "-m", "wifund")
        time.sleep(delay)
        proc.send_signal(sig)
        err = proc.communicate(timeout=60)[1].decode()
        assert proc.returncode in (0, 128 + sig, -sig), (proc.returncode, err)
        assert "Traceback" not in err, err
        check_after_kill(out, previous, user)
        assert not [p for p in out.iterdir() if p.name.startswith(_io.TMP_PREFIX)], (delay, err)
        check_next_run(out, user, capsys)
        previous = _io.read_manifest(out)
