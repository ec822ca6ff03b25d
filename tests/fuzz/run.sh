#!/bin/sh
# Coverage-guided fuzzing of i2cemu's input parsers and ABI layer with
# libFuzzer (clang, ASan + UBSan + LeakSanitizer). docs/fuzzing.md.
#
#   tests/fuzz/run.sh [harness...]   build, replay the crash reproducers
#                                    and the corpus, then fuzz each harness
#                                    for FUZZ_SECONDS (default 20)
# Environment:
#   FUZZ_SECONDS   seconds of fuzzing per harness (0: replay only)
#   FUZZ_BUILD     build directory (default build-fuzz)
#   FUZZ_JOBS      parallel fuzzing processes per harness (default 1)
#   FUZZ_KEEP      1: keep new corpus entries in tests/fuzz/corpus/<name>
#                  (default: they go to the build directory)
#   CC             a clang with libFuzzer (default clang, then clang-14)
# The last line is "N passed, N failed", one per harness.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
fz=$root/tests/fuzz
secs=${FUZZ_SECONDS:-20}
build=${FUZZ_BUILD:-build-fuzz}
case $build in /*) ;; *) build=$root/$build ;; esac
jobs=${FUZZ_JOBS:-1}
all="fuzz_i2cdev fuzz_devspec fuzz_sockproto fuzz_i2cdump fuzz_control
     fuzz_boardfile fuzz_vhost fuzz_replay fuzz_fault"
names=${*:-$all}

cc=${CC:-}
if [ -z "$cc" ] || ! "$cc" --version 2>/dev/null | grep -q clang; then
    cc=$(command -v clang || command -v clang-14 || true)
fi
if [ -z "$cc" ]; then
    echo "fuzz: clang not found (apt-get install clang)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

mkdir -p "$build/obj" "$build/logs"
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer
        -Wall -Wextra -Iinclude -Isrc $san"
libs="$(pkg-config --libs libuv 2>/dev/null || echo -luv) -lm
      $(pkg-config --libs jansson 2>/dev/null || echo -ljansson)"

# The library once, instrumented for coverage; each harness links it.
srcs="$(ls src/core/*.c src/i2cdev/*.c src/devices/*.c src/control/*.c \
      src/trace/*.c \
      src/frontends/sock_*.c src/frontends/vhost_user*.c)"
objs=""
srcs="$srcs src/cli/boardfile.c" # for fuzz_boardfile
for s in $srcs; do
    o=$build/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')
    objs="$objs $o"
    if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ "$fz/run.sh" -nt "$o" ] ||
       [ -n "$(find src -name '*.h' -newer "$o" 2>/dev/null | head -n 1)" ] ||
       [ -n "$(find include -name '*.h' -newer "$o" 2>/dev/null | head -n 1)" ]; then
        # shellcheck disable=SC2086
        "$cc" $cflags -fsanitize=fuzzer-no-link -c "$s" -o "$o" || {
            echo "fuzz: cannot compile $s" >&2
            echo "0 passed, 1 failed"
            exit 1
        }
    fi
done

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

pass=0 fail=0
for n in $names; do
    bin=$build/$n
    log=$build/logs/$n.log
    ok=1
    # shellcheck disable=SC2086
    if ! "$cc" $cflags -Werror -fsanitize=fuzzer "$fz/$n.c" $objs $libs \
            -o "$bin"; then
        echo "FAIL $n: build"
        fail=$((fail + 1))
        continue
    fi

    # 1. Known reproducers must not crash any more (fixed bugs stay fixed).
    repro=$(ls "$fz/crashes/$n"-* 2>/dev/null || true)
    if [ -n "$repro" ]; then
        # shellcheck disable=SC2086
        if ! "$bin" -runs=1 $repro >"$log.repro" 2>&1; then
            echo "FAIL $n: a reproducer in $fz/crashes still crashes" \
                 "(see $log.repro)"
            ok=0
        fi
    fi

    # 2. Fuzz, starting from the committed seeds.
    if [ "$ok" = 1 ] && [ "$secs" -gt 0 ]; then
        if [ "${FUZZ_KEEP:-0}" = 1 ]; then
            corpus=$fz/corpus/$n
        else
            corpus=$build/corpus/$n
            mkdir -p "$corpus"
        fi
        art=$build/artifacts/$n/
        mkdir -p "$art"
        dict="" par=""
        [ -f "$fz/$n.dict" ] && dict="-dict=$fz/$n.dict"
        [ "$jobs" -gt 1 ] && par="-jobs=$jobs -workers=$jobs"
        # In the build directory: parallel jobs write fuzz-<job>.log there.
        # shellcheck disable=SC2086
        (cd "$build" && rm -f fuzz-*.log &&
         exec "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
            -max_len=8192 -print_final_stats=1 -artifact_prefix="$art" \
            $dict $par "$corpus" "$fz/corpus/$n") >"$log" 2>&1
        rc=$?
        if [ "$jobs" -gt 1 ]; then
            cat "$build"/fuzz-*.log >>"$log" 2>/dev/null
            rm -f "$build"/fuzz-*.log
        fi
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
        if [ $rc -ne 0 ] || grep -q '^==[0-9]*==ERROR\|runtime error\|FUZZ INVARIANT' "$log"; then
            ok=0
            echo "FAIL $n: crash after ${execs:-?} runs; see $log and $art"
            grep -m 3 'ERROR\|runtime error\|FUZZ INVARIANT' "$log" | sed 's/^/    /'
        else
            echo "ok   $n: ${secs}s, ${execs:-?} runs, ${rate:-?} exec/s, ${cov:-cov: ?}"
        fi
    elif [ "$ok" = 1 ]; then
        # Replay only: every seed once.
        if "$bin" -runs=0 "$fz/corpus/$n" >"$log" 2>&1; then
            echo "ok   $n: corpus replayed"
        else
            ok=0
            echo "FAIL $n: corpus replay; see $log"
        fi
    fi
    if [ "$ok" = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
cd "$root" || exit 1
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
