"""CMake names every missing system library up front, with the Debian package (issue #14 item 1)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("cmake") is None, reason="needs cmake")
def test_cmake_lists_every_missing_library_with_its_debian_package(tmp_path):
    out = subprocess.run(
        [
            "cmake",
            "-S",
            str(ROOT),
            "-B",
            str(tmp_path / "b"),
            "-DWIFUND_BUILD_TESTS=ON",
            "-DWIFUND_BUILD_BENCHMARKS=ON",
            # as if these were not installed
            "-DCMAKE_DISABLE_FIND_PACKAGE_NLopt=TRUE",
            "-DCMAKE_DISABLE_FIND_PACKAGE_GTest=TRUE",
            "-DCMAKE_DISABLE_FIND_PACKAGE_benchmark=TRUE",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode != 0
    err = out.stderr
    assert "wifund: missing system libraries" in err
    for debian in ("libnlopt-dev", "libgtest-dev", "libbenchmark-dev"):
        assert debian in err
    assert "libeigen3-dev" not in err  # present, so not listed
    assert "apt-get install libnlopt-dev libgtest-dev libgmock-dev libbenchmark-dev" in err


@pytest.mark.skipif(shutil.which("cmake") is None, reason="needs cmake")
def test_cmake_configures_when_everything_is_there(tmp_path):
    out = subprocess.run(
        ["cmake", "-S", str(ROOT), "-B", str(tmp_path / "b"), "-DWIFUND_BUILD_BENCHMARKS=OFF"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
