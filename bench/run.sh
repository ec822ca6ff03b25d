#!/bin/sh
# Host benchmarks, side by side in one run (the machine is shared and
# noisy: compare within a run, quote ratios). Release build with LTO, no
# sanitizers.
#   bench/run.sh [SECONDS]
# The CUSE figures need a kernel with CUSE: tests/vm/run.sh --bench.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-2}
[ -f build-release/build.ninja ] ||
    meson setup build-release --buildtype=release -Db_lto=true -Dtests=disabled \
        >/dev/null
ninja -C build-release >/dev/null

echo "== in-process API (libi2cemu, FAST clock, one core)"
build-release/bench/inproc-bench "$secs"

echo "== preload frontend: i2c-bench through i2cemu -- (ns/op, calls)"
build-release/src/cli/i2cemu -d 24c02,addr=0x50 -- \
    build-release/bench/i2c-bench -t "$secs" /dev/i2c-1 0x50
