#!/usr/bin/env bash
# Install what wifund needs on a bare Debian 12 machine (run as root), into a virtual environment
# (.venv, so that Debian's own python3 works as well as any other: PEP 668), then build and install
# the package there with `pip install .`. Idempotent: a second run only rebuilds what changed.
#
#   bash scripts/setup.sh runtime   # the library and what it needs at run time (scripts/run_demo.sh)
#   bash scripts/setup.sh test      # + the C++ test tools, Chromium, PostgreSQL and the test extras
#
# Environment: PYTHON (the interpreter the venv is made from; default python3), WIFUND_VENV (default
# .venv in the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}
case "$mode" in runtime | test) ;; *) echo "setup.sh: unknown mode '$mode' (runtime or test)" >&2; exit 2 ;; esac

# What a bare Debian 12 needs to build and run the extension ...
APT_RUNTIME=(build-essential python3-venv python3-dev libeigen3-dev libboost-math-dev libboost-random-dev
             librandom123-dev  # Philox streams of core/random.hpp
             libnlopt-dev fonts-wqy-microhei)  # a CJK font: Chinese chart labels (wifund/_plot.py)
# ... and to run every test: GoogleTest, Google Benchmark, headless Chromium (the HTML report test),
# clang-format, PostgreSQL (the server tests/python/conftest_pg.py starts for the wifund.io tests).
APT_TEST=(libgtest-dev libgmock-dev libbenchmark-dev chromium clang-format postgresql)
APT_PACKAGES=("${APT_RUNTIME[@]}")
[ "$mode" = test ] && APT_PACKAGES+=("${APT_TEST[@]}")
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
VENV=${WIFUND_VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  echo "== $PY -m venv $VENV"
  "$PY" -m venv "$VENV"
fi
VPY="$VENV/bin/python"
pip=("$VPY" -m pip install -q --disable-pip-version-check)
# The build requirements come from pyproject.toml (one list), installed once so that `pip install .`
# can build without an isolated environment per run; cmake and ninja from PyPI (Debian 12's CMake is
# older than CMakePresets version 6).
mapfile -t build_reqs < <("$VPY" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))')
echo "== pip install (build requirements) ${build_reqs[*]} cmake ninja"
"${pip[@]}" "${build_reqs[@]}" "cmake>=3.25" ninja
if [ "$mode" = test ]; then
  echo "== pip install '.[test]' (builds wifund._core; the test extra lists every test and notebook dependency)"
  "${pip[@]}" --no-build-isolation ".[test]"
else
  echo "== pip install . (builds wifund._core)"
  "${pip[@]}" --no-build-isolation .
fi
