#!/bin/bash
# SPDX-License-Identifier: MIT
#
# In the guest: the emulator's bus behind a virtio-i2c adapter (the host
# serves it with `i2cemu --vhost-user`, tests/vm/virtio.sh). i2c-tools give
# the same answers as through the preload shim on the host, but where the
# transport cannot carry them; then the kernel's own drivers bind to the
# models and read what the models hold (docs/fidelity.md).
#
#   virtio.sh MODDIR EXPECTED TABLE TYPES MODROOT
#
# MODDIR: the test-built modules (tests/vm/kernel-modules.sh), i2c-virtio.ko
# and the drivers Debian lacks. EXPECTED: virtio-ops.sh's output on the
# host. TABLE, TYPES, MODROOT: guest/fidelity.sh's FID_TABLE, FID_TYPES,
# FID_MODROOT. Writes $VM_OUT/virtio-ops.txt and $VM_OUT/fidelity.tsv.
set -uo pipefail

moddir=$1 expected=$2 fid_table=$3 fid_types=$4 fid_modroot=$5
here=$(cd "$(dirname "$0")" && pwd)
ko=$moddir/i2c-virtio.ko
. "$here/lib.sh"
# Every I2C call has a time limit: a backend that dies would hang it.
t() { timeout 30 "$@"; }

# The virtio adapter's number, once it is there.
find_bus() {
    bus=
    for _ in $(seq 50); do
        for d in /sys/bus/i2c/devices/i2c-*; do
            [[ $(cat "$d/name" 2>/dev/null) == "i2c_virtio at virtio bus"* ]] &&
                bus=${d##*-}
        done
        [[ -n $bus ]] && return 0
        sleep 0.1
    done
    return 1
}
insmod "$ko" || echo "insmod $ko failed"
find_bus
check "virtio adapter i2c-${bus:-?}" test -n "$bus"
if [[ -z $bus ]]; then
    echo "$pass passed, $((fail + 1)) failed"
    exit 1
fi
# shellcheck disable=SC2034 # guest/fidelity.sh uses it too
dev=/sys/bus/i2c/devices

# 1. i2c-tools: the same text as on the host.
ops=$VM_OUT/virtio-ops.txt
"$here/virtio-ops.sh" "$bus" >"$ops"
check "i2c-tools answer as through the shim" diff -u "$expected" "$ops"

# 2. What the transport does not carry: an absent address is a transfer of
# 0 messages (only OK/ERR cross), and QEMU 7.2's queue holds 4 messages.
absent() {
    [[ $(t i2ctransfer -y "$bus" w1@0x33 0x00 2>&1) == \
       *"only 0/1 messages were sent"* ]]
}
check "absent address: 0 of 1 messages" absent
six() {
    [[ $(t i2ctransfer -y "$bus" w1@0x48 0x00 r2 w1@0x49 0x00 r2 \
         w1@0x50 0x00 r1 2>&1) == *"only 4/6 messages were sent"* ]]
}
check "6 messages: the first 4 sent" six

# 3. The driver unloaded and loaded again: QEMU stops the ring
# (GET_VRING_BASE) and sets it all up again; the bus answers as before.
reload() {
    local want
    want=$(sed -n '/^\$ i2cget -y N 0x48 0x00 w$/{n;p;}' "$expected")
    rmmod i2c_virtio && insmod "$ko" && find_bus &&
        [[ $(t i2cget -y "$bus" 0x48 0x00 w) == "$want" ]]
}
check "driver reloaded: the ring set up again" reload

# 4. The kernel's drivers on the models, one type at a time on a bus
# emptied of the board above (guest/fidelity.sh, docs/fidelity.md).
# shellcheck disable=SC2034 # guest/fidelity.sh's
FID_TABLE=$fid_table FID_TYPES=$fid_types FID_MODROOT=$fid_modroot
FID_MODDIR=$moddir
. "$here/fidelity.sh"
empty_bus() {
    local d
    ctl list || return 1
    # shellcheck disable=SC2013 # names without blanks
    for d in $(sed -n 's/^[^ ]*@\(1-[0-9a-f]*\) .*/\1/p' <<<"$ctl_out"); do
        ctl del "$d" || return 1
    done
}
check "the host's bus emptied through the control plane" empty_bus
fidelity

echo "$pass passed, $fail failed"
((fail == 0))
