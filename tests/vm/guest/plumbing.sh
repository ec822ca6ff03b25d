#!/bin/bash
# SPDX-License-Identifier: MIT
#
# In the guest: the harness itself works. The kernel's i2c-stub answers
# i2cdetect, a bare CUSE server (bench/cuse-floor) answers an ioctl, and
# `i2cemu --cuse` creates its node like the kernel's (0600 root:root),
# removes it when it exits, frees the bus when a client dies, and refuses
# an ioctl bigger than FUSE can carry, exits cleanly while clients keep it
# busy; plain `run` serves nodes by default.
#
#   plumbing.sh BUILD_DIR
set -uo pipefail

build=$1
. "$(dirname "$0")/lib.sh"

stub_i2cdetect() {
    local want
    want=$(cat <<'OUT'
     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f
00:                         08 -- -- -- -- -- -- -- 
10: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- 
20: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- 
30: -- -- -- 33 -- -- -- -- -- -- -- -- -- -- -- -- 
40: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- 
50: -- -- 52 -- -- -- -- -- -- -- -- -- -- -- -- -- 
60: -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- -- 
70: -- -- -- -- -- -- -- 77                         
OUT
)
    modprobe -d "$VM_MODDIR" i2c-stub chip_addr=0x08,0x33,0x52,0x77 &&
        [[ $(/usr/sbin/i2cdetect -y 0) == "$want" ]]
    local r=$?
    rmmod i2c_stub
    return $r
}

floor_ioctl() {
    local pid r
    "$build/bench/cuse-floor" i2c-9 &
    pid=$!
    wait_node /dev/i2c-9 && /usr/sbin/i2cdetect -F 9 | grep -q '^I2C  *yes$'
    r=$?
    kill $pid
    wait $pid
    return $r
}

emu_node() {
    local pid r
    "$build/src/cli/i2cemu" --cuse -d 24c02,addr=0x50,bus=3 run >/dev/null &
    pid=$!
    wait_node /dev/i2c-3 &&
        [[ $(stat -c '%F %a %U:%G' /dev/i2c-3) == "character special file 600 root:root" ]] &&
        [[ $(/usr/sbin/i2cget -y 3 0x50 0x00) == 0xff ]]
    r=$?
    kill -TERM $pid && wait $pid && [[ ! -e /dev/i2c-3 ]] && return $r
}

# A client killed in the middle of a long transfer frees the bus at once:
# 14 x 8 KiB read at 100 kHz is about 10 s of bus time.
killed_client() {
    local pid client t0 r
    "$build/src/cli/i2cemu" --cuse --clock realtime -d 24c02,addr=0x50,bus=3 \
        run >/dev/null &
    pid=$!
    wait_node /dev/i2c-3 || return 1
    rm -f "$TMPDIR/started"
    /usr/bin/python3 -c '
import os
from smbus2 import SMBus, i2c_msg
msgs = [i2c_msg.read(0x50, 8192) for _ in range(14)]
open(os.environ["TMPDIR"] + "/started", "w").close()
SMBus(3).i2c_rdwr(*msgs)' &
    client=$!
    wait_node "$TMPDIR/started" && sleep 1
    # The client is gone only when its ioctl is answered.
    t0=${EPOCHREALTIME/./}
    kill -KILL $client
    wait $client 2>/dev/null # "Killed"
    [[ $(/usr/sbin/i2cget -y 3 0x50 0x00) == 0xff ]] &&
        ((${EPOCHREALTIME/./} - t0 < 2000000))
    r=$?
    kill -TERM $pid && wait $pid && return $r
}

# FUSE moves at most 128 KiB each way per ioctl round: a bigger request
# fails with ENOMEM before the daemon allocates or fetches anything, and
# the next one works (docs/cuse.md).
oversized_ioctl() {
    local pid r
    "$build/src/cli/i2cemu" --cuse -d 24c02,addr=0x50,bus=3 run >/dev/null &
    pid=$!
    wait_node /dev/i2c-3 && /usr/bin/python3 -c '
import errno
from smbus2 import SMBus, i2c_msg
bus = SMBus(3)
try:
    bus.i2c_rdwr(*[i2c_msg.read(0x50, 8192) for _ in range(16)])
    raise SystemExit("no error")
except OSError as e:
    assert e.errno == errno.ENOMEM, e
read = i2c_msg.read(0x50, 8192)
bus.i2c_rdwr(i2c_msg.write(0x50, [0]), read)
assert list(read) == [0xff] * 8192'
    r=$?
    kill -TERM $pid && wait $pid && return $r
}

# SIGTERM while clients keep two nodes busy: each node's reader thread is
# stopped, whether in read() or waiting for the engine with a request, and
# the daemon exits cleanly (no sanitizer report) within seconds, its nodes
# gone; the clients' pending requests fail.
term_under_load() {
    local pid clients=() c r=0 i
    "$build/src/cli/i2cemu" --cuse -d 24c02,addr=0x50,bus=3 \
        -d 24c02,addr=0x50,bus=4 run >/dev/null &
    pid=$!
    wait_node /dev/i2c-3 && wait_node /dev/i2c-4 || r=1
    rm -f "$TMPDIR"/busy.*
    for i in 1 2 3; do
        /usr/bin/python3 -c '
import sys
from smbus2 import SMBus
bus = SMBus(int(sys.argv[1]))
bus.read_byte_data(0x50, 0)
open(sys.argv[2], "w").close()
try:
    while True:
        bus.read_byte_data(0x50, 0)
except OSError:
    pass' $((i < 3 ? 3 : 4)) "$TMPDIR/busy.$i" &
        clients+=($!)
    done
    for i in 1 2 3; do
        wait_node "$TMPDIR/busy.$i" || r=1
    done
    sleep 1
    ( sleep 20 && kill -KILL $pid ) 2>/dev/null &
    c=$!
    kill -TERM $pid && wait $pid || r=1
    kill $c 2>/dev/null
    for c in "${clients[@]}"; do
        wait "$c" || r=1
    done
    [[ ! -e /dev/i2c-3 && ! -e /dev/i2c-4 ]] || r=1
    return $r
}

# `run` serves CUSE nodes by default where /dev/cuse is usable, with the
# settings given; --no-cuse serves none; a -- COMMAND keeps to the shim.
cuse_by_default() {
    local pid r
    "$build/src/cli/i2cemu" -d 24c02,addr=0x50,bus=4 --cuse-mode 0660 \
        --cuse-group 1 run >/dev/null &
    pid=$!
    wait_node /dev/i2c-4 &&
        [[ $(stat -c '%a %u:%g' /dev/i2c-4) == "660 0:1" ]] &&
        [[ $(/usr/sbin/i2cget -y 4 0x50 0x00) == 0xff ]]
    r=$?
    kill -TERM $pid && wait $pid || return 1
    [[ $r == 0 ]] || return 1
    # Signals go to the loop before the socket exists: TERM is safe then.
    rm -f "$TMPDIR/no-cuse.sock"
    "$build/src/cli/i2cemu" --no-cuse --socket "$TMPDIR/no-cuse.sock" \
        -d 24c02,addr=0x50,bus=4 run >/dev/null &
    pid=$!
    wait_node "$TMPDIR/no-cuse.sock" && sleep 1
    [[ ! -e /dev/i2c-4 ]]
    r=$?
    kill -TERM $pid && wait $pid || return 1
    [[ $r == 0 ]] || return 1
    # Under the shim, the command's bus 4 is the board's, and no node is made.
    [[ $("$build/src/cli/i2cemu" -d 24c02,addr=0x50,bus=4 -- \
        sh -c '/usr/sbin/i2cget -y 4 0x50 0x00; test -e /dev/i2c-4 && echo node') == 0xff ]]
}

check stub-i2cdetect stub_i2cdetect
check cuse-floor-ioctl floor_ioctl
check i2cemu-cuse-node emu_node
check killed-client killed_client
check oversized-ioctl oversized_ioctl
check cuse-by-default cuse_by_default
check term-under-load term_under_load
echo "$pass passed, $fail failed"
