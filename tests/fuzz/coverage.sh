#!/bin/sh
# Source coverage of the fuzz corpora: builds the harnesses with clang's
# source-based coverage (no sanitizers), replays each corpus directory
# given (default: the committed seeds plus build-fuzz/corpus/<name>), and
# prints llvm-cov's per-file report. docs/fuzzing.md.
#   tests/fuzz/coverage.sh [harness...]
set -u
cd "$(dirname "$0")/../.."
root=$PWD
build=${FUZZ_BUILD:-build-fuzz}
case $build in /*) ;; *) build=$root/$build ;; esac
out=$build/cov
mkdir -p "$out"
cc=$(command -v clang || command -v clang-14)
prof=$(command -v llvm-profdata || command -v llvm-profdata-14)
cov=$(command -v llvm-cov || command -v llvm-cov-14)
srcs="$(ls src/core/*.c src/i2cdev/*.c src/devices/*.c src/control/*.c \
      src/trace/*.c \
      src/frontends/sock_*.c src/frontends/vhost_user*.c)"
srcs="$srcs src/cli/boardfile.c" # for fuzz_boardfile
flags="-std=c11 -D_GNU_SOURCE -DFUZZ_REPORT_ONLY -g -O0 -Iinclude -Isrc
       -fprofile-instr-generate -fcoverage-mapping"
libs="$(pkg-config --libs libuv 2>/dev/null || echo -luv) -lm
      $(pkg-config --libs jansson 2>/dev/null || echo -ljansson)"
names=${*:-fuzz_i2cdev fuzz_devspec fuzz_sockproto fuzz_i2cdump fuzz_control fuzz_boardfile fuzz_vhost fuzz_replay fuzz_fault}
profiles=""
bins=""
for n in $names; do
    # shellcheck disable=SC2086
    "$cc" $flags -fsanitize=fuzzer "tests/fuzz/$n.c" $srcs $libs \
        -o "$out/$n" || exit 1
    rm -f "$out/$n.profraw"
    dirs="$root/tests/fuzz/corpus/$n"
    [ -d "$build/corpus/$n" ] && dirs="$dirs $build/corpus/$n"
    # shellcheck disable=SC2086
    LLVM_PROFILE_FILE="$out/$n.profraw" "$out/$n" -runs=0 $dirs \
        >"$out/$n.log" 2>&1
    "$prof" merge -sparse "$out/$n.profraw" -o "$out/$n.profdata"
    profiles="$profiles $out/$n.profdata"
    if [ -z "$bins" ]; then bins=$out/$n; else bins="$bins -object $out/$n"; fi
done
# shellcheck disable=SC2086
"$prof" merge -sparse $profiles -o "$out/all.profdata"
# shellcheck disable=SC2086
"$cov" report $bins -instr-profile="$out/all.profdata" $srcs
echo "line-by-line: $cov show $bins -instr-profile=$out/all.profdata FILE"
