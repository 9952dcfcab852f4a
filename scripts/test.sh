#!/usr/bin/env bash
# Set everything up, then run every test: the C++ suite (ctest; once optimised, once under ASan +
# UBSan with libstdc++ assertions) and the Python suite (pytest, which also executes the notebooks
# and opens the HTML report in headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
# Everything below runs in the virtual environment setup.sh made (python3, cmake, ninja, pip).
VENV=$(cd "${WIFUND_VENV:-.venv}" && pwd)
export VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH"
echo "== lint: ruff check and ruff format --check"
python3 -m ruff check python tests benchmarks tools
python3 -m ruff format --check python tests benchmarks tools
echo "== C++ format: clang-format --dry-run --Werror (.clang-format, 100 columns)"
git ls-files -z '*.hpp' '*.cpp' | xargs -0 clang-format --dry-run --Werror
echo "== types: mypy --strict python/wifund, and stubtest of the installed wifund._core against its stubs"
python3 -m mypy --strict python/wifund
# Run outside the source tree, so that `wifund` is the package setup.sh installed (with the built
# extension and the .pyi stubs shipped beside it), not python/wifund.
root=$PWD
(cd /tmp && python3 -m mypy.stubtest wifund._core --allowlist "$root/tests/stubtest_allowlist.txt")
echo "== C++: cmake --workflow --preset dev"
cmake --workflow --preset dev
echo "== C++ under AddressSanitizer + UndefinedBehaviorSanitizer (-D_GLIBCXX_ASSERTIONS): cmake --workflow --preset asan"
cmake --workflow --preset asan
echo "== C++ package: find_package(wifund) from an installed prefix"
bash tests/cmake_consumer/run.sh
echo "== Python: pytest"
# On every core (pytest-xdist; WIFUND_TEST_WORKERS=0 runs in one process). worksteal: the notebook and
# Monte Carlo tests are long, so idle workers take tests from busy ones.
python3 -m pytest -q -p no:cacheprovider -n "${WIFUND_TEST_WORKERS:-auto}" --dist worksteal tests/python
