#!/bin/sh
# Instructions per operation of bench/inproc-bench, by callgrind: a count
# that does not move with the machine's load. For each case, two runs of
# N and 4N calls; per op = (Ir(4N) - Ir(N)) / 3N, which leaves out the
# set-up (board, devices, process start), and beside it total Ir / ops of
# the 4N run, set-up included.
#   bench/callgrind.sh [BUILD_DIR] [N]     (default build-release, 102400)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-release}
n=${2:-102400}
[ -f "$build/build.ninja" ] ||
    meson setup "$build" --buildtype=release -Db_lto=true -Dtests=disabled \
        >/dev/null
ninja -C "$build" >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ir() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
        "$build/bench/inproc-bench" -n "$1" "$2" >/dev/null 2>"$tmp/err"
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$tmp/err"
}
printf '%-8s %10s %12s\n' case 'Ir/op' 'total/ops'
for c in byte byte64 rdwr rdwr64; do
    a=$(ir "$n" "$c")
    b=$(ir $((4 * n)) "$c")
    awk -v a="$a" -v b="$b" -v n="$n" -v c="$c" \
        'BEGIN { printf "%-8s %10.1f %12.1f\n", c, (b - a) / (3 * n), b / (4 * n) }'
done
