#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The i2c-tools commands the virtio suite compares: run on the host through
# the preload shim (what the emulator answers) and in the guest through the
# kernel's i2c-virtio adapter and vhost-user (what crosses the transport).
# Board: lm75 at 0x48, tmp102 at 0x49, 24c02 at 0x50, 24c04 at 0x52-0x53,
# 24c32 at 0x54 (tests/vm/virtio.sh).
# Prints each command (bus number as N), its output and exit status.
#
#   virtio-ops.sh BUS
set -u

bus=$1
run() {
    local a shown=()
    for a; do [[ $a == "$bus" ]] && shown+=(N) || shown+=("$a"); done
    echo "\$ ${shown[*]}"
    timeout 30 "$@" 2>&1
    echo "[exit $?]"
}

run i2cdetect -y "$bus"
run i2cget -y "$bus" 0x48 0x00 w
run i2cget -y "$bus" 0x49 0x00 w
run i2cget -y "$bus" 0x50 0x00
run i2cget -y "$bus" 0x33
run i2cset -y "$bus" 0x50 0x08 0x5a
run i2cget -y "$bus" 0x50 0x08
run i2cdump -y "$bus" 0x50 b
run i2cdump -y -r 0-3 "$bus" 0x48 w
run i2cdump -y -r 0-3 "$bus" 0x49 w
run i2ctransfer -y "$bus" w1@0x50 0x00 r8
run i2ctransfer -y "$bus" w3@0x50 0x10 0xab 0xcd
run i2ctransfer -y "$bus" w1@0x50 0x10 r2@0x50
# Four messages, the most QEMU 7.2's queue carries.
run i2ctransfer -y "$bus" w1@0x48 0x00 r2 w1@0x49 0x00 r2
run i2ctransfer -y "$bus" w1@0x50 0x00 r256
