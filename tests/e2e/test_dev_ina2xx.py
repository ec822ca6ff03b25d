# SPDX-License-Identifier: MIT
"""The INA219 and INA226 current/power monitors through the real
i2c-tools. Registers are 16-bit, high byte first on the wire; an SMBus
word (`i2cget ... w`, `i2cdump ... w`) takes the low byte first, so the
tools show them byte-swapped."""
import pytest

import expect
from test_ctl import board, tool  # noqa: F401 (a fixture)


def swap(v):
    return (v >> 8) | (v & 0xFF) << 8


def test_ina219_power_on_dump(emu):
    # Configuration 0x399F; P2-P0 decoded, so the eight registers repeat.
    # At 0 V the bus register shows only CNVR (a conversion is done).
    regs = [0x399F, 0, 0x0002, 0, 0, 0, 0, 0]
    r = emu("-d", "ina219,addr=0x40", cmd="i2cdump -y 1 0x40 w")
    assert (r.status, r.out) == (
        0, expect.dump_words([swap(regs[c % 8]) for c in range(256)])), r


def test_ina226_power_on_dump(emu):
    # SBOS547 Table 7-1; Mask/Enable shows CVRF after the first
    # conversion; manufacturer "TI" and die id at 0xFE and 0xFF.
    regs = {0: 0x4127, 6: 0x0008, 0xFE: 0x5449, 0xFF: 0x2260}
    r = emu("-d", "ina226,addr=0x41", cmd="i2cdump -y 1 0x41 w")
    assert (r.status, r.out) == (
        0, expect.dump_words([swap(regs.get(c, 0)) for c in range(256)])), r


def test_ina219_calibration_then_current(emu):
    """The datasheet's Configure/Measure/Calculate Example: 10 A through
    2 mOhm at 11.98 V; configuration 0x019F, calibration 20480."""
    r = emu("-d", "ina219,addr=0x40,shunt=0.002,current=10,"
            "bus_voltage=11.98",
            cmd="i2cset -y 1 0x40 0 0x9f01 w && "
                "i2cget -y 1 0x40 4 w && "
                "i2cset -y 1 0x40 5 0x0050 w && "
                "for r in 1 2 5 4 3; do i2cget -y 1 0x40 $r w; done")
    assert (r.status, r.err) == (0, ""), r
    assert r.out.split() == ["0x0000", "0xd007", "0x9a5d", "0x0050",
                             "0x1027", "0x6617"], r


def test_linux_probe_sequence(emu):
    """ina2xx's probe on an INA226, as regmap sends it: the configuration
    default, Mask/Enable read and written with LEN and APOL, the
    calibration 2048; then hwmon's reads of the shunt voltage."""
    r = emu("-d", "ina226,addr=0x40,shunt=0.01,current=0.5",
            cmd="i2ctransfer -y 1 w3@0x40 0x00 0x45 0x27 "
                "w1@0x40 0x06 r2 w3@0x40 0x06 0x00 0x03 "
                "w3@0x40 0x05 0x08 0x00 "
                "w1@0x40 0x00 r2 w1@0x40 0x01 r2 w1@0x40 0x04 r2")
    assert (r.status, r.err) == (0, ""), r
    # 5 mV: 2000 x 2.5 uV, and the same current with Cal = 2048.
    assert r.out == "0x00 0x08\n0x45 0x27\n0x07 0xd0\n0x07 0xd0\n", r


@pytest.mark.preload
def test_runtime_values_and_alert(board):
    """Bus voltage and current set through the control plane, read back
    with i2cget; the INA226's ALERT (bus over-voltage) seen with ctl."""
    _, env, _, ctl = board("-d", "ina226,addr=0x40,shunt=0.01")
    c = ctl("set", "ina226@1-0040", "current=2", "bus_voltage=12")
    assert (c.returncode, c.stderr) == (0, ""), c
    r = tool(env, "i2cget", "-y", "1", "0x40", "1", "w")
    assert (r.returncode, r.stdout) == (0, "0x401f\n"), r  # 20 mV: 8000
    r = tool(env, "i2cget", "-y", "1", "0x40", "2", "w")
    assert (r.returncode, r.stdout) == (0, "0x8025\n"), r  # 12 V: 9600
    # Over 13 V (10400 = 0x28A0) asserts ALERT (active low).
    for reg, word in (("7", "0xa028"), ("6", "0x0020")):
        r = tool(env, "i2cset", "-y", "1", "0x40", reg, word, "w")
        assert r.returncode == 0, r
    assert ctl("get", "1-0040", "alert").stdout == "alert = on\n"
    assert ctl("set", "1-0040", "bus_voltage=14").returncode == 0
    assert ctl("get", "1-0040", "alert").stdout == "alert = off\n"
    r = tool(env, "i2cget", "-y", "1", "0x40", "6", "w")
    assert (r.returncode, r.stdout) == (0, "0x1820\n"), r  # BOL, AFF, CVRF
