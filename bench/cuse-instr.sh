#!/bin/bash
# SPDX-License-Identifier: MIT
#
# In a TCG guest: the user-space instructions and calls a CUSE server
# spends per request, by library, for the floor (bench/cuse-floor) and the
# daemon's two nodes of the guest bench (bench.sh): counts that, unlike a
# time, do not move with the host's load (docs/benchmarks.md).
#
#   VM_OUT=DIR tests/vm/vm.sh --timeout 1500 bench/cuse-instr.sh BUILD_DIR
#
# Each server runs under callgrind twice per request kind, once for 100
# requests and once for 600, from a fresh start; the difference of the two
# profiles over 500 is one request's work, start-up and shutdown cancel out
# (bench/callgrind-per-request.py). Prints one block per server and request
# and leaves the profiles in DIR.
set -uo pipefail

build=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
out=${VM_OUT:?set VM_OUT to a directory}
. "$here/../tests/vm/guest/lib.sh"
cd "$TMPDIR" || exit 1
printf '%s\n' "bus 5 profile=stub" regbank,addr=0x52,bus=5 \
    "bus 6" 24c02,addr=0x50,bus=6 >instr.cfg

# requests SERVER BUS ADDR OP N: N requests of one kind through smbus2.
requests() {
    /usr/bin/python3 - "$@" <<'EOF'
import sys
from smbus2 import SMBus, i2c_msg
bus, addr, op, n = int(sys.argv[2]), int(sys.argv[3], 0), sys.argv[4], int(sys.argv[5])
with SMBus(bus) as b:
    for _ in range(n):
        if op == "smbus_read_byte_data":
            b.read_byte_data(addr, 0)
        elif op == "smbus_i2c_block_read_32":
            b.read_i2c_block_data(addr, 0, 32)
        else:
            b.i2c_rdwr(i2c_msg.write(addr, [0]), i2c_msg.read(addr, 32))
EOF
}

ok=1
for t in cuse-floor:9:0x52 cuse-stub:5:0x52 cuse-i2c:6:0x50; do
    IFS=: read -r name bus addr <<<"$t"
    for op in smbus_read_byte_data smbus_i2c_block_read_32 i2c_rdwr_w1_r32; do
        # The stub profile has no I2C_RDWR (i2c-stub's functionality).
        [[ $name == cuse-stub && $op == i2c_rdwr_w1_r32 ]] && continue
        for n in 100 600; do
            prof=$out/callgrind.$name.$op.$n
            cmd=("$build/src/cli/i2cemu" --cuse -f instr.cfg run)
            [[ $name == cuse-floor ]] && cmd=("$build/bench/cuse-floor" i2c-9)
            valgrind --tool=callgrind --vgdb=no --callgrind-out-file="$prof" \
                "${cmd[@]}" >/dev/null 2>"$out/valgrind.err" &
            pid=$!
            # Both of the daemon's nodes: it serves only once it has both.
            wait_node /dev/i2c-$bus && { [[ $name == cuse-floor ]] ||
                { wait_node /dev/i2c-5 && wait_node /dev/i2c-6; }; } &&
                requests "$name" "$bus" "$addr" "$op" "$n" || ok=0
            kill -TERM $pid
            wait $pid
            # Gone before the next server makes it again.
            for _ in $(seq 100); do
                [[ -e /dev/i2c-$bus ]] || break
                sleep 0.1
            done
        done
        /usr/bin/python3 "$here/callgrind-per-request.py" \
            "$out/callgrind.$name.$op.100" "$out/callgrind.$name.$op.600" \
            500 | sed "1s/^/$name $op: /" || ok=0
    done
done
echo "$ok passed, $((1 - ok)) failed"
