# SPDX-License-Identifier: MIT
"""The Maxim MAX31790 fan controller through the real i2c-tools: the
power-on register map in an i2cdump, the Linux driver's probe and its
word reads (MSB first: i2c_smbus_read_word_swapped), a fan speed changed
through the control plane read back as a TACH count."""

import pytest

import expect


def power_on():
    regs = [0] * 256
    regs[0x00], regs[0x01], regs[0x14] = 0x20, 0x44, 0x45
    for ch in range(6):
        regs[0x08 + ch] = 0x4C
        regs[0x30 + 2 * ch] = 0x40  # duty: the 25% target
        regs[0x40 + 2 * ch] = 0x40
        regs[0x50 + 2 * ch], regs[0x51 + 2 * ch] = 0x3D, 0x60
    return regs


def test_i2cdump_power_on(emu):
    r = emu("-d", "max31790,addr=0x20", cmd="i2cdump -y 1 0x20 b")
    assert (r.status, r.out, r.err) == (0, expect.dump_bytes(power_on()),
                                        ""), r


def test_linux_probe_and_fan_read(emu):
    """max31790_init_client() reads each Fan Configuration and Fan
    Dynamics register; pwm1_enable=1 writes 0x08 to Fan 1 Configuration;
    fan1_input is a swapped word read of TACH1: 2000 RPM at SR 4 is 491
    counts, 0x3d60."""
    probe = " && ".join(f"i2cget -y 1 0x20 0x{r:02x}"
                        for ch in range(6) for r in (0x02 + ch, 0x08 + ch))
    r = emu("-d", "max31790,addr=0x20",
            cmd=probe + " && i2cset -y 1 0x20 0x02 0x08 && "
                "i2ctransfer -y 1 w1@0x20 0x18 r2")
    assert (r.status, r.out, r.err) == (
        0, "0x00\n0x4c\n" * 6 + "0x3d 0x60\n", ""), r


def test_pwm_target_and_duty(emu):
    """pwm1 = 128 as Linux's set_pwm writes it (a swapped word): the duty
    register follows in PWM mode."""
    r = emu("-d", "max31790,addr=0x2f",
            cmd="i2ctransfer -y 1 w3@0x2f 0x40 0x80 0x00 && "
                "i2ctransfer -y 1 w1@0x2f 0x30 r2")
    assert (r.status, r.out, r.err) == (0, "0x80 0x00\n", ""), r


# `i2cemu ctl` from the command: the VM suite's I2CEMU_BIN is a --cuse
# wrapper that does not take `ctl`, so this one runs under the shim only.
@pytest.mark.preload
def test_runtime_fan_speed(emu, i2cemu_bin):
    """`i2cemu ctl set fan1=4000`: 245 counts at SR 4 (0x1ea0); fan1=0 is
    a stopped fan: 2047 counts and a fault in Fan Fault Status 1; the
    duty cycle property is observed through `ctl get`."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "max31790,addr=0x20",
            cmd="i2cset -y 1 0x20 0x02 0x08 && "
                f"{ctl} set 1-0020 fan1=4000 && "
                "i2ctransfer -y 1 w1@0x20 0x18 r2 && "
                f"{ctl} set 1-0020 fan1=0 && "
                "i2ctransfer -y 1 w1@0x20 0x18 r2 && i2cget -y 1 0x20 0x11 && "
                f"{ctl} get 1-0020 pwm1")
    assert (r.status, r.err) == (0, ""), r
    assert r.out.startswith("0x1e 0xa0\n0xff 0xe0\n0x01\n"), r
    assert r.out.splitlines()[-1].endswith("128"), r
