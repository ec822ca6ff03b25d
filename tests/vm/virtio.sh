#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The virtio suite, from the host: serve a board with `i2cemu --vhost-user`
# (ASan build), boot the guest with a vhost-user-i2c-pci adapter on it, and
# run tests/vm/guest/virtio.sh there; then stop the daemon, which must exit
# cleanly. docs/vm-tests.md, docs/vhost-user.md.
#
#   tests/vm/virtio.sh BUILD_DIR RESULTS_DIR
#   tests/vm/virtio.sh --bench BENCH_BUILD_DIR RESULTS_DIR
#
# The last line is "N passed, N failed"; RESULTS_DIR gets the logs and
# fidelity.tsv. --bench serves from a release build and runs
# guest/virtio-bench.sh instead (RESULTS_DIR/virtio-bench.txt).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bench=
if [[ $1 == --bench ]]; then
    bench=1
    shift
fi
build=$1 results=$2
bin=$build/src/cli/i2cemu
kver=$("$here/vm.sh" --kernel-version)
# i2c-virtio.ko and the drivers Debian's config lacks, built for $kver.
mods=$("$here/kernel-modules.sh" "$kver") || {
    echo "vm: cannot build the guest's modules"
    echo "0 passed, 1 failed"
    exit 1
}
ko=$mods/i2c-virtio.ko

# The board, twice: for the shim and for the guest. Random contents in
# two of the EEPROMs (backing files, one copy per board).
dir=$(mktemp -d)
head -c 512 /dev/urandom >"$dir/24c04.a"
head -c 4096 /dev/urandom >"$dir/24c32.a"
cp "$dir/24c04.a" "$dir/24c04.b"
cp "$dir/24c32.a" "$dir/24c32.b"
devs() {
    echo "-d lm75,addr=0x48,temperature=30.5 -d tmp102,addr=0x49,temperature=41.5
          -d 24c02,addr=0x50 -d 24c04,addr=0x52,file=$dir/24c04.$1
          -d 24c32,addr=0x54,file=$dir/24c32.$1"
}

# What the emulator answers through the shim, on a board of its own.
# shellcheck disable=SC2046 # devs: words without blanks
"$bin" --no-cuse $(devs a) -- "$here/guest/virtio-ops.sh" 1 \
    >"$results/virtio-expected.txt" 2>&1

sock=$dir/vi2c.sock
# shellcheck disable=SC2046
"$bin" --no-cuse $(devs b) --socket "$dir/i2cemu.sock" \
    --vhost-user "1=$sock" run >"$results/virtio-daemon.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
    [[ -S $sock ]] && break
    sleep 0.1
done

# The guest's `i2cemu ctl` requests (guest/fidelity.sh), relayed to the
# daemon's control socket: N.req holds the arguments, one a line, then a
# line "." (the guest writes it in place); the answer is N.out, then N.rc,
# and N.time the host's clock (seconds since the epoch) when ctl ran: the
# RTC models keep the host's time plus an offset.
relay() {
    local d=$results/ctl n=0 args
    while :; do
        if [[ -f $d/$n.req && $(tail -n1 "$d/$n.req") == . ]]; then
            mapfile -t args <"$d/$n.req"
            unset 'args[-1]'
            printf '%(%s)T\n' -1 >"$d/$n.time"
            "$bin" ctl --socket "$dir/i2cemu.sock.ctl" "${args[@]}" \
                >"$d/$n.out" 2>&1
            echo $? >"$d/rc.tmp"
            mv "$d/rc.tmp" "$d/$n.rc"
            ((n++))
        else
            sleep 0.02
        fi
    done
}
rm -rf "$results/ctl"
mkdir -p "$results/ctl"
relay &
relay_pid=$!
"$bin" devices | sed -n 's/^\([a-z0-9_-]*\): .*/\1/p' >"$results/types.txt"

if [[ -n $bench ]]; then
    guest=("$here/guest/virtio-bench.sh" "$ko" "$build"
           "$results/virtio-bench.txt")
else
    guest=("$here/guest/virtio.sh" "$mods" "$results/virtio-expected.txt"
           "$here/fidelity.tab" "$results/types.txt"
           "${VM_CACHE:-$here/cache}/$kver/deb")
fi
# 1200 s: the fidelity table takes 6 to 9 minutes under TCG on a loaded
# two-core host.
VM_OUT=$results VM_VHOST_USER_I2C=$sock "$here/vm.sh" --timeout 1200 \
    "${guest[@]}" | tee "$results/virtio.log"
# The guest's summary, from a console that ends lines with \r\n.
summary=$(tr -d '\r' <"$results/virtio.log" |
          grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n1)

kill "$relay_pid"
wait "$relay_pid" 2>/dev/null
kill -TERM "$pid" 2>/dev/null
wait "$pid"
drc=$?
rm -rf "$dir"
pass=0 fail=0
if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    pass=${BASH_REMATCH[1]} fail=${BASH_REMATCH[2]}
else
    fail=1 # the guest died before its summary
fi
if ((drc == 0)) && ! grep -q 'Sanitizer\|runtime error\|malformed' \
        "$results/virtio-daemon.log"; then
    echo "ok the daemon served the guest and exited cleanly"
    ((pass++))
else
    echo "FAIL the daemon (exit $drc): see $results/virtio-daemon.log"
    ((fail++))
fi
echo "$pass passed, $fail failed"
