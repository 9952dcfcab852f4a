"""``wifund simulate`` (issue #12 item 5): the output folder (quantiles, risk table, exhaustion
distribution, report.html with a manifest, the rules of ``wifund run``), errors exit 2, and the report
renders in headless Chromium."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_cli_report import _chromium, dump_dom

from wifund.cli import main
from wifund.sim_report import SIM_FILES

pytestmark = pytest.mark.filterwarnings("ignore::wifund.ReplayWarning")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sim") / "out"
    assert main(["simulate", "--scenarios", "12", "--years", "6", "--seed", "3", "--out", str(folder)]) == 0
    return folder


def test_simulate_writes_its_files(out, capsys):
    for name in (*SIM_FILES, "wifund-manifest.json"):
        assert (out / name).is_file(), name
    q = pd.read_csv(out / "quantiles.csv")
    closing = q[q["variable"] == "closing"]
    assert len(closing) == 6 and (closing["q05"] <= closing["q50"]).all() and (closing["q50"] <= closing["q95"]).all()
    risk = pd.read_csv(out / "risk.csv", index_col="year")
    assert risk["prob_exhausted_by"].between(0, 1).all()
    # the same command again refreshes our own output; a foreign folder is refused (exit 2)
    assert main(["simulate", "--scenarios", "12", "--years", "6", "--seed", "3", "--out", str(out)]) == 0
    assert pd.read_csv(out / "quantiles.csv").equals(q)


def test_simulate_errors_exit_2(tmp_path, capsys):
    assert main(["simulate", "--scenarios", "0", "--out", str(tmp_path / "a")]) == 2
    assert "--scenarios = 0" in capsys.readouterr().err
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert main(["simulate", "--scenarios", "2", "--years", "2", "--out", str(foreign)]) == 2
    assert (foreign / "notes.txt").read_text() == "mine"


@pytest.mark.browser
def test_simulation_report_renders_in_headless_chromium(out, tmp_path):
    browser = _chromium()
    assert browser, "chromium is required (scripts/setup.sh installs Debian's chromium)"
    res = dump_dom(browser, out / "report.html", tmp_path)
    tag = re.search(r"<body[^>]*>", res.stdout)
    assert tag, res.stderr[-2000:]
    assert 'data-charts-total="2"' in tag.group(0) and 'data-charts-rendered="2"' in tag.group(0), tag.group(0)
    assert 'data-errors="0"' in tag.group(0)
    assert 'id="depletion"' in res.stdout and "P(fund exhausted within 6 years)" in res.stdout
