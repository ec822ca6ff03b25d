#!/bin/bash
# SPDX-License-Identifier: MIT
#
# In the guest: the differential conformance run. Every [ALL] and [STUB]
# case of the i2c-dev checklist (i2c-dev-abi.md section 8) runs against the
# kernel's i2c-stub and against the emulator's stub-profile bus, all as
# /dev/i2c-0 with fixture F-STUB, from the same fresh state; each case's
# observations must be identical, except the named CUSE deviations. The
# emulator is reached three ways (sides): its CUSE node (cuse), and the
# preload shim with its shared-arena fast path on (preload) and off
# (preload-slow: every request through the daemon's socket).
#
#   conformance.sh BUILD_DIR OUT_DIR [CONFORMANCE32]
#
# CONFORMANCE32, the same program built for i386, runs the main group
# again through the 32-bit compat ioctl path, on the kernel and CUSE (the
# shim is built for the host's ABI only); its rows are named ID-32.
# Prints one table row per case ID and side and, last, "N passed, N failed".
set -uo pipefail

build=$1 out=$2 conf32=${3:-}
conf=$build/tests/vm/conformance
i2cemu=$build/src/cli/i2cemu
tools=/usr/sbin
mkdir -p "$out"/{kernel,cuse,preload,preload-slow}

# What CUSE answers where it cannot match the kernel (docs/cuse.md).
declare -A deviation=(
    [C4]="0" [C4-32]="0"                    # no-op llseek: no ESPIPE
    [C93]="EOPNOTSUPP; EOPNOTSUPP; 0"       # FUSE answers write(fd, b, 0)
    [C93-32]="EOPNOTSUPP; EOPNOTSUPP; 0"
    [C117]="exit 0"                         # not in /sys/class/i2c-dev
)
# [VER] cases whose kernel answer may be an older release's: the emulator
# implements the newest behaviour (i2c-dev-abi.md 2.6, 6.3).
declare -A version=(
    [C32]="0" [C32-32]="0"         # the I2C_TIMEOUT bound INT_MAX/10
    [C70]="00" [C70-32]="00"       # i2c-stub's block[0] == 0 check
)

chips=0x08,0x33,0x52,0x77

# F-STUB on the kernel: a fresh i2c-stub with functionality $1, as i2c-0.
kernel_fixture() {
    rmmod i2c_stub 2>/dev/null
    modprobe -d "$VM_MODDIR" i2c-stub chip_addr=$chips \
        bank_reg=0,0x4e bank_mask=0,0x07 bank_start=0,0x50 bank_end=0,0x5f &&
        echo "$1" >/sys/module/i2c_stub/parameters/functionality &&
        [[ $(cat /sys/class/i2c-dev/i2c-0/name) == "SMBus stub driver" ]] || {
        echo "conformance: cannot set up i2c-stub as i2c-0" >&2
        return 1
    }
}

# F-BUSY on the kernel: at24 bound at 0x52, a driverless client at 0x08.
kernel_busy() {
    modprobe -d "$VM_MODDIR" at24 &&
        echo 24c02 0x52 >/sys/bus/i2c/devices/i2c-0/new_device &&
        echo nodrv 0x08 >/sys/bus/i2c/devices/i2c-0/new_device &&
        [[ -e /sys/bus/i2c/devices/0-0052/driver &&
           ! -e /sys/bus/i2c/devices/0-0008/driver ]]
}

# The same fixture on the emulator: bus 0, stub profile, functionality $1,
# $2 = "busy" for F-BUSY.
emu_board() {
    local c08='' c52=''
    [[ ${2:-} == busy ]] && c08=,claim=client c52=,claim=driver
    cat <<EOF
bus 0 profile=stub funcs=$1
regbank,addr=0x08,bus=0$c08
regbank,addr=0x33,bus=0,bank_reg=0x4e,bank_mask=0x07,bank_start=0x50,bank_end=0x5f
regbank,addr=0x52,bus=0$c52
regbank,addr=0x77,bus=0
EOF
}

# emu_start SIDE FUNCS [busy]: the daemon for one side. For the preload
# sides, client=() becomes the environment its banner exports.
emu_pid=
client=()
emu_start() {
    local side=$1 env
    shift
    emu_board "$@" >"$out/board.cfg"
    if [[ $side == cuse ]]; then
        "$i2cemu" --cuse -f "$out/board.cfg" run >"$out/emu.out" 2>>"$out/emu.err" &
    else
        "$i2cemu" --no-cuse -f "$out/board.cfg" run >"$out/emu.out" 2>>"$out/emu.err" &
    fi
    emu_pid=$!
    for _ in $(seq 100); do
        if [[ $side == cuse ]]; then
            [[ -e /dev/i2c-0 ]] && return 0
        else
            # "  export LD_PRELOAD=... I2CEMU_SOCKET=...", once it listens.
            env=$(sed -n 's/^  export //p' "$out/emu.out")
            if [[ -n $env ]]; then
                # The test program is ASan's: the shim loads before
                # ASan's runtime, and calls through to its interceptors.
                read -ra client <<<"env $env I2CEMU_PRELOAD_FASTPATH=$([[ $side == preload ]] && echo 1 || echo 0)"
                client+=("ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
                return 0
            fi
        fi
        kill -0 $emu_pid 2>/dev/null || break
        sleep 0.1
    done
    echo "conformance: i2cemu did not start for the $side side" >&2
    cat "$out/emu.err" >&2
    return 1
}

# Stop the daemon; it must exit cleanly (sanitizers report at exit).
emu_stop() {
    kill -TERM $emu_pid && wait $emu_pid || {
        echo "conformance: i2cemu exited with status $?" >&2
        cat "$out/emu.err" >&2
        return 1
    }
}

# The checklist cases that are tool runs, each into its own file.
tool() {
    local id=$1
    shift
    { "${client[@]}" "$@"; echo "exit $?"; } >"$dir/$id" 2>&1
}
tool_cases() {
    tool C108 $tools/i2cdetect -y 0
    tool C110 $tools/i2cdetect -F 0
    tool C111 sh -c "$tools/i2cset -y 0 0x52 0x10 0xab && $tools/i2cget -y 0 0x52 0x10"
    tool C112 $tools/i2cget -y 0 0x40 0x00
    tool C113 sh -c "$tools/i2cdump -y 0 0x52 b && $tools/i2cdump -y 0 0x52 i"
    tool C114 $tools/i2ctransfer -y 0 w1@0x52 0x00
    tool C115 /usr/bin/python3 -c '
from smbus2 import SMBus
with SMBus(0) as b:
    b.write_i2c_block_data(0x52, 0x80, [1, 2, 3])
    print(b.read_i2c_block_data(0x52, 0x80, 3))
    try:
        b.enable_pec()
    except IOError as e:
        print("enable_pec:", e)'
    tool C117 $tools/i2cdetect -l
}

# Which path a preload side took: 100 byte reads cost 100 socket sends
# through the daemon and none on the fast path, where only the shim's
# set-up (open, I2C_FUNCS, I2C_SLAVE) talks to it.
declare -A sends=()
path_check() {
    strace -f -qq -o "$dir/strace" -e trace=sendto,sendmsg "${client[@]}" \
        /usr/bin/python3 -c '
from smbus2 import SMBus
with SMBus(0) as b:
    for _ in range(100):
        b.read_byte_data(0x52, 0x10)' &&
        sends[$side]=$(grep -c send "$dir/strace")
    rm -f "$dir/strace"
}

# cases PROGRAM GROUP SUFFIX: one file per case observed.
cases() {
    "${client[@]}" "$1" /dev/i2c-0 "$2" | while IFS= read -r line; do
        printf '%s\n' "${line#*: }" >"$dir/${line%%: *}$3"
    done
}

# run SIDE GROUP FUNCS [busy]: one group of cases on one side.
run_group() {
    local side=$1 group=$2 funcs=$3 busy=${4:-}
    dir=$out/$side
    client=()
    if [[ $side == kernel ]]; then
        kernel_fixture "$funcs" || return 1
        if [[ $busy ]]; then kernel_busy || return 1; fi
    else
        emu_start "$side" "$funcs" "$busy" || return 1
    fi
    cases "$conf" "$group" ""
    if [[ $group == main && $conf32 && $side != preload* ]]; then
        cases "$conf32" main -32
    fi
    case $group in
    main)
        tool_cases
        if [[ $side == preload* ]]; then path_check; fi ;;
    busy) tool C109 $tools/i2cdetect -y 0 ;;
    esac
    if [[ $side == kernel ]]; then
        rmmod i2c_stub
    else
        emu_stop
    fi
}

sides="cuse preload preload-slow"
status=0
for side in kernel $sides; do
    run_group $side main 0x0F7F0000 &&
        run_group $side funcs-default 0x0C7F0000 &&
        run_group $side funcs-all 0xFFFFFFFF &&
        run_group $side busy 0x0F7F0000 busy || status=1
done

# A file's text, read without a process: under TCG each costs
# milliseconds, and the table has some 550 rows.
slurp() { # VAR FILE
    local -n v=$1
    v=
    [[ -f $2 ]] && IFS= read -rd '' v <"$2"
    return 0
}

pass=0 fail=0
printf '%-8s %-12s %-9s %s\n' case side verdict detail
for f in $(ls "$out/kernel" | sort -V); do
    slurp k "$out/kernel/$f"
    for side in $sides; do
        [[ $side == preload* && $f == *-32 ]] && continue
        slurp c "$out/$side/$f"
        if [[ -f $out/$side/$f && $k == "$c" ]]; then
            verdict=same detail=${k%%$'\n'*} detail=${detail:0:60}
        elif [[ $side == cuse && -n ${deviation[$f]:-} &&
                ${c%$'\n'} == "${deviation[$f]}" ]]; then
            verdict=deviation detail="CUSE: ${c%%$'\n'*}, see docs/cuse.md"
        elif [[ -n ${version[$f]:-} && ${k%$'\n'} == "${version[$f]}" ]]; then
            verdict=version detail="kernel (older release): ${k%$'\n'}; emulator: ${c%%$'\n'*}"
        else
            k1=${k//$'\n'/|} c1=${c//$'\n'/|}
            verdict=DIFF detail="kernel: ${k1:0:70} $side: ${c1:0:70}"
        fi
        printf '%-8s %-12s %-9s %s\n' "$f" "$side" "$verdict" "$detail"
        if [[ $verdict == DIFF ]]; then ((fail++)); else ((pass++)); fi
    done
done
for side in preload preload-slow; do
    n=${sends[$side]:-}
    if [[ $side == preload && $n && n -lt 100 ]] ||
       [[ $side == preload-slow && $n && n -ge 100 ]]; then
        verdict=same
    else
        verdict=DIFF
    fi
    printf '%-8s %-12s %-9s %s\n' path "$side" "$verdict" \
        "${n:-no count}: socket sends for 100 byte reads"
    if [[ $verdict == DIFF ]]; then ((fail++)); else ((pass++)); fi
done
((status)) && ((fail++))
echo "$pass passed, $fail failed"
((fail == 0))
