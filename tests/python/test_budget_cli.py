"""`wifund budget draft|monitor|share|assess|audit|report` (issue #10 item 9): runnable with no input (the demo
year), clear errors with exit status 2, atomic outputs, and the evaluator's report in headless Chromium."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from test_cli_report import _chromium, dump_dom

import wifund
from wifund.cli import main


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("budget") / "report"
    assert main(["budget", "report", "--out", str(out)]) == 0
    return out


def test_every_command_runs_on_the_demo(tmp_path, capsys):
    for cmd, files in (
        (["draft"], {"budget.csv", "budget_annual.csv", "adjustments.csv", "draft_basis.csv"}),
        (["monitor", "--as-of", "6"], {"execution.csv", "warnings.csv"}),
        (["share", "--rule", "anhui"], {"decomposition.csv", "shares.csv"}),
        (["assess"], {"scores.csv"}),
        (["audit"], {"audit.csv"}),
    ):
        out = tmp_path / cmd[0]
        assert main(["budget", *cmd, "--out", str(out)]) == 0, cmd
        assert files <= {p.name for p in out.iterdir()}, cmd
    text = capsys.readouterr().out
    assert "budget draft 2025" in text and "audit: 1 finding" in text
    # the CSVs are the Python results
    year = wifund.datasets.demo_budget_year()
    audit = pd.read_csv(tmp_path / "audit" / "audit.csv")
    assert list(audit["city"]) == list(year.audit()["city"])
    ex = pd.read_csv(tmp_path / "monitor" / "execution.csv").set_index(["city", "line"])
    assert ex.loc[("(province)", "revenue"), "progress"] == pytest.approx(
        year.monitor(6).loc[("(province)", "revenue"), "progress"], rel=1e-12
    )


def test_draft_with_actuals_targets_and_adjustments(tmp_path):
    src = wifund.budget_year.demo_dir()
    (tmp_path / "targets.csv").write_text("city,contributions\nXihe,200000000\n", encoding="utf-8")
    (tmp_path / "adj.csv").write_text(
        "line,city,amount,factor,reason,author\nmedical,Xihe,1000000,,new hospital,evaluator\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    args = ["budget", "draft", "--actuals", str(src / "actuals.csv"), "--targets", str(tmp_path / "targets.csv")]
    assert main([*args, "--adjustments", str(tmp_path / "adj.csv"), "--out", str(out)]) == 0
    annual = pd.read_csv(out / "budget_annual.csv").set_index("city")
    assert annual.loc["Xihe", "contributions"] == pytest.approx(2e8, rel=1e-12)
    assert pd.read_csv(out / "adjustments.csv")["reason"].tolist() == ["new hospital"]
    monthly = pd.read_csv(out / "budget.csv")
    assert set(monthly["year"]) == {2026}


def test_errors_name_the_file_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "year"
    shutil.copytree(wifund.budget_year.demo_dir(), bad)
    lines = (bad / "actuals.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[4].split(",")
    cells[-1] = "abc"
    lines[4] = ",".join(cells)
    (bad / "actuals.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["budget", "monitor", "--dir", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "actuals.csv" in err and "file line 5" in err and "'abc'" in err and f"city '{cells[0]}'" in err
    assert not (tmp_path / "o").exists()
    assert main(["budget", "monitor", "--as-of", "13", "--out", str(tmp_path / "o")]) == 2
    assert "--as-of = 13" in capsys.readouterr().err
    assert main(["budget", "audit", "--dir", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    assert "nowhere" in capsys.readouterr().err
    # an output folder holding other files is refused, and left as it was
    other = tmp_path / "other"
    other.mkdir()
    (other / "mine.txt").write_text("keep", encoding="utf-8")
    assert main(["budget", "audit", "--out", str(other)]) == 2
    assert {p.name for p in other.iterdir()} == {"mine.txt"}
    assert main(["budget", "draft", "--year", "2020", "--out", str(tmp_path / "o")]) == 2
    assert "--year = 2020" in capsys.readouterr().err


def test_report_files(report_dir):
    names = {p.name for p in report_dir.iterdir()}
    assert {"budget_report.html", "budget_report.xlsx", "execution.csv", "shares.csv", "audit.csv"} <= names
    html = (report_dir / "budget_report.html").read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"https?://", html)  # self-contained
    with pd.ExcelFile(report_dir / "budget_report.xlsx") as book:
        sheets = {"budget", "adjustments", "execution", "decomposition", "shares", "scores", "warnings", "audit"}
        assert sheets <= set(book.sheet_names)
        # row 1 Chinese names with the unit, row 2 the keys; money in 万元
        head = pd.read_excel(book, sheet_name="shares", nrows=0).columns
    assert any("责任分担金额" in str(h) and "万元" in str(h) for h in head)


@pytest.mark.browser
def test_report_renders_in_headless_chromium(report_dir, tmp_path):
    browser = _chromium()
    assert browser, "chromium is required (scripts/setup.sh installs Debian's chromium)"
    res = dump_dom(browser, report_dir / "budget_report.html", tmp_path)
    body = re.search(r"<body[^>]*>", res.stdout)
    assert body, res.stderr[-2000:]
    tag = body.group(0)
    assert 'data-charts-total="3"' in tag and 'data-charts-rendered="3"' in tag, tag
    assert 'data-errors="0"' in tag, tag
    console = [ln for ln in res.stderr.splitlines() if "CONSOLE" in ln]
    assert any("3/3 charts rendered" in ln for ln in console), console
    assert not [ln for ln in console if "Uncaught" in ln or ":ERROR:CONSOLE" in ln], console
    dom = res.stdout
    for section in ("budget", "execution", "decomposition", "shares", "scores", "warnings", "audit"):
        assert f'id="{section}"' in dom, section
    for name in ("执行进度 progress", "责任分担金额 share", "工伤保险费收入 contributions", "时间进度 time_progress"):
        assert name in dom, name
