"""`wifund run` uses a second process (wifund.cli._Worker, issue #14 item 5) for the stock liabilities
of a large province and for the report's charts: the same bytes as computed in-process,
errors raised in the run, a lost process replaced by computing in-process, and no process left behind
however the run ends."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import wifund
import wifund.cli
from wifund import report

PYTHONPATH = str(Path(wifund.__file__).resolve().parent.parent)
YEARS = "5"

# Runs `wifund run` as the program (main() reading sys.argv, so the chart process is used) after the
# patch given as argv[1].
PROGRAM = """
import os, sys
patch = sys.argv.pop(1)
from wifund import cli, report
exec(patch)
sys.argv[0] = "wifund"
sys.exit(cli.main())
"""


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": PYTHONPATH + os.pathsep + os.environ.get("PYTHONPATH", "")}


def run_program(out: Path, patch: str = "", *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, patch, "run", "--years", YEARS, "--out", str(out), *extra],
        env=env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def page(path: Path) -> str:
    return re.sub(r"run on\s+\d{4}-\d{2}-\d{2}", "run on DATE", path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def in_process() -> str:
    """The report of the same run drawn in this process (no chart process)."""
    proj = wifund.project(wifund.Province.demo(), years=int(YEARS))
    return re.sub(r"run on\s+\d{4}-\d{2}-\d{2}", "run on DATE", report.render_html(proj))


def test_charts_from_the_second_process_are_the_same_bytes(tmp_path, in_process):
    # The drawing process records its parent: the run (a child process of the test) when the chart
    # process drew, the test itself if the run fell back to drawing in its own process.
    mark = tmp_path / "drawn"
    patch = (
        "real = report.draw_charts\n"
        "def draw(data):\n"
        f"    open({str(mark)!r}, 'w').write(str(os.getppid()))\n"
        "    return real(data)\n"
        "report.draw_charts = draw\n"
    )
    res = run_program(tmp_path / "out", patch)
    assert res.returncode == 0, res.stderr
    assert int(mark.read_text()) != os.getpid()  # drawn by the run's child, not by the run itself
    html = page(tmp_path / "out" / "report.html")
    assert html.count("data:image/png;base64,") == 4
    assert html == in_process  # every chart byte for byte, and the text


def test_an_error_drawing_is_the_runs_error(tmp_path):
    patch = (
        "def draw(data):\n"
        "    raise ValueError('chart input months_of_payment = nan for 2029')\n"
        "report.draw_charts = draw\n"
    )
    res = run_program(tmp_path / "out", patch)
    assert res.returncode == 2, res.stderr
    assert "wifund: error: chart input months_of_payment = nan for 2029" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_lost_chart_process_is_replaced_by_drawing_here(tmp_path, in_process):
    # The chart process dies at once (as if killed): the charts are drawn in the run's own process.
    patch = "cli._worker = lambda *a: os._exit(1)\n"
    res = run_program(tmp_path / "out", patch)
    assert res.returncode == 0, res.stderr
    assert page(tmp_path / "out" / "report.html") == in_process


def test_liabilities_from_the_second_process(tmp_path):
    """A province read from a folder, with the size threshold at 0: the second process computes the
    liabilities; every output is the same as when the run computes them."""
    folder = wifund.Province.demo().to_dir(tmp_path / "province")
    mark = tmp_path / "valued"
    patch = (
        "cli.PRECOMPUTE_ROWS = 0\n"
        "real = cli.stock_liabilities\n"
        "def liabilities(*a):\n"
        f"    open({str(mark)!r}, 'w').write(str(os.getppid()))\n"
        "    return real(*a)\n"
        "cli.stock_liabilities = liabilities\n"
    )
    res = run_program(tmp_path / "out", patch, "--province", str(folder))
    assert res.returncode == 0, res.stderr
    assert int(mark.read_text()) != os.getpid()  # valued by the run's child
    here = tmp_path / "here"
    cmd = ["run", "--years", YEARS, "--province", str(folder), "--out", str(here)]
    assert wifund.cli.main(cmd) == 0  # in-process: no second process
    for name in report.RUN_FILES:
        a, b = tmp_path / "out" / name, here / name
        if name.endswith(".csv"):
            assert a.read_bytes() == b.read_bytes(), name
    assert page(tmp_path / "out" / "report.html") == page(here / "report.html")
    tables = report._tables(wifund.project(wifund.Province.from_dir(folder), years=int(YEARS)))
    assert (here / "liabilities.csv").read_bytes().decode("utf-8-sig").count("\n") == len(tables["liabilities"]) + 1


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie not yet reaped by init counts as gone
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and PR_SET_PDEATHSIG")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_no_chart_process_outlives_the_run(tmp_path, sig):
    pids = tmp_path / "pids"
    # The chart process writes its pid, then waits for its inputs, which come only after a long pause
    # in the projection: the run is stopped while the chart process is alive.
    patch = (
        "real = cli._worker\n"
        "def child(*a):\n"
        f"    open({str(pids)!r}, 'w').write(str(os.getpid()))\n"
        "    real(*a)\n"
        "cli._worker = child\n"
        "import time\n"
        "real_project = cli.project\n"
        "cli.project = lambda *a, **k: (time.sleep(30), real_project(*a, **k))[1]\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", PROGRAM, patch, "run", "--years", YEARS, "--out", str(tmp_path / "out")],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not (pids.exists() and pids.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        child = int(pids.read_text())
        assert _alive(child)
        proc.send_signal(sig)
        err = proc.communicate(timeout=60)[1].decode()
        assert proc.returncode in (-sig, 128 + sig), err
        deadline = time.monotonic() + 10
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
