"""The main job from the command line, its outputs, atomic writes, and the HTML report in Chromium."""

import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from wifund import report as report_mod
from wifund.cli import main


def test_run_writes_everything(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "--years", "12", "--out", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {
        "report.html",
        "projection.xlsx",
        "fund.csv",
        "by_city.csv",
        "indicators.csv",
        "assumed_parameters.csv",
    } <= names
    fund = pd.read_csv(out / "fund.csv", index_col="year")
    assert list(fund.index) == list(range(2025, 2037))
    # The workbook: row 1 Chinese names and units, row 2 the keys; money in 万元, unrounded.
    xl = pd.read_excel(out / "projection.xlsx", sheet_name="fund", header=1, index_col="year")
    units = pd.read_excel(out / "projection.xlsx", sheet_name="fund", nrows=0).columns
    money = [k for k, u in zip(["year", *xl.columns], units, strict=True) if "万元" in str(u)]
    assert "closing" in money and "months_of_payment" not in money
    xl[money] = xl[money] * 1e4
    pd.testing.assert_frame_equal(xl, fund, check_exact=False, check_dtype=False, rtol=1e-12)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "reserve.ratio" in html and "Assumed parameters used" in html and "illustrative" in html
    assert not re.search(r"(src|href)=\"https?://", html)  # self-contained
    assert "closing balance 2036" in capsys.readouterr().out


def test_python_m_wifund_with_options(tmp_path):
    out = tmp_path / "o"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "wifund",
            "run",
            "--policy",
            "ningxia",
            "--start",
            "2026",
            "--years",
            "3",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "policy ningxia" in res.stdout
    assert list(pd.read_csv(out / "fund.csv")["year"]) == [2026, 2027, 2028]


def test_cli_error_is_clear(tmp_path, capsys):
    assert main(["run", "--province", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_failed_run_leaves_previous_output_intact(tmp_path, monkeypatch, demo_projection):
    out = tmp_path / "out"
    report_mod.write_run(demo_projection, out)
    before = {p.name: p.stat().st_size for p in out.iterdir()}

    def boom(*_):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(report_mod, "render_html", boom)
    with pytest.raises(RuntimeError):
        report_mod.write_run(demo_projection, out)
    assert {p.name: p.stat().st_size for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folders left behind


def test_failed_single_file_write_leaves_nothing(tmp_path, monkeypatch, demo_projection):
    monkeypatch.setattr(report_mod, "_write_excel_into", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        demo_projection.to_excel(tmp_path / "p.xlsx")
    assert list(tmp_path.iterdir()) == []


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def dump_dom(browser: str, path, home) -> subprocess.CompletedProcess:
    """The DOM of an HTML file after its scripts ran in headless Chromium (stderr: the console)."""
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
            "--dump-dom",
            path.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(home)},
    )


@pytest.mark.browser
def test_report_renders_in_headless_chromium(tmp_path, demo_projection):
    browser = _chromium()
    assert browser, "chromium is required (scripts/setup.sh installs Debian's chromium)"
    path = demo_projection.report(tmp_path / "report.html")
    res = dump_dom(browser, path, tmp_path)
    body = re.search(r"<body[^>]*>", res.stdout)
    assert body, res.stderr[-2000:]
    tag = body.group(0)
    charts = path.read_text(encoding="utf-8").count('<img class="chart"')
    assert charts >= 4, charts  # months, fund, rates, valuation (issue #11)
    assert f'data-charts-total="{charts}"' in tag and f'data-charts-rendered="{charts}"' in tag, tag
    assert 'data-errors="0"' in tag, tag
    console = [ln for ln in res.stderr.splitlines() if "CONSOLE" in ln]
    assert any(f"{charts}/{charts} charts rendered" in ln for ln in console), console
    # For a budget office (issue #14 item 2): the budget-year table first, Chinese line-item names.
    dom = res.stdout
    assert dom.index('id="budget-year"') < dom.index('id="chart-months"')
    for name in (
        "工伤保险费收入 contributions",
        "一次性伤残补助金 disability_lump_sum",
        "伤残津贴 disability_allowance",
    ):
        assert name in dom, name
    year = demo_projection.years[0]
    assert f"{demo_projection.province.base_year} 实际 actual" in dom and f"{year} 预测 projected" in dom
    assert not [ln for ln in console if "Uncaught" in ln or ":ERROR:CONSOLE" in ln], console
