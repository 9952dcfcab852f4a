"""Every ```python block of the README runs as written (in a scratch directory)."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_block_runs(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(README), "exec"), {"__name__": "readme"})


def test_readme_lists_every_path_default():
    from wifund.assumptions import PATH_DEFAULTS

    text = README.read_text(encoding="utf-8")
    for name, value in PATH_DEFAULTS.items():
        shown = "city base rate" if value != value else f"{value:g}"
        assert f"| `{name}` | {shown} |" in text, name
