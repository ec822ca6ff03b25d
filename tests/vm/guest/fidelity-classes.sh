# shellcheck shell=bash
# SPDX-License-Identifier: MIT
#
# Sourced by guest/fidelity.sh: the checks of the classes whose values are
# not sysfs attributes to compare one by one: rtc (a clock), gpio (lines),
# mux (child adapters and a device behind one). Each sets $cmp (values
# compared), $rt (after the runtime change) and $why (the first
# difference), and returns 0 if the driver and the model agree. They use
# ctl, prop_val, compare, load_module and $sysdir, $client, $bus, $dev from
# guest/fidelity.sh and guest/virtio.sh.

# The driver's time (since_epoch) read before and after `ctl get` (into $a0
# and $a) brackets the model's (into $b): the host's clock when the relay
# ran ctl plus the model's offset. Whatever the relay's latency, a0 <= b
# <= a, give or take the second either side truncates.
rtc_time() { # HOSTDEV
    local host
    read -r a0 <"$sysdir/since_epoch" || { why="cannot read since_epoch"; return 1; }
    ctl get "$1" || { why="ctl get $1: $ctl_out"; return 1; }
    props=$ctl_out
    read -r a <"$sysdir/since_epoch" || { why="cannot read since_epoch"; return 1; }
    prop_val offset || { why="the model has no offset"; return 1; }
    read -r host <"$VM_OUT/ctl/$((ctl_n - 1)).time"
    b=$((host + val))
    ((a0 - 1 <= b && b <= a + 1)) ||
        { why="since_epoch reads $a0 then $a, the model's time is $b (offset $val)"; return 1; }
}

# rtc: the time read through the driver is the model's; again after `ctl
# set` of the offset; and a time set through the driver (hwclock --set)
# is the model's.
rtc_check() { # HOSTDEV RUNTIME
    local a0 a b t="2033-03-03 03:03:03" want=1993431783 t0 took
    rtc_time "$1" || return 1
    cmp="since_epoch $a (model $b)"
    if [[ $2 != - ]]; then
        ctl set "$1" "$2" || { why="ctl set $1 $2: $ctl_out"; return 1; }
        rtc_time "$1" || return 1
        rt="$2: since_epoch $a (model $b)"
    fi
    # The guest's root is read-only: no /etc/adjtime. hwclock sets the
    # time given plus the time it has run (seconds under TCG).
    t0=$EPOCHSECONDS
    TZ=UTC hwclock --set --date "$t" --utc --noadjfile -f "/dev/${sysdir##*/}" ||
        { why="hwclock --set failed"; return 1; }
    took=$((EPOCHSECONDS - t0))
    rtc_time "$1" || return 1
    # a0 is read right after hwclock exits.
    ((a0 - want >= 0 && a0 - want <= took + 1)) ||
        { why="hwclock --set $t ($want) for ${took} s, then since_epoch reads $a0"; return 1; }
    rt+="${rt:+; }hwclock --set $t: since_epoch $a (model $b)"
}

# Every line of the chip at $sysdir as an input, into $a (bit n: line n),
# against the model's inputs (into $b).
gpio_inputs() { # HOSTDEV
    local i v g
    a=0
    for ((i = 0; i < ngpio; i++)); do
        g=/sys/class/gpio/gpio$((base + i))
        echo in >"$g/direction" && read -r v <"$g/value" ||
            { why="cannot read line $i"; return 1; }
        ((a |= v << i))
    done
    ctl get "$1" || { why="ctl get $1: $ctl_out"; return 1; }
    props=$ctl_out
    prop_val inputs || { why="the model has no inputs"; return 1; }
    printf -v a '0x%x' "$a"
    printf -v b '0x%x' $((val & mask))
    ((a == b)) || { why="the lines read $a, the model's inputs are $b"; return 1; }
}

# gpio: the lines read through gpiolib (sysfs) are the model's inputs,
# again after `ctl set`; lines driven through it are the model's outputs.
gpio_check() { # HOSTDEV RUNTIME
    local base ngpio mask i v a b drive=0x3c5a ok=1
    local -a sets
    read -r base <"$sysdir/base" && read -r ngpio <"$sysdir/ngpio" ||
        { why="no gpiochip"; return 1; }
    mask=$(((1 << ngpio) - 1))
    for ((i = 0; i < ngpio; i++)); do
        echo $((base + i)) >/sys/class/gpio/export ||
            { why="cannot export line $i"; return 1; }
    done
    if gpio_inputs "$1"; then
        cmp="lines $a (model inputs $b)"
        IFS=, read -ra sets <<<"$2"
        if [[ $2 == - ]] || { ctl set "$1" "${sets[@]}" ||
                              { why="ctl set $1 $2: $ctl_out"; false; }; } &&
            gpio_inputs "$1"; then
            [[ $2 != - ]] && rt="$2: lines $a (model inputs $b)"
            for ((i = 0; i < ngpio; i++)); do
                v=low
                (((drive >> i) & 1)) && v=high
                echo $v >"/sys/class/gpio/gpio$((base + i))/direction"
            done
            printf -v a '0x%x' $((drive & mask))
            if ctl get "$1" && props=$ctl_out && prop_val outputs; then
                printf -v b '0x%x' "$val"
                rt+="${rt:+; }lines driven $a: model outputs $b"
                ((a == b)) && ok=0 ||
                    why="lines driven $a, the model's outputs are $b"
            else
                why="ctl get $1: no outputs"
            fi
        fi
    fi
    for ((i = 0; i < ngpio; i++)); do
        echo $((base + i)) >/sys/class/gpio/unexport
    done
    return $ok
}

# mux: the driver adds one child adapter per channel (COUNT), named as
# Linux names them; an LM75 on the emulator's bus behind the last channel
# is read through it by the lm75 driver, before and after `ctl set`, and
# does not answer through channel 0.
mux_check() { # COUNT HOSTDEV START
    local -a chans
    local first last child zero name lmdev lmclient ok=1
    chans=("$client"/channel-*)
    [[ ${#chans[@]} == "$1" && -e ${chans[0]} ]] ||
        { why="${#chans[@]} channel links, not $1"; return 1; }
    last=$(($1 - 1))
    child=$(readlink "$client/channel-$last") && child=${child##*/i2c-}
    zero=$(readlink "$client/channel-0") && zero=${zero##*/i2c-}
    read -r name <"$dev/i2c-$child/name"
    [[ $name == "i2c-$bus-mux (chan_id $last)" ]] ||
        { why="channel $last is named '$name'"; return 1; }
    cmp="$1 channels (i2c-$zero..i2c-$child)"
    first=${3#*first_bus=}
    first=${first%%,*}
    lmdev=$((first + last))-0048
    lmclient=$dev/$child-0048
    ctl add "lm75,addr=0x48,bus=$((first + last)),temperature=30.5" ||
        { why="ctl add lm75 behind channel $last: $ctl_out"; return 1; }
    load_module lm75 || why="cannot load lm75"
    if [[ -z $why ]] && echo lm75 0x48 >"$dev/i2c-$child/new_device" &&
        wait_path "$lmclient/driver"; then
        local -a dirs=("$lmclient"/hwmon/hwmon*)
        local sysdir=${dirs[0]} start_cmp
        if compare temp1_input=temperature*1000 "$lmdev"; then
            start_cmp=$cmp
            ctl set "$lmdev" temperature=-12.5 &&
                compare temp1_input=temperature*1000 "$lmdev" &&
                rt="lm75 behind channel $last, temperature=-12.5: $cmp" &&
                ok=0
            cmp="$1 channels (i2c-$zero..i2c-$child); lm75 behind channel $last: $start_cmp"
        fi
        echo 0x48 >"$dev/i2c-$child/delete_device"
    else
        why=${why:-"lm75 did not bind behind channel $last"}
    fi
    if ((ok == 0)) && timeout 30 i2cget -y "$zero" 0x48 0x00 w >/dev/null 2>&1; then
        why="the lm75 behind channel $last answers through channel 0"
        ok=1
    fi
    ctl del "$lmdev"
    return $ok
}
