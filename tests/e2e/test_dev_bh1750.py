# SPDX-License-Identifier: MIT
"""The ROHM BH1750 through the real i2c-tools: opcodes sent with i2cset
(an SMBus send byte, as Linux's i2c_smbus_write_byte), the 2-byte result
read with i2ctransfer, the Linux driver's probe and read, the measurement
time on the REALTIME clock, and lux changed through the control plane."""

import pytest


def test_power_on_result(emu):
    """Power on: the result register holds 0; a plain read byte sees its
    high byte."""
    r = emu("-d", "bh1750,addr=0x23",
            cmd="i2ctransfer -y 1 r2@0x23 && i2cget -y 1 0x23")
    assert (r.status, r.out, r.err) == (0, "0x00 0x00\n0x00\n", ""), r


def test_linux_probe_and_read(emu):
    """bh1750_probe(): power down, MTreg 69 as 0x42 0x65; bh1750_read():
    one-time H-resolution mode, then two bytes: 100 lx is 120 counts."""
    r = emu("-d", "bh1750,addr=0x5c",
            cmd="i2cset -y 1 0x5c 0x00 && i2cset -y 1 0x5c 0x42 && "
                "i2cset -y 1 0x5c 0x65 && i2cset -y 1 0x5c 0x20 && "
                "i2ctransfer -y 1 r2@0x5c")
    assert (r.status, r.out, r.err) == (0, "0x00 0x78\n", ""), r


def test_measurement_time(emu):
    """REALTIME: the result is there 120 ms after the command, not at
    once (a read in the command's own transfer sees the old one); H2 mode
    counts half-lux."""
    r = emu("--clock", "realtime", "-d", "bh1750,addr=0x23,lux=1000",
            cmd="i2ctransfer -y 1 w1@0x23 0x21 r2@0x23 && "
                "sleep 0.2 && i2ctransfer -y 1 r2@0x23")
    assert (r.status, r.out, r.err) == (0, "0x00 0x00\n0x09 0x60\n", ""), r


# `i2cemu ctl` from the command: the VM suite's I2CEMU_BIN is a --cuse
# wrapper that does not take `ctl`, so this one runs under the shim only.
@pytest.mark.preload
def test_runtime_lux(emu, i2cemu_bin):
    """`i2cemu ctl set lux=28067`: the datasheet's example count 0x8390."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "bh1750,addr=0x23",
            cmd=f"{ctl} set 1-0023 lux=28067 && "
                "i2cset -y 1 0x23 0x20 && i2ctransfer -y 1 r2@0x23")
    assert (r.status, r.out, r.err) == (0, "0x83 0x90\n", ""), r
