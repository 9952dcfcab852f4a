"""`wifund --version`, `wifund run --assumptions FILE` and Assumptions.from_file (issue #14 item 4)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wifund
from wifund import Assumptions
from wifund.cli import main

from badinput import Case, check

ROOT = Path(__file__).resolve().parents[2]


def test_version_has_one_source():
    # pyproject.toml is the one source: CMake reads it and compiles it into the extension.
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert wifund.__version__ == declared
    out = subprocess.run(
        [sys.executable, "-m", "wifund", "--version"], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == f"wifund {declared}"


def test_run_reads_back_its_own_assumptions_csv(tmp_path, capsys):
    first = tmp_path / "first"
    assert main(["run", "--years", "8", "--out", str(first)]) == 0
    written = first / "assumptions.csv"
    # The file the run wrote, read back, reproduces the run exactly.
    second = tmp_path / "second"
    assert main(["run", "--years", "8", "--assumptions", str(written), "--out", str(second)]) == 0
    a = pd.read_csv(first / "fund.csv")
    b = pd.read_csv(second / "fund.csv")
    pd.testing.assert_frame_equal(a, b)
    # and the manifest lists the assumptions file as an input
    assert "assumptions.csv" in (second / "wifund-manifest.json").read_text()


def test_run_with_toml_assumptions_equals_the_python_call(tmp_path, capsys):
    f = tmp_path / "sens.toml"
    f.write_text("# a sensitivity: slower wage growth\n[wage_growth]\n2025 = 0.02\n2026 = 0.01\n")
    out = tmp_path / "o"
    assert main(["run", "--years", "6", "--assumptions", str(f), "--out", str(out)]) == 0
    got = pd.read_csv(out / "fund.csv")
    a = Assumptions(paths={"wage_growth": {2025: 0.02, 2026: 0.01}})
    want = wifund.project(wifund.Province.demo(), assumptions=a, years=6).fund
    np.testing.assert_allclose(got["closing"].to_numpy(), want["closing"].to_numpy(), rtol=1e-12)
    base = wifund.project(wifund.Province.demo(), years=6).fund
    assert not np.allclose(want["closing"].to_numpy(), base["closing"].to_numpy())


def test_from_file_toml_city_paths_and_claims(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text("death_share = 0.01\n[city_paths.collection_rate]\nJingcheng = 0.9\n")
    a = Assumptions.from_file(f)
    assert a.claims == {"death_share": 0.01}
    assert a.city_paths == {"collection_rate": {"Jingcheng": 0.9}}


def test_from_file_csv_in_gbk_with_a_comment(tmp_path):
    f = tmp_path / "a.csv"
    f.write_bytes("# 工资增长情景\nyear,wage_growth\n2025,0.03\n2026,0.02\n".encode("gbk"))
    a = Assumptions.from_file(f)
    np.testing.assert_allclose(a.path("wage_growth", [2025, 2026, 2027]), [0.03, 0.02, 0.02])


def test_cli_bad_assumptions_file_is_one_line_and_exit_2(tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text("year,wage_grwth\n2025,0.03\n")
    out = tmp_path / "o"
    assert main(["run", "--assumptions", str(f), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "wage_grwth" in err and "wage_growth" in err and err.count("\n") == 1
    assert not out.exists()  # refused before anything was written


def _write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text)
    return p


def _cases(tmp: Path) -> list[Case]:
    f = Assumptions.from_file
    return [
        Case("missing-file", lambda: f(tmp / "nope.csv"), FileNotFoundError, ("nope.csv",)),
        Case("unknown-suffix", lambda: f(_write(tmp, "a.json", "{}")), ValueError, ("a.json", ".json")),
        Case("no-year-column", lambda: f(_write(tmp, "b.csv", "yr,wage_growth\n2025,0.1\n")), ValueError, ("year",)),
        Case(
            "year-not-integer",
            lambda: f(_write(tmp, "c.csv", "year,wage_growth\n2025.5,0.1\n")),
            ValueError,
            ("2025.5", "year"),
        ),
        Case(
            "duplicate-year",
            lambda: f(_write(tmp, "d.csv", "year,wage_growth\n2025,0.1\n2025,0.2\n")),
            ValueError,
            ("2025", "twice"),
        ),
        Case(
            "non-numeric",
            lambda: f(_write(tmp, "e.csv", "year,wage_growth\n2025,abc\n")),
            ValueError,
            ("wage_growth", "2025", "abc"),
        ),
        Case(
            "growth-below-minus-one",
            lambda: f(_write(tmp, "g.csv", "year,wage_growth\n2025,-1.5\n")),
            ValueError,
            ("wage_growth", "-1.5"),
        ),
        Case(
            "toml-unknown-name",
            lambda: f(_write(tmp, "h.toml", "wage_grwth = 0.1\n")),
            ValueError,
            ("h.toml", "wage_grwth", "wage_growth"),
        ),
        Case(
            "toml-syntax",
            lambda: f(_write(tmp, "i.toml", "wage_growth = \n")),
            ValueError,
            ("i.toml", "line 1"),
        ),
        Case(
            "toml-string-value",
            lambda: f(_write(tmp, "j.toml", 'wage_growth = "fast"\n')),
            (TypeError, ValueError),
            ("wage_growth", "fast"),
        ),
    ]


@pytest.mark.parametrize("i", range(10))
def test_bad_assumptions_files(tmp_path, i):
    check(_cases(tmp_path)[i])


def test_readme_assumptions_toml_example_is_valid(tmp_path):
    import re

    blocks = re.findall(r"```toml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)
    example = [b for b in blocks if "city_paths" in b]
    assert example, "the README's --assumptions TOML example is missing"
    f = tmp_path / "sens.toml"
    f.write_text(example[0], encoding="utf-8")
    a = Assumptions.from_file(f)
    np.testing.assert_allclose(a.path("wage_growth", [2025, 2026, 2027]), [0.02, 0.01, 0.01])
    assert a.claims["death_share"] == 0.012


def test_demo_is_cached_but_each_call_owns_its_frames():
    a = wifund.Province.demo()
    a.insured.loc[0, "insured"] = -1.0  # the caller's copy
    a.fund["opening_balance"] = 0.0
    b = wifund.Province.demo()
    assert b.insured.loc[0, "insured"] > 0 and b.fund["opening_balance"] > 0
    pd.testing.assert_frame_equal(b.beneficiaries, wifund.Province.from_dir(b.source).beneficiaries)
