#!/bin/bash
# SPDX-License-Identifier: MIT
#
# In the guest: bench/i2c-bench against the kernel's i2c-stub, the
# emulator's CUSE nodes (stub and i2c profiles) and the bare CUSE server
# (the floor), all in this one guest, so that the ratios mean something;
# and the preload shim's targets beside them (bench-preload.sh).
# The targets take turns for many short rounds and each keeps its best
# round: a TCG guest's timing is noisy (more so on a loaded host), noise
# only ever adds time, and more rounds give each target more chances at a
# quiet moment.
#
#   bench.sh BUILD_DIR OUT_FILE
#
# OUT_FILE gets "target op ns/call" lines, then ratios to the floor and to
# i2c-stub, then each node's median against the floor's, call by call
# ("cuse-stub/16": in turns of 16 calls).
set -uo pipefail

build=$1 out=$2
rounds=${VM_BENCH_ROUNDS:-15}
pairs=${VM_BENCH_PAIRS:-6}
raw=$TMPDIR/bench.raw
nodes="cuse-stub:/dev/i2c-5:0x52 cuse-i2c:/dev/i2c-6:0x50"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bench-preload.sh"

# pair NODE ADDR TURNS PREFIX OUT: the server at NODE against the floor,
# call by call in turns of TURNS calls (bench/i2c-pair); its lines,
# PREFIX before each, added to OUT.
pair() {
    "$build/bench/i2c-pair" -n 1024 -b "$3" /dev/i2c-9 0x52 "$1" "$2" \
        >"$raw.1"
    sed "s|^|$4 |" "$raw.1" >>"$5"
}

modprobe -d "$VM_MODDIR" i2c-stub chip_addr=0x52 || exit 1
# Transparent huge pages off: whether a reader's stack lands on one is
# chance, and cuse-pages.py would count a huge page touched as 512.
echo never >/sys/kernel/mm/transparent_hugepage/enabled
printf '%s\n' "bus 5 profile=stub" regbank,addr=0x52,bus=5 \
    "bus 6" 24c02,addr=0x50,bus=6 >"$TMPDIR/bench.cfg"
"$build/src/cli/i2cemu" --cuse -f "$TMPDIR/bench.cfg" run >/dev/null &
emu=$!
"$build/bench/cuse-floor" i2c-9 &
floor=$!
# What a server's own work costs per round: the floor with 32 more pages
# touched, and with 1 000 more loop iterations (some 4 000 instructions);
# and a second plain floor, for what i2c-pair reads between two servers
# that do the same.
"$build/bench/cuse-floor" --touch 32 i2c-10 &
floor_touch=$!
"$build/bench/cuse-floor" --work 1000 i2c-11 &
floor_work=$!
"$build/bench/cuse-floor" i2c-12 &
floor_twin=$!
# and one with a second thread asleep, as the daemon's loop is
"$build/bench/cuse-floor" --thread 1 i2c-13 &
floor_thread=$!
preload_start "$build"
if wait_node /dev/i2c-6 && wait_node /dev/i2c-9 && wait_node /dev/i2c-10 &&
    wait_node /dev/i2c-11 && wait_node /dev/i2c-12 && wait_node /dev/i2c-13; then
    : >"$raw"
    : >"$raw.pair"
    for _ in $(seq "$rounds"); do
        for t in i2c-stub:/dev/i2c-0:0x52 cuse-stub:/dev/i2c-5:0x52 \
                 cuse-i2c:/dev/i2c-6:0x50 cuse-floor:/dev/i2c-9:0x52; do
            IFS=: read -r name node addr <<<"$t"
            # Not piped: a process starting beside it (sed) would take
            # the one vCPU during the first operation's round.
            "$build/bench/i2c-bench" -t 0.1 "$node" "$addr" >"$raw.1"
            sed "s/^/$name /" "$raw.1" >>"$raw"
        done
        preload_round "$build"
    done
    # Call by call against the floor, in turns of 1 and of 16 calls:
    # medians that a loaded host moves little (bench/i2c-pair).
    for t in $nodes; do
        IFS=: read -r name node addr <<<"$t"
        for b in 1 16; do
            pair "$node" "$addr" "$b" "$name/$b" "$raw.pair"
        done
    done
    for t in floor-twin:/dev/i2c-12:1 floor-twin:/dev/i2c-12:16 \
             floor-touch32:/dev/i2c-10:16 floor-work1000:/dev/i2c-11:16 \
             floor-thread:/dev/i2c-13:16; do
        IFS=: read -r name node b <<<"$t"
        pair "$node" 0x52 "$b" "$name/$b" "$raw.pair"
    done
    preload_pair "$build"
fi
# Pages each server touches per request, by mapping: counts that the
# host's load does not move (bench/cuse-pages.py).
/usr/bin/python3 "$(dirname "$0")/../../../bench/cuse-pages.py" \
    cuse-floor:9:0x52:$floor cuse-stub:5:0x52:$emu cuse-i2c:6:0x50:$emu \
    >"$raw.pages"
preload_stop
kill -TERM $emu $floor $floor_touch $floor_work $floor_twin $floor_thread
wait $emu $floor $floor_touch $floor_work $floor_twin $floor_thread
rmmod i2c_stub

# Fresh pairs: each server process has a speed of its own, some 2 % over
# or under another's running the same code (where its memory landed), for
# as long as it lives; so a ratio of one daemon to one floor carries that
# luck. The daemon and the floor started again, `pairs` times, in turns of
# 16 calls each time (docs/benchmarks.md, "One process pair is one draw").
: >"$raw.fresh"
for p in $(seq "$pairs"); do
    "$build/src/cli/i2cemu" --cuse -f "$TMPDIR/bench.cfg" run >/dev/null &
    emu=$!
    "$build/bench/cuse-floor" i2c-9 &
    floor=$!
    if wait_node /dev/i2c-5 && wait_node /dev/i2c-6 && wait_node /dev/i2c-9
    then
        for t in $nodes; do
            IFS=: read -r name node addr <<<"$t"
            pair "$node" "$addr" 16 "$name $p" "$raw.fresh"
        done
    fi
    kill -TERM $emu $floor
    wait $emu $floor
    # Their nodes gone before the next pair takes the same numbers.
    for n in 5 6 9; do
        for _ in $(seq 300); do
            [[ -e /dev/i2c-$n ]] || break
            sleep 0.1
        done
    done
done

# Best round per target and operation; an errno name stands for itself.
awk '
    $3 ~ /^[0-9]+$/ { k = $1 " " $2; if (!(k in best) || $3 < best[k]) best[k] = $3; next }
    { best[$1 " " $2] = $3 }
    END { for (k in best) print k, best[k] }' "$raw" | sort >"$out"
# Every target answered every operation it supports.
ok=0
[[ $(wc -l <"$out") == 16 ]] &&
    grep -q '^cuse-i2c i2c_rdwr_w1_r32 [0-9]' "$out" && ok=1
awk '
    { v[$1, $2] = $3; ops[$2] = 1 }
    END {
        printf "\n%-24s %10s %10s %10s %10s\n", "ns per call", "i2c-stub",
               "cuse-floor", "cuse-stub", "cuse-i2c"
        for (op in ops)
            printf "%-24s %10s %10s %10s %10s\n", op, v["i2c-stub", op],
                   v["cuse-floor", op], v["cuse-stub", op], v["cuse-i2c", op]
        printf "\n%-24s %12s %12s %12s\n", "ratio", "stub/floor", "i2c/floor",
               "stub/i2c-stub"
        for (op in ops)
            printf "%-24s %12s %12s %12s\n", op,
                   v["cuse-stub", op] + 0 ? sprintf("%.2f", v["cuse-stub", op] / v["cuse-floor", op]) : "-",
                   v["cuse-i2c", op] + 0 ? sprintf("%.2f", v["cuse-i2c", op] / v["cuse-floor", op]) : "-",
                   v["cuse-stub", op] + 0 && v["i2c-stub", op] + 0 ? sprintf("%.0f", v["cuse-stub", op] / v["i2c-stub", op]) : "-"
    }' "$out" | tee -a "$out"

{
    printf "\n%-13s %-24s %10s %10s %8s\n" "median ns" "" cuse-floor node \
        node/floor
    awk '{ printf "%-13s %-24s %10s %10s %8s\n", $1, $2, $3, $4, $5 }' \
        "$raw.pair"
} | tee -a "$out"
{
    printf "\n%-13s %-24s %6s %6s %6s %s\n" "fresh pairs" "" mean min max \
        "node/floor, turns of 16, each pair"
    awk '$5 ~ /^[0-9.]+$/ {
            k = $1 " " $3; n[k]++; s[k] += $6; all[k] = all[k] " " $6
            if (!(k in lo) || $6 < lo[k]) lo[k] = $6
            if (!(k in hi) || $6 > hi[k]) hi[k] = $6
         }
         END { for (k in n) { split(k, f, " ")
                 printf "%-13s %-24s %6.3f %6.3f %6.3f%s\n", f[1], f[2],
                        s[k] / n[k], lo[k], hi[k], all[k] } }' \
        "$raw.fresh" | sort
} | tee -a "$out"
{
    printf "\n%-11s %-24s %5s  %s\n" "pages" "" total "by mapping"
    awk '{ m = ""; for (i = 4; i <= NF; i++) m = m " " $i
           printf "%-11s %-24s %5s %s\n", $1, $2, $3, m }' "$raw.pages"
} | tee -a "$out"
# Every server counted for every request (the stub node refuses I2C_RDWR).
[[ $(grep -c ' [0-9][0-9]* .*=' "$raw.pages") == 8 ]] || ok=0
# Every paired run answered every operation the node supports.
[[ $(grep -c '^cuse-[a-z2]*/[0-9]* [a-z0-9_]* [0-9]' "$raw.pair") == 14 ]] || ok=0
# Every fresh pair answered every operation the node supports.
[[ $(grep -c '^cuse-[a-z2]* [0-9]* [a-z0-9_]* [0-9]' "$raw.fresh") == \
    $((7 * pairs)) ]] || ok=0
preload_report "$out" || ok=0

echo "$ok passed, $((1 - ok)) failed"
