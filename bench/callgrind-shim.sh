#!/bin/sh
# Instructions per request of the preload shim's fast path, by callgrind:
# bench/i2c-bench in the client under `i2cemu -d 24c02,addr=0x50`, the
# client alone counted (the daemon does nothing on the fast path). For
# each operation two runs of N and 4N calls; per call = (Ir(4N) - Ir(N)) /
# 3N, which leaves out the set-up (process start, open, attach).
#   bench/callgrind-shim.sh [BUILD_DIR] [N]   (default build-release, 20000)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-release}
n=${2:-20000}
[ -f "$build/build.ninja" ] ||
    meson setup "$build" --buildtype=release -Db_lto=true -Dtests=disabled \
        >/dev/null
ninja -C "$build" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ir() {
    I2CEMU_PRELOAD_FASTPATH=${FAST:-1} "$build/src/cli/i2cemu" \
        -d 24c02,addr=0x50 -- valgrind --tool=callgrind \
        --callgrind-out-file="$tmp/out" "$build/bench/i2c-bench" -n "$1" \
        -o "$2" /dev/i2c-1 0x50 >/dev/null 2>"$tmp/err"
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$tmp/err"
}
printf '%-26s %10s\n' request 'Ir/call'
for op in smbus_read_byte_data smbus_write_byte_data \
          smbus_i2c_block_read_32 i2c_rdwr_w1_r32; do
    a=$(ir "$n" "$op")
    b=$(ir $((4 * n)) "$op")
    awk -v a="$a" -v b="$b" -v n="$n" -v op="$op" \
        'BEGIN { printf "%-26s %10.1f\n", op, (b - a) / (3 * n) }'
done
