# SPDX-License-Identifier: MIT
"""The ADS1015 and ADS1115 ADCs through the real i2c-tools. Registers are
16-bit, high byte first on the wire; SMBus words take the low byte first,
so `i2cget ... w` shows them byte-swapped and `i2cset ... w` takes them
so."""
import pytest

import expect
from test_ctl import board, tool  # noqa: F401 (a fixture)

# Conversion, config 0x8583, Lo_thresh 0x8000, Hi_thresh 0x7FFF; P1-P0.
POWER_ON = [0x0000, 0x8385, 0x0080, 0xFF7F]


@pytest.mark.parametrize("part", ["ads1015", "ads1115"])
def test_power_on_dump(emu, part):
    r = emu("-d", f"{part},addr=0x48", cmd="i2cdump -y 1 0x48 w")
    assert (r.status, r.out) == (
        0, expect.dump_words([POWER_ON[c % 4] for c in range(256)])), r


def test_single_shot(emu):
    # OS | AIN0 vs GND | 4.096 V | single-shot | 128 SPS | comparator off
    # = 0xC383; 1.5 V is 12000 (0x2EE0), 0.75 V on the ADS1015 375 << 4
    # (0x1770).
    r = emu("-d", "ads1115,addr=0x48,ain0=1.5", "-d",
            "ads1015,addr=0x49,ain0=0.75",
            cmd="for a in 0x48 0x49; do i2cset -y 1 $a 1 0x83c3 w && "
                "i2cget -y 1 $a 1 w && i2cget -y 1 $a 0 w; done")
    assert (r.status, r.err) == (0, ""), r
    assert r.out.split() == ["0x83c3", "0xe02e", "0x83c3", "0x7017"], r


def test_linux_probe_sequence(emu):
    """ti-ads1015's probe: regmap_update_bits clears MODE (continuous);
    a raw read then writes MUX/PGA/DR and reads the conversion."""
    r = emu("-d", "ads1115,addr=0x4b,ain1=1",
            cmd="i2ctransfer -y 1 w1@0x4b 0x01 r2 w3@0x4b 0x01 0x84 0x83 "
                "w1@0x4b 0x01 r2 w3@0x4b 0x01 0x54 0x83 "
                "w1@0x4b 0x00 r2")
    assert (r.status, r.err) == (0, ""), r
    # In continuous mode OS reads 0; AIN1 at 2.048 V: 1 V is 16000.
    assert r.out == "0x85 0x83\n0x04 0x83\n0x3e 0x80\n", r


def test_general_call_reset(emu):
    """i2ctransfer needs -a for address 0x00: the general call's 0x06
    resets the part."""
    r = emu("-d", "ads1115,addr=0x48",
            cmd="i2cset -y 1 0x48 2 0x3412 w && i2cset -y 1 0x48 1 0x8342 w "
                "&& i2cget -y 1 0x48 2 w && i2cget -y 1 0x48 1 w && "
                "i2ctransfer -y -a 1 w1@0x00 0x06 && "
                "i2cget -y 1 0x48 2 w && i2cget -y 1 0x48 1 w")
    assert (r.status, r.err) == (0, ""), r
    assert r.out.split() == ["0x3412", "0x8342", "0x0080", "0x8385"], r


@pytest.mark.preload
def test_runtime_voltage(board):
    _, env, _, ctl = board("-d", "ads1115,addr=0x48")
    # Continuous on AIN2 against GND at 2.048 V (0x6483).
    r = tool(env, "i2cset", "-y", "1", "0x48", "1", "0x8364", "w")
    assert r.returncode == 0, r
    c = ctl("set", "ads1115@1-0048", "ain2=-0.25")
    assert (c.returncode, c.stderr) == (0, ""), c
    r = tool(env, "i2cget", "-y", "1", "0x48", "0", "w")
    assert (r.returncode, r.stdout) == (0, "0x60f0\n"), r  # -4000: 0xF060
