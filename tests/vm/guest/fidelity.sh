# shellcheck shell=bash
# SPDX-License-Identifier: MIT
#
# Sourced by guest/virtio.sh: model fidelity, one line of tests/vm/fidelity.tab
# at a time. Each type is hot-plugged on the host's bus (`i2cemu ctl add`,
# relayed by tests/vm/virtio.sh), bound with new_device, and what its
# driver exposes in sysfs is compared with the model's properties (`ctl
# get`); then a property is changed (`ctl set`) and compared again. One row
# of $VM_OUT/fidelity.tsv per type: type, driver, bound, values compared,
# values after the runtime change, equal, reason. Needs $bus, $dev and
# check (guest/virtio.sh), and:
#   FID_TABLE    tests/vm/fidelity.tab
#   FID_TYPES    a file with the emulator's types, one a line
#   FID_MODROOT  the Debian kernel's unpacked package (modules, config)
#   FID_MODDIR   the drivers built at test time for the types whose
#                CONFIG_ symbol Debian leaves unset (tests/vm/kernel-modules.sh)

# A sleep without a process: under TCG every fork and exec costs. Always
# true: the read always times out, which bash reports as a failure.
nap_fifo=$TMPDIR/nap
mkfifo "$nap_fifo"
exec {nap_fd}<>"$nap_fifo"
nap() { read -rt "$1" -u "$nap_fd" || :; }
# 0 once the path exists, 1 if it has not after 10 s.
wait_path() {
    local i
    for ((i = 0; i < 200; i++)); do
        [[ -e $1 ]] && return 0
        nap 0.05
    done
    return 1
}

# i2cemu ctl ARGS... on the host: tests/vm/virtio.sh runs each request
# it finds in $VM_OUT/ctl/N.req (one argument a line, then a line ".")
# and answers in N.out, then N.rc. Leaves the output in $ctl_out;
# returns ctl's status, 124 if no answer came in 30 s.
ctl_n=0 ctl_out=
ctl() {
    local d=$VM_OUT/ctl n=$ctl_n rc i
    ((ctl_n++))
    printf '%s\n' "$@" . >"$d/$n.req"
    for ((i = 0; i < 3000; i++)); do
        [[ -f $d/$n.rc ]] && break
        nap 0.01
    done
    [[ -f $d/$n.rc ]] || return 124
    IFS= read -rd '' ctl_out <"$d/$n.out"
    read -r rc <"$d/$n.rc"
    return "$rc"
}

# EXPR with each name in it replaced by "(value)" into $expr_out, the
# value from LOOKUP NAME (which sets $val); fails if a lookup does.
subst() {
    local expr=$1 lookup=$2 name
    expr_out=
    while [[ $expr =~ ^([^a-z_]*)([a-z_][a-z0-9_]*)(.*)$ ]]; do
        expr_out+=${BASH_REMATCH[1]} name=${BASH_REMATCH[2]}
        expr=${BASH_REMATCH[3]}
        "$lookup" "$name" && [[ $val =~ ^-?[0-9]+(\.[0-9]+)?$ ]] || return 1
        expr_out+="($val)"
    done
    expr_out+=$expr
}

# The lookups subst calls: an attribute in $sysdir, a property in $props.
sys_val() { read -r val <"$sysdir/$1"; } 2>/dev/null
prop_val() {
    local line
    while IFS= read -r line; do
        [[ $line == "$1 = "* ]] && val=${line#"$1 = "} && return 0
    done <<<"$props"
    return 1
}

# Compare every SYSFS=MODEL[~TOL] of a line: one awk evaluates them all.
# $cmp gets the values read, $why the first difference; 0 if all equal
# (within TOL, and the rounding error of the printed decimals). An item
# ATTR:=VALUE is a setting written to the driver first, as a board's
# set-up would (max31790: fan1_enable:=1, the tach input is off at power on).
compare() { # COMPARE HOSTDEV
    local pair lhs rhs tol a b eq out prog="" ok=0 i=0
    local -a items pairs=() got
    cmp=
    IFS=, read -ra items <<<"$1"
    for pair in "${items[@]}"; do
        if [[ $pair == *:=* ]]; then
            echo "${pair#*:=}" >"$sysdir/${pair%%:=*}" ||
                { why="cannot write ${pair%%:=*}"; return 1; }
        else
            pairs+=("$pair")
        fi
    done
    ctl get "$2" || { why="ctl get $2: $ctl_out"; return 1; }
    props=$ctl_out
    for pair in "${pairs[@]}"; do
        lhs=${pair%%=*} rhs=${pair#*=} tol=0
        [[ $rhs == *~* ]] && tol=${rhs#*~} rhs=${rhs%~*}
        a='"?"' b='"?"'
        subst "$lhs" sys_val && a=$expr_out
        subst "$rhs" prop_val && b=$expr_out
        prog+="cmp($a, $b, $tol);"
    done
    # No <(...): the guest's devtmpfs has no /dev/fd.
    out=$(awk "function cmp(a, b, t,  d, m) {
        if (a == \"?\" || b == \"?\") { print a, b, \"no\"; return }
        d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
        printf \"%.10g %.10g %s\\n\", a, b, d <= t + 1e-9 * m ? \"yes\" : \"no\"
    } BEGIN { $prog }")
    mapfile -t got <<<"$out"
    for pair in "${pairs[@]}"; do
        lhs=${pair%%=*} rhs=${pair#*=}
        read -r a b eq <<<"${got[i++]:-? ? no}"
        cmp+="${cmp:+; }$lhs $a (model $b)"
        if [[ $eq != yes ]]; then
            [[ -z $why ]] && why="$lhs reads $a, the model ${rhs%~*} = $b"
            ok=1
        fi
    done
    return $ok
}

# eeprom: the driver's eeprom file holds the model's backing file, a write
# through it reaches the file, and with wp=on a write is dropped.
eeprom_check() { # SIZE FILE HOSTDEV RUNTIME
    local size=$1 file=$2 f=$sysdir/eeprom got
    cmp="eeprom $size bytes"
    got=$(stat -c %s "$f")
    [[ $got == "$size" ]] || { why="eeprom is $got bytes, not $size"; return 1; }
    cmp -s "$f" "$file" || { why="eeprom differs from the model's file"; return 1; }
    if [[ $4 == - ]]; then
        rt="none: the driver only reads"
        return 0
    fi
    printf '\x5a\xa5' | dd of="$f" bs=1 seek=32 conv=notrunc 2>/dev/null
    [[ $(od -An -tx1 -j32 -N2 "$file") == " 5a a5" ]] ||
        { why="a write through eeprom did not reach the model"; return 1; }
    cmp+=", 2 written"
    ctl set "$3" "$4" || { why="ctl set $4: $ctl_out"; return 1; }
    printf '\x00\x00' | dd of="$f" bs=1 seek=32 conv=notrunc 2>/dev/null
    rt="$4: a write through eeprom"
    if [[ $(od -An -tx1 -j32 -N2 "$f") == " 5a a5" ]] && cmp -s "$f" "$file"; then
        rt+=" is dropped"
    else
        rt+=" is not dropped"
        why="a write with $4 changed the memory"
        return 1
    fi
}

. "$(dirname "${BASH_SOURCE[0]}")/fidelity-classes.sh"

# compare, and once more after 1.2 s if a value differs: a driver may
# keep a reading for a second (max31790); what it reads then must be equal.
recompare() {
    compare "$@" || { why= && nap 1.2 && compare "$@"; }
}

fid_row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$VM_OUT/fidelity.tsv"; }

# One line of the table: a row, and a check that fails when a driver that
# is there does not bind or reads another value than the model's.
fid_line() { # TYPE ADDR MODULE CONFIG CLASS COMPARE START RUNTIME
    local type=$1 addr=$2 class=$5 compare=$6 start=$7 runtime=$8
    local hostdev client spec file="" bound=no eq=no cmp="" rt="" why=""
    local props sysdir start_cmp
    local -a sets dirs
    printf -v hostdev '1-%04x' "$addr"
    printf -v client '%s/%s-%04x' "$dev" "$bus" "$addr"
    case $class in hwmon | iio | power_supply | eeprom | rtc | gpio | mux) ;;
    *)
        fid_row "$type" "$fid_driver" no "" "" no "no $class check written yet"
        return 1 ;;
    esac
    spec=$type,addr=$addr
    if [[ $start == *@* ]]; then
        file=$VM_OUT/fid-$type.bin
        head -c "$compare" /dev/urandom >"$file"
        start=${start//@/$file}
    fi
    [[ $start != - ]] && spec+=,$start
    if ! ctl add "$spec"; then
        fid_row "$type" "$fid_driver" no "" "" no "ctl add $spec: $ctl_out"
        return 1
    fi
    if echo "$type $addr" >"$dev/i2c-$bus/new_device" &&
        wait_path "$client/driver"; then
        bound=yes
        case $class in
        hwmon) dirs=("$client"/hwmon/hwmon*) ;;
        iio) dirs=("$client"/iio:device*) ;;
        power_supply) dirs=("$client"/power_supply/*) ;;
        eeprom | mux) dirs=("$client") ;;
        rtc) dirs=("$client"/rtc/rtc*) ;;
        gpio) dirs=("$client"/gpio/gpiochip*) ;;
        esac
        sysdir=${dirs[0]}
        if [[ $class == eeprom ]]; then
            eeprom_check "$compare" "$file" "$hostdev" "$runtime" && eq=yes
        elif [[ $class == rtc ]]; then
            rtc_check "$hostdev" "$runtime" && eq=yes
        elif [[ $class == gpio ]]; then
            gpio_check "$hostdev" "$runtime" && eq=yes
        elif [[ $class == mux ]]; then
            mux_check "$compare" "$hostdev" "$start" && eq=yes
        elif recompare "$compare" "$hostdev"; then
            start_cmp=$cmp
            IFS=, read -ra sets <<<"$runtime"
            if [[ $runtime == - ]]; then
                rt="none"
                eq=yes
            elif ctl set "$hostdev" "${sets[@]}"; then
                # The hwmon and iio drivers here read the part on every
                # sysfs read (sht3x in its default single-shot mode
                # measures at each read), but max31790, which keeps a
                # reading for a second: recompare waits that out.
                recompare "$compare" "$hostdev" && eq=yes
                rt="$runtime: $cmp"
            else
                why="ctl set $hostdev $runtime: $ctl_out"
            fi
            cmp=$start_cmp
        fi
        [[ $eq == no ]] && why="model bug: $why"
        echo "$addr" >"$dev/i2c-$bus/delete_device"
    else
        why="the driver did not bind"
        [[ -e $client ]] && echo "$addr" >"$dev/i2c-$bus/delete_device"
    fi
    # A mux cannot be removed (its rows have addresses of their own).
    [[ $class == mux ]] || ctl del "$hostdev"
    fid_row "$type" "$fid_driver" "$bound" "$cmp" "$rt" "$eq" "$why"
    [[ $eq == yes ]]
}

# Load MODULE: the test-built one (FID_MODDIR) after what it depends on,
# else Debian's. $loaded (fidelity's) remembers what is in.
load_module() {
    local m=$1 deps dep
    [[ -n ${loaded[$m]:-} ]] && return 0
    if [[ -f $FID_MODDIR/$m.ko ]]; then
        deps=$(modinfo -F depends "$FID_MODDIR/$m.ko") || return 1
        for dep in ${deps//,/ }; do
            load_module "$dep" || return 1
        done
        insmod "$FID_MODDIR/$m.ko" || return 1
    else
        modprobe -d "$FID_MODROOT" "$m" 2>/dev/null || return 1
    fi
    loaded[$m]=1
}

# Why a class "dt" driver cannot be bound by new_device.
declare -A dt_only=(
    [ssd130x-i2c]="matches by device tree only (no i2c_device_id table): new_device cannot bind it"
    [ssd1307fb]="reads its chip data from the device tree match in its probe (device_get_match_data: NULL without a node) and dereferences it: bound by new_device, it would oops"
)

# Every line of the table whose type the emulator has.
fidelity() {
    local type rest kconfig
    local -A have loaded
    local -a cols
    mkdir -p "$VM_OUT/ctl"
    : >"$VM_OUT/fidelity.tsv"
    while read -r type; do have[$type]=1; done <"$FID_TYPES"
    kconfig=$'\n'$(<"$(echo "$FID_MODROOT"/boot/config-*)")$'\n'
    while read -r type rest; do
        [[ -z $type || $type == \#* || -z ${have[$type]:-} ]] && continue
        read -ra cols <<<"$rest"
        echo "# $type at ${SECONDS}s"
        fid_driver=${cols[1]}
        [[ -f $FID_MODDIR/${cols[1]}.ko ]] && fid_driver+=" (built here)"
        if [[ ${cols[3]} == dt ]]; then
            fid_row "$type" "${cols[1]}" no "" "" no \
                "CONFIG_${cols[2]} is not set in Debian's kernel, and the driver, which compiles out of tree, ${dt_only[${cols[1]}]}"
        elif [[ ${cols[3]} == block ]]; then
            fid_row "$type" "${cols[1]}" no "" "" no \
                "CONFIG_${cols[2]} is not set in Debian's kernel, and the driver, which compiles out of tree, reads an ID with an SMBus block read in its probe (I2C_FUNC_SMBUS_BLOCK_DATA): virtio-i2c cannot carry one (vhost-user.md)"
        elif load_module "${cols[1]}"; then
            check "$type: the driver reads the model" \
                fid_line "$type" "${cols[@]}"
        elif [[ $kconfig == *$'\n'"# CONFIG_${cols[2]} is not set"$'\n'* ]]; then
            fid_row "$type" "${cols[1]}" no "" "" no \
                "driver missing: CONFIG_${cols[2]} is not set in Debian's kernel"
        elif [[ $kconfig != *$'\n'"CONFIG_${cols[2]}="* ]]; then
            fid_row "$type" "${cols[1]}" no "" "" no \
                "driver missing: Debian's kernel leaves a dependency of CONFIG_${cols[2]} unset"
        else
            check "$type: ${cols[1]} loads" false
            fid_row "$type" "${cols[1]}" no "" "" no "cannot load ${cols[1]}"
        fi
    done <"$FID_TABLE"
}
