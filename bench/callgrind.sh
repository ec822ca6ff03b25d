#!/bin/sh
# Instructions per operation, by callgrind: a count that does not move
# with the machine's load. For each case two runs of N and 4N calls; per
# op = (Ir(4N) - Ir(N)) / 3N, which leaves out the set-up (process start,
# board and devices, or the shim's open and attach).
#
#   bench/callgrind.sh [BUILD_DIR] [N]          (default build-release, 102400)
#       bench/inproc-bench, the in-process API; beside Ir/op, total Ir /
#       ops of the 4N run, set-up included.
#   bench/callgrind.sh --shim [BUILD_DIR] [N]   (default N 20000)
#       the preload shim's fast path: bench/i2c-bench in the client under
#       `i2cemu -d 24c02,addr=0x50`, the client alone counted (the daemon
#       does nothing on the fast path; FAST=0 in the environment counts
#       the slow path's client side instead).
set -eu
cd "$(dirname "$0")/.."
shim=
if [ "${1:-}" = --shim ]; then
    shim=1
    shift
fi
build=${1:-build-release}
n=${2:-${shim:+20000}}
n=${n:-102400}
[ -f "$build/build.ninja" ] ||
    meson setup "$build" --buildtype=release -Db_lto=true -Dtests=disabled \
        >/dev/null
ninja -C "$build" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() { # "$@" under callgrind: its instruction count
    "$@" >/dev/null 2>"$tmp/err"
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$tmp/err"
}
ir() { # N CASE
    if [ -n "$shim" ]; then
        I2CEMU_PRELOAD_FASTPATH=${FAST:-1} count "$build/src/cli/i2cemu" \
            -d 24c02,addr=0x50 -- valgrind --tool=callgrind \
            --callgrind-out-file="$tmp/out" "$build/bench/i2c-bench" \
            -n "$1" -o "$2" /dev/i2c-1 0x50
    else
        count valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
            "$build/bench/inproc-bench" -n "$1" "$2"
    fi
}
if [ -n "$shim" ]; then
    cases="smbus_read_byte_data smbus_write_byte_data smbus_i2c_block_read_32 i2c_rdwr_w1_r32"
else
    cases="byte byte64 rdwr rdwr64"
fi
printf '%-26s %10s %12s\n' case 'Ir/op' 'total/ops'
for c in $cases; do
    a=$(ir "$n" "$c")
    b=$(ir $((4 * n)) "$c")
    awk -v a="$a" -v b="$b" -v n="$n" -v c="$c" \
        'BEGIN { printf "%-26s %10.1f %12.1f\n", c, (b - a) / (3 * n), b / (4 * n) }'
done
