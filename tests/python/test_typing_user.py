"""`mypy --strict` on an example user script (tests/typing/user_script.py) passes, and the same
script with a misspelt keyword argument fails naming it (issue #14: the stubs and annotations are
what a user's type checker sees)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import wifund

HERE = Path(__file__).resolve().parents[1] / "typing"
pytest.importorskip("mypy")


def _mypy(script: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    package_root = Path(wifund.__file__).resolve().parents[1]
    if package_root.name != "site-packages":  # in-tree (PYTHONPATH=python): tell mypy where wifund is
        env["MYPYPATH"] = str(package_root)
    cmd = [sys.executable, "-m", "mypy", "--config-file", str(HERE / "mypy.ini"), "--cache-dir", str(tmp_path / "c")]
    return subprocess.run([*cmd, str(script)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)


@pytest.mark.slow
def test_user_script_passes_strict_and_a_misspelt_keyword_fails(tmp_path):
    good = HERE / "user_script.py"
    ok = _mypy(good, tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    text = good.read_text(encoding="utf-8")
    assert "years=10)" in text and "n_sims=100" in text
    bad = tmp_path / "user_script_typo.py"
    bad.write_text(text.replace("years=10)", "yeras=10)").replace("n_sims=100", "n_sim=100"), encoding="utf-8")
    res = _mypy(bad, tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    assert 'Unexpected keyword argument "yeras" for "project"' in res.stdout, res.stdout
    assert 'Unexpected keyword argument "n_sim" for "odp_bootstrap"' in res.stdout, res.stdout
