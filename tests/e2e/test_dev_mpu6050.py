# SPDX-License-Identifier: MIT
"""The InvenSense MPU-6050 through the real i2c-tools: the power-on
register map in an i2cdump, the Linux driver's probe (WHO_AM_I, device
reset, wake-up, configuration), a burst of the outputs, the FIFO read as
the driver's buffer reads it, and a value changed through the control
plane."""

import pytest

import expect


def test_i2cdump_power_on(emu):
    regs = [0] * 256
    regs[0x6B], regs[0x75] = 0x40, 0x68
    r = emu("-d", "mpu6050,addr=0x68", cmd="i2cdump -y 1 0x68 b")
    assert (r.status, r.out, r.err) == (0, expect.dump_bytes(regs), ""), r


def test_linux_probe(emu):
    """inv_check_and_setup_chip(): WHO_AM_I, H_RESET (PWR_MGMT_1 reads
    0x40 after it: SLEEP), wake-up; inv_mpu6050_init_config(): ±2000 °/s,
    DLPF 20 Hz, 50 Hz, ±2 g; then asleep again."""
    r = emu("-d", "mpu6050,addr=0x69",
            cmd="i2cget -y 1 0x69 0x75 && i2cset -y 1 0x69 0x1b 0x08 && "
                "i2cset -y 1 0x69 0x6b 0x80 && i2cget -y 1 0x69 0x6b && "
                "i2cget -y 1 0x69 0x1b && i2cset -y 1 0x69 0x6b 0x00 && "
                "i2cset -y 1 0x69 0x1b 0x18 && i2cset -y 1 0x69 0x1a 0x04 && "
                "i2cset -y 1 0x69 0x19 0x13 && i2cset -y 1 0x69 0x1c 0x00 && "
                "i2cset -y 1 0x69 0x6b 0x40 && "
                "i2ctransfer -y 1 w1@0x69 0x19 r4")
    assert (r.status, r.out, r.err) == (
        0, "0x68\n0x40\n0x00\n0x13 0x04 0x18 0x00\n", ""), r


def test_outputs_and_fifo(emu):
    """Awake, the 14-byte burst from ACCEL_XOUT_H: 1 g on Z at ±2 g is
    0x4000, 25 °C is -3920 (0xf0b0). With the FIFO on (Z gyro, 2 bytes a
    sample), FIFO_COUNT then a burst at FIFO_R_W, as the driver reads."""
    r = emu("--clock", "realtime", "-d", "mpu6050,addr=0x68,gyro_z=-1",
            cmd="i2cset -y 1 0x68 0x6b 0x00 && "
                "i2ctransfer -y 1 w1@0x68 0x3b r14 && "
                "i2cset -y 1 0x68 0x23 0x10 && i2cset -y 1 0x68 0x6a 0x40 && "
                "sleep 0.01 && i2ctransfer -y 1 w1@0x68 0x72 r2 w1@0x68 0x74 "
                "r4")
    lines = r.out.splitlines()
    assert (r.status, r.err, len(lines)) == (0, "", 3), r
    assert lines[0] == ("0x00 0x00 0x00 0x00 0x40 0x00 0xf0 0xb0 "
                        "0x00 0x00 0x00 0x00 0xff 0x7d"), r
    count = int(lines[1].split()[0], 16) << 8 | int(lines[1].split()[1], 16)
    assert count >= 4 and count % 2 == 0, r
    assert lines[2] == "0xff 0x7d 0xff 0x7d", r


# `i2cemu ctl` from the command: the VM suite's I2CEMU_BIN is a --cuse
# wrapper that does not take `ctl`, so this one runs under the shim only.
@pytest.mark.preload
def test_runtime_acceleration(emu, i2cemu_bin):
    """`i2cemu ctl set accel_x=0.5`: 8192 at ±2 g; at ±16 g, 1024."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "mpu6050,addr=0x68",
            cmd="i2cset -y 1 0x68 0x6b 0x00 && "
                f"{ctl} set 1-0068 accel_x=0.5 && "
                "i2ctransfer -y 1 w1@0x68 0x3b r2 && "
                "i2cset -y 1 0x68 0x1c 0x18 && "
                "i2ctransfer -y 1 w1@0x68 0x3b r2")
    assert (r.status, r.out, r.err) == (0, "0x20 0x00\n0x04 0x00\n", ""), r
