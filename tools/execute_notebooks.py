"""Executes the notebooks in notebooks/ and stores them with their outputs (issue #14 item 6).

    python tools/execute_notebooks.py [notebooks/01_quickstart.ipynb ...]

Each notebook runs top to bottom in a scratch directory (so the files it writes stay out of the
tree) with the Agg backend; the executed notebook replaces the stored one atomically. Run it after
changing a notebook or the numbers it shows; tests/python/test_notebooks.py checks that every stored
notebook has its outputs and still runs.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    os.environ["MPLBACKEND"] = "Agg"
    with tempfile.TemporaryDirectory() as scratch:
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", record_timing=False, resources={"metadata": {"path": scratch}}
        )
        client.execute()
    nb.metadata.pop("widgets", None)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        nbformat.write(nb, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        print(f"executing {p}", flush=True)
        execute(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
