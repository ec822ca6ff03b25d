#!/bin/sh
# Host benchmarks, side by side in one run (the machine is shared and
# noisy: compare within a run, quote ratios). Release build with LTO, no
# sanitizers.
#   bench/run.sh [SECONDS]
# The preload figures are taken on the fast path and on the slow one, each
# twice, pinned with taskset: client and
# daemon on one CPU (a request is a switch between them), then on two
# (a request wakes the other CPU). Unpinned, a run lands on either at
# random. The CUSE figures need a kernel with CUSE: tests/vm/run.sh --bench.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-2}
[ -f build-release/build.ninja ] ||
    meson setup build-release --buildtype=release -Db_lto=true -Dtests=disabled \
        >/dev/null
ninja -C build-release >/dev/null
emu=build-release/src/cli/i2cemu
bench=build-release/bench/i2c-bench
# The CPUs this shell may use: the first one, and another if there is one.
cpus=$(taskset -c -p $$ | sed 's/.*: //')
one=$(echo "$cpus" | sed 's/[-,].*//')
other=$(awk -v set="$cpus" -v one="$one" 'BEGIN {
    n = split(set, part, ",")
    for (i = 1; i <= n; i++) {
        m = split(part[i], r, "-"); lo = r[1]; hi = m > 1 ? r[2] : r[1]
        for (c = lo; c <= hi; c++) if (c != one) { print c; exit }
    } }')

echo "== in-process API (libi2cemu, FAST clock, CPU $one)"
taskset -c "$one" build-release/bench/inproc-bench "$secs"

# Each preload case twice: the fast path (docs/fastpath.md), then the slow
# path through the daemon's socket (I2CEMU_PRELOAD_FASTPATH=0).
for fast in 1 0; do
    path=$([ $fast = 1 ] && echo "fast path" || echo "slow path")
    echo "== preload $path, client and daemon on CPU $one (ns/op, calls)"
    I2CEMU_PRELOAD_FASTPATH=$fast taskset -c "$one" \
        $emu -d 24c02,addr=0x50 -- $bench -t "$secs" /dev/i2c-1 0x50
    if [ -n "$other" ]; then
        echo "== preload $path, daemon on CPU $one, client on CPU $other"
        I2CEMU_PRELOAD_FASTPATH=$fast taskset -c "$one" \
            $emu -d 24c02,addr=0x50 -- \
            taskset -c "$other" $bench -t "$secs" /dev/i2c-1 0x50
    else
        echo "== preload $path on two CPUs: skipped, one CPU available"
    fi
done
