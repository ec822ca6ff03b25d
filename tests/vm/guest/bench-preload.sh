# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# Sourced by bench.sh: the preload shim's targets, in the same guest run
# as i2c-stub and the CUSE nodes, so that its ratio to the kernel is
# measured in one run (issue 15). An i2cemu daemon serves a board on its
# unix socket only (no CUSE node): a regbank on a stub-profile bus 7 and a
# 24c02 on an i2c-profile bus 8, numbers that neither i2c-stub (bus 0) nor
# the CUSE nodes use. Both buses are eligible for the shim's shared-arena
# fast path (FAST clock, no trace, no fault rule, no backing file).
# bench/i2c-bench runs under the shim with that path on (preload-fast-*)
# and off (preload-slow-*), by I2CEMU_PRELOAD_FASTPATH in the client; a
# shim without the fast path takes the slow path for both.
#
#   preload_start BUILD_DIR   start the daemon
#   preload_round BUILD_DIR   one round of each target
#   preload_pair BUILD_DIR    i2c-pair, i2c-stub against each target
#   preload_stop
#   preload_report OUT        best rounds and ratios to i2c-stub (whose
#                             lines bench.sh put in OUT), appended to OUT
#                             and printed; fails unless every target
#                             answered every operation in every run

preload_targets="preload-fast-stub:1:/dev/i2c-7:0x52
    preload-fast-i2c:1:/dev/i2c-8:0x50 preload-slow-stub:0:/dev/i2c-7:0x52
    preload-slow-i2c:0:/dev/i2c-8:0x50"
preload_raw=$TMPDIR/bench-preload.raw
preload_pid='' preload_env='' preload_failed=0

preload_start() {
    local banner=$TMPDIR/bench-preload.banner

    : >"$preload_raw"
    : >"$preload_raw.pair"
    printf '%s\n' "bus 7 profile=stub" regbank,addr=0x52,bus=7 \
        "bus 8" 24c02,addr=0x50,bus=8 >"$TMPDIR/bench-preload.cfg"
    "$1/src/cli/i2cemu" --no-cuse -f "$TMPDIR/bench-preload.cfg" run \
        >"$banner" &
    preload_pid=$!
    # The banner's "export LD_PRELOAD=... I2CEMU_SOCKET=... ..." line,
    # printed once the socket listens.
    for _ in $(seq 100); do
        preload_env=$(sed -n 's/^  export //p' "$banner")
        [[ -n $preload_env ]] && return 0
        sleep 0.1
    done
    echo "bench-preload: no client environment from the daemon" >&2
    ((preload_failed++))
}

# Run "$@" under the shim, the fast path on (1) or off (0) as $1 says.
preload_run() {
    local fast=$1
    shift
    [[ -n $preload_env ]] || return 1
    # shellcheck disable=SC2086 # the banner's VAR=VALUE words, no spaces
    env $preload_env I2CEMU_PRELOAD_FASTPATH="$fast" "$@"
}

preload_round() {
    local t name fast node addr
    for t in $preload_targets; do
        IFS=: read -r name fast node addr <<<"$t"
        # Not piped, as in bench.sh: the guest has one vCPU.
        preload_run "$fast" "$1/bench/i2c-bench" -t 0.1 "$node" "$addr" \
            >"$preload_raw.1" || ((preload_failed++))
        sed "s/^/$name /" "$preload_raw.1" >>"$preload_raw"
    done
}

# Call by call against i2c-stub, in turns of 1 and of 16 calls: i2c-stub
# is side A, so i2c-pair's ratio is the target's time over i2c-stub's.
# The shim passes /dev/i2c-0, which its daemon does not serve, to the
# kernel.
preload_pair() {
    local t name fast node addr b
    for t in $preload_targets; do
        IFS=: read -r name fast node addr <<<"$t"
        for b in 1 16; do
            preload_run "$fast" "$1/bench/i2c-pair" -n 1024 -b $b \
                /dev/i2c-0 0x52 "$node" "$addr" >"$preload_raw.1" ||
                ((preload_failed++))
            sed "s/^/$name\/$b /" "$preload_raw.1" >>"$preload_raw.pair"
        done
    done
}

preload_stop() {
    [[ -n $preload_pid ]] && kill -TERM "$preload_pid" && wait "$preload_pid"
}

preload_report() {
    local out=$1 best=$TMPDIR/bench-preload.best ok=1

    # Best round per target and operation, i2c-stub's from bench.sh's
    # lines in OUT; an errno name stands for itself.
    awk '
        $3 ~ /^[0-9]+$/ { k = $1 " " $2; if (!(k in best) || $3 < best[k]) best[k] = $3; next }
        { best[$1 " " $2] = $3 }
        END { for (k in best) print k, best[k] }' "$preload_raw" | sort >"$best"
    {
        printf '\n== the preload shim (bench-preload.sh)\n'
        cat "$best"
        grep '^i2c-stub ' "$out" | cat - "$best" | awk '
            { v[$1, $2] = $3; ops[$2] = 1 }
            END {
                n = split("preload-fast-stub preload-fast-i2c preload-slow-stub preload-slow-i2c", t, " ")
                printf "\n%-24s %10s", "ns per call", "i2c-stub"
                for (i = 1; i <= n; i++) printf " %17s", t[i]
                printf "\n"
                for (op in ops) {
                    printf "%-24s %10s", op, v["i2c-stub", op]
                    for (i = 1; i <= n; i++) printf " %17s", v[t[i], op]
                    printf "\n"
                }
                printf "\n%-24s %10s", "ops/s vs i2c-stub", ""
                for (i = 1; i <= n; i++) printf " %17s", t[i]
                printf "\n"
                for (op in ops) {
                    printf "%-24s %10s", op, ""
                        for (i = 1; i <= n; i++) {
                        r = v[t[i], op] + 0 && v["i2c-stub", op] + 0
                        printf " %17s", r ? sprintf("%.3f", v["i2c-stub", op] / v[t[i], op]) : "-"
                    }
                    printf "\n"
                }
            }'
        # i2c-pair: median calls, and i2c-stub's time over the target's
        # (its ops/s ratio) in the median turn.
        printf '\n%-20s %-24s %10s %10s %8s\n' "median ns" "" i2c-stub \
            target "ops/s vs i2c-stub"
        awk '{ printf "%-20s %-24s %10s %10s %8s\n", $1, $2, $3, $4,
                      $5 + 0 ? sprintf("%.3f", 1 / $5) : "-" }' "$preload_raw.pair"
    } | tee -a "$out"
    # Every target answered every operation its bus supports: all four
    # on the i2c profile, all but I2C_RDWR on the stub profile (as
    # i2c-stub); in i2c-pair, every one that i2c-stub answers.
    [[ $(wc -l <"$best") == 16 &&
       $(grep -c ' [0-9][0-9]*$' "$best") == 14 &&
       $(grep -c '^preload-[a-z]*-i2c i2c_rdwr_w1_r32 [0-9]' "$best") == 2 &&
       $(awk 'NF == 5 && $5 ~ /^[0-9.]+$/' "$preload_raw.pair" | wc -l) == 24 ]] ||
        ok=0
    if ((preload_failed)); then
        echo "bench-preload: $preload_failed runs failed" | tee -a "$out"
        ok=0
    fi
    ((ok))
}
