# SPDX-License-Identifier: MIT
"""The LM75 family through the real i2c-tools: power-on dumps per the
datasheets, Linux's lm75 probe, and a temperature set through the control
plane read back by i2cget, with the ALERT line in `i2cemu ctl get`."""
import pytest

import expect
from test_ctl import board, tool  # noqa: F401 (board is a fixture)

# i2cdump's byte reads see each register's first byte; P1-P0 select
# temperature (25 °C: 0x19), configuration, T_HYST (75 °C), T_OS (80 °C).
LM75 = [0x19, 0x00, 0x4B, 0x50] * 64
TMP101 = [0x19, 0x80, 0x4B, 0x50] * 64  # OS/ALERT reads 1 while inactive
# National LM75A: 3 pointer bits, 0xFF at 4-6, ID 0xA1 at 7.
LM75A = [0x19, 0x00, 0x4B, 0x50, 0xFF, 0xFF, 0xFF, 0xA1] * 32
# PCT2075: T_idle 0 at 4; 5-7 are no register (NACK: XX).
PCT2075 = [0x19, 0x00, 0x4B, 0x50, 0x00, -1, -1, -1] * 32


def test_power_on_dumps(emu):
    r = emu("-d", "lm75,addr=0x48", "-d", "lm75a,addr=0x49",
            "-d", "tmp101,addr=0x4a", "-d", "pct2075,addr=0x4b",
            "-d", "tmp112,addr=0x4c",
            cmd="i2cdump -y 1 0x48 b; i2cdump -y 1 0x49 b; "
                "i2cdump -y 1 0x4a b; i2cdump -y 1 0x4b b; "
                "i2cdump -y 1 0x4c w")
    # SMBus words are LSB first: TMP112 configuration 0x60A0 reads 0xa060.
    tmp112 = [0x0019, 0xA060, 0x004B, 0x0050] * 64
    assert (r.status, r.out) == (
        0, expect.dump_bytes(LM75) + expect.dump_bytes(LM75A) +
        expect.dump_bytes(TMP101) + expect.dump_bytes(PCT2075) +
        expect.dump_words(tmp112)), r


def test_linux_probe(emu):
    """lm75_generic_probe for a tmp105: read the configuration byte, set
    12-bit mode and clear OS and SD (set_mask 3 << 5, clr_mask 1 << 7 |
    SD), then read the temperature as a swapped word."""
    r = emu("-d", "tmp105,addr=0x48,temperature=20.9375",
            cmd="i2cget -y 1 0x48 1 && i2cset -y 1 0x48 1 0x60 && "
                "i2cget -y 1 0x48 1 && i2cget -y 1 0x48 0 w")
    assert (r.status, r.out, r.err) == (0, "0x00\n0x60\n0xf014\n", ""), r


@pytest.mark.preload
def test_runtime_temperature_and_alert(board):  # noqa: F811
    _, env, _, ctl = board("-d", "tmp105,addr=0x48")
    c = ctl("get", "tmp105@1-0048")
    assert (c.returncode, c.stdout) == (
        0, "temperature = 25\nline alert = 1\n"), c
    assert ctl("set", "1-0048", "temperature=85.5").returncode == 0
    r = tool(env, "i2cget", "-y", "1", "0x48", "0", "w")
    assert (r.returncode, r.stdout) == (0, "0x8055\n"), r  # 9 bits: 0x5580
    # T_HIGH (80 °C) reached: ALERT (active low) is asserted.
    c = ctl("get", "1-0048")
    assert c.stdout == "temperature = 85.5\nline alert = 0\n", c
    assert ctl("set", "1-0048", "temperature=70").returncode == 0
    assert ctl("get", "1-0048").stdout == (
        "temperature = 70\nline alert = 1\n")
