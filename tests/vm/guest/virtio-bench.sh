#!/bin/bash
# SPDX-License-Identifier: MIT
#
# In the guest: bench/i2c-bench through the virtio-i2c adapter (the host's
# release-built daemon, through vhost-user), beside the kernel's i2c-stub
# and the emulator's CUSE node in this same guest, so that the figures
# compare. Rounds taken in turns; each target keeps its best.
#
#   virtio-bench.sh KO BENCH_BUILD_DIR OUT_FILE
set -uo pipefail

ko=$1 build=$2 out=$3
rounds=${VM_BENCH_ROUNDS:-3}
raw=$TMPDIR/virtio-bench.raw
. "$(dirname "$0")/lib.sh"

insmod "$ko" || exit 1
modprobe -d "$VM_MODDIR" i2c-stub chip_addr=0x52 || exit 1
virtio='' stub=''
for _ in $(seq 50); do
    for d in /sys/bus/i2c/devices/i2c-*; do
        case $(cat "$d/name" 2>/dev/null) in
        "i2c_virtio at virtio bus"*) virtio=${d##*-} ;;
        "SMBus stub driver") stub=${d##*-} ;;
        esac
    done
    [[ -n $virtio && -n $stub ]] && break
    sleep 0.1
done
"$build/src/cli/i2cemu" --cuse -d 24c02,addr=0x50,bus=6 run >/dev/null &
emu=$!
wait_node /dev/i2c-6
: >"$raw"
for _ in $(seq "$rounds"); do
    for t in "vhost-user:/dev/i2c-$virtio:0x50" "i2c-stub:/dev/i2c-$stub:0x52" \
             cuse:/dev/i2c-6:0x50; do
        IFS=: read -r name node addr <<<"$t"
        timeout 60 "$build/bench/i2c-bench" -t 0.3 "$node" "$addr" |
            sed "s/^/$name /" >>"$raw"
    done
done
kill -TERM $emu
wait $emu
rmmod i2c_stub

awk '
    $3 ~ /^[0-9]+$/ { k = $1 " " $2; if (!(k in best) || $3 < best[k]) best[k] = $3; next }
    { best[$1 " " $2] = $3 }
    END { for (k in best) print k, best[k] }' "$raw" | sort >"$out"
cat "$out"
ok=0
grep -q '^vhost-user smbus_read_byte_data [0-9]' "$out" &&
    grep -q '^vhost-user i2c_rdwr_w1_r32 [0-9]' "$out" &&
    grep -q '^cuse smbus_read_byte_data [0-9]' "$out" && ok=1
echo "$ok passed, $((1 - ok)) failed"
