#!/bin/bash
# SPDX-License-Identifier: MIT
#
# In the guest: the emulator's bus behind a virtio-i2c adapter (the host
# serves it with `i2cemu --vhost-user`, tests/vm/virtio.sh). i2c-tools give
# the same answers as through the preload shim on the host, but where the
# transport cannot carry them; then the kernel's own drivers bind to the
# models and read what the models hold (docs/fidelity.md).
#
#   virtio.sh KO EXPECTED LM75_MILLI TMP102_MILLI
#
# KO: the test-built i2c-virtio.ko. EXPECTED: virtio-ops.sh's output on the
# host. Writes $VM_OUT/virtio-ops.txt and $VM_OUT/fidelity.tsv.
set -uo pipefail

ko=$1 expected=$2 lm75_milli=$3 tmp102_milli=$4
here=$(cd "$(dirname "$0")" && pwd)
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

# 3. The kernel's drivers on the models. One row of docs/fidelity.md each:
# type, driver, bound, values compared, equal, reason.
tsv=$VM_OUT/fidelity.tsv
: >"$tsv"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$tsv"; }
modprobe -d "$VM_MODDIR" -a lm75 tmp102 at24 || echo "modprobe failed"

bind() { # TYPE ADDR: the client's directory, once a driver is bound
    local d
    d=$dev/$bus-$(printf '%04x' "$2")
    echo "$1 $2" >"$dev/i2c-$bus/new_device" || return 1
    for _ in $(seq 50); do
        [[ -e $d/driver ]] && return 0
        sleep 0.1
    done
    return 1
}

hwmon_row() { # TYPE ADDR WANT
    local got="" bound=no eq=no why=""
    if bind "$1" "$2"; then
        bound=yes
        got=$(cat "$dev/$bus-$(printf '%04x' "$2")"/hwmon/hwmon*/temp1_input)
        [[ $got == "$3" ]] && eq=yes || why="model bug: read $got"
    else
        why="the driver did not bind"
    fi
    row "$1" "$1" "$bound" "temp1_input $got (model: $3)" "$eq" "$why"
    [[ $eq == yes ]]
}
check "lm75 driver reads the model" hwmon_row lm75 0x48 "$lm75_milli"
check "tmp102 driver reads the model" hwmon_row tmp102 0x49 "$tmp102_milli"

# at24: the eeprom file holds what i2c-dev reads, and its writes reach the
# model. 24c04 answers two addresses (a 9th address bit), 24c32 takes a
# 2-byte offset.
hexbytes() { tr -s ' \n' '\n' | sed -n 's/^\(0x\)\{0,1\}\([0-9a-f][0-9a-f]\)$/\2/p'; }
eeprom_row() { # TYPE ADDR SIZE: read all, write 2 bytes at 32
    local type=$1 addr=$2 size=$3 f bound=no eq=no why="" want got back
    f=$dev/$bus-$(printf '%04x' "$addr")/eeprom
    if ((size > 256 && size <= 512)); then
        want=$(t i2ctransfer -y "$bus" w1@"$addr" 0x00 r256 \
               w1@$((addr + 1)) 0x00 r256 | hexbytes)
    elif ((size > 512)); then
        want=$(t i2ctransfer -y "$bus" w2@"$addr" 0x00 0x00 r"$size" | hexbytes)
    else
        want=$(t i2ctransfer -y "$bus" w1@"$addr" 0x00 r"$size" | hexbytes)
    fi
    if bind "$type" "$addr"; then
        bound=yes
        got=$(od -An -v -tx1 "$f" | hexbytes)
        printf '\x5a\xa5' | dd of="$f" bs=1 seek=32 conv=notrunc 2>/dev/null
        if ((size > 512)); then
            back=$(t i2ctransfer -f -y "$bus" w2@"$addr" 0x00 0x20 r2)
        else
            back=$(t i2ctransfer -f -y "$bus" w1@"$addr" 0x20 r2)
        fi
        if [[ $(echo "$want" | wc -l) != "$size" ]]; then
            why="i2c-dev read $(echo "$want" | wc -l) bytes, not $size"
        elif [[ $got != "$want" ]]; then
            why="model bug: the eeprom file differs from the bus"
        elif [[ $back != "0x5a 0xa5" ]]; then
            why="model bug: a write through the eeprom file read back $back"
        else
            eq=yes
        fi
    else
        why="the driver did not bind"
    fi
    row "$type" at24 "$bound" "eeprom: $size bytes read, 2 written" "$eq" "$why"
    [[ $eq == yes ]]
}
check "at24 driver reads and writes the 24c02" eeprom_row 24c02 0x50 256
check "at24 driver reads and writes the 24c04" eeprom_row 24c04 0x52 512
check "at24 driver reads and writes the 24c32" eeprom_row 24c32 0x54 4096

# 4. The driver unloaded and loaded again: QEMU stops the ring
# (GET_VRING_BASE) and sets it all up again; the bus answers as before.
reload() {
    local want
    want=$(sed -n '/^\$ i2cget -y N 0x48 0x00 w$/{n;p;}' "$expected")
    rmmod i2c_virtio && insmod "$ko" && find_bus &&
        [[ $(t i2cget -y "$bus" 0x48 0x00 w) == "$want" ]]
}
check "driver reloaded: the ring set up again" reload

echo "$pass passed, $fail failed"
((fail == 0))
