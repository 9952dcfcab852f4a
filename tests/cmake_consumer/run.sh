#!/usr/bin/env bash
# Install the C++ package to a temporary prefix and build a consumer against it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake -S "$root" -B "$tmp/build" -G Ninja -DWIFUND_BUILD_TESTS=OFF -DWIFUND_BUILD_BENCHMARKS=OFF >/dev/null
cmake --install "$tmp/build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$here" -B "$tmp/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/consumer" >/dev/null
"$tmp/consumer/consumer"
