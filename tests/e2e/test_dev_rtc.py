# SPDX-License-Identifier: MIT
"""The RTCs (ds1307, ds1338, ds1337, ds3231, pcf8563) through the real
i2c-tools: i2cdump of the first power-on state (battery=off, the
datasheets' reset values), Linux's set_time replayed with i2ctransfer,
and the `offset` property set at run time read back with i2ctransfer."""
import calendar
import subprocess
import time

import pytest

import expect
from test_ctl import board, tool  # noqa: F401 (fixture)


def bcd(v):
    return (v >> 4) * 10 + (v & 15)


def dump_cells(out):
    """Register values from `i2cdump ... b` output (-1 for XX)."""
    cells = []
    for line in out.splitlines()[1:]:
        for c in line[4:52].split():
            cells.append(-1 if c == "XX" else int(c, 16))
    return cells


def test_ds1307_power_on_dump(emu):
    # CH set and the clock halted at 01/01/00 day 1 00:00:00, control
    # 0x03, 56 bytes of zeroed NVRAM; no register past 0x3F.
    regs = ([0x80, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00, 0x03] + [0] * 56 +
            [-1] * 192)
    r = emu("-d", "ds1307,addr=0x68,battery=off", cmd="i2cdump -y 1 0x68 b")
    assert (r.status, r.out) == (0, expect.dump_bytes(regs)), r


@pytest.mark.parametrize("spec,regs", [
    # Running from 2000-01-01 00:00:00 (seconds tick: not compared);
    # alarms 0, control INTCN|RS2|RS1, status OSF|EN32kHz, aging 0,
    # 25 °C.
    ("ds3231,addr=0x68,battery=off",
     [None, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x1C, 0x88, 0, 0x19, 0]),
    ("ds1337,addr=0x68,battery=off",
     [None, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x18, 0x80]),
    # VL set (seconds bit 7), TESTC, weekday 6 (a Saturday), alarms
    # disabled, CLKOUT on, timer off.
    ("pcf8563,addr=0x51,battery=off",
     [0x08, 0, None, 0, 0, 1, 6, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 3, 0]),
])
def test_power_on_dump(emu, spec, regs):
    addr = "0x51" if spec.startswith("pcf") else "0x68"
    r = emu("-d", spec, cmd=f"i2cdump -y 1 {addr} b")
    assert r.status == 0, r
    cells = dump_cells(r.out)
    assert cells[len(regs):] == [-1] * (256 - len(regs)), r
    for i, v in enumerate(regs):
        if v is None:
            assert cells[i] & 0x80 == (0x80 if spec.startswith("pcf") else 0)
        else:
            assert cells[i] == v, (i, r.out)


def test_linux_set_time_then_read(emu):
    """rtc-ds1307's set_time (7 registers from 0, one message) and
    read_time (pointer 0, repeated START, 7 bytes); then the NVRAM."""
    r = emu("-d", "ds1307,addr=0x68,battery=off",
            cmd="i2ctransfer -y 1 w8@0x68 0x00 0x56 0x34 0x12 0x05 0x29 "
                "0x02 0x24 && i2ctransfer -y 1 w1@0x68 0x03 r4 && "
                "i2cset -y 1 0x68 0x3f 0xa5 && i2cget -y 1 0x68 0x3f")
    assert (r.status, r.err) == (0, ""), r
    # Day 5, 29 Feb 2024; the clock runs (CH cleared by the write).
    assert r.out == "0x05 0x29 0x02 0x24\n0xa5\n", r


def decode(regs, pcf):
    """Seconds since the epoch from the 7 time registers."""
    if pcf:
        s, mi, h, d, _, mo, y = regs
        s &= 0x7F
    else:
        s, mi, h, _, d, mo, y = regs
    return calendar.timegm((2000 + bcd(y), bcd(mo & 0x1F), bcd(d & 0x3F),
                            bcd(h & 0x3F), bcd(mi), bcd(s & 0x7F)))


@pytest.mark.preload
@pytest.mark.parametrize("dev,first", [("ds3231@1-0068", 0),
                                       ("pcf8563@1-0051", 2)])
def test_offset_set_at_run_time(board, dev, first):  # noqa: F811
    addr = dev[-2:]
    p, env, control, ctl = board("-d", dev.replace("@1-00", ",addr=0x"))
    offset = 400 * 86400 + 3600
    c = ctl("set", dev, f"offset={offset}")
    assert (c.returncode, c.stderr) == (0, ""), c
    before = int(time.time())
    r = tool(env, "i2ctransfer", "-y", "1", f"w1@0x{addr}", hex(first), "r7")
    after = int(time.time())
    assert r.returncode == 0, r
    t = decode([int(x, 16) for x in r.stdout.split()], first == 2)
    assert before + offset <= t <= after + offset, (r.stdout, before)
    # A driver's write of the time sets the property.
    w = ["0x00", "0x00", "0x12", "0x01", "0x01", "0x01", "0x30"]
    if first == 2:
        w = ["0x00", "0x00", "0x12", "0x01", "0x00", "0x01", "0x30"]
    # The offset is the written time less the wall clock at the write,
    # which falls between these two readings, however loaded the host.
    set_at = calendar.timegm((2030, 1, 1, 12, 0, 0))
    before = time.time()
    r = tool(env, "i2ctransfer", "-y", "1", f"w8@0x{addr}", hex(first), *w)
    assert r.returncode == 0, r
    c = ctl("get", dev, "offset")
    after = time.time()
    assert c.returncode == 0, c
    got = int(c.stdout.split("=")[-1])
    assert set_at - after - 1 <= got <= set_at - before + 1, c.stdout


def test_ds3231_linux_probe(emu):
    """rtc-ds1307's probe of a DS1337/DS3231: control and status in one
    read, control written back (INTCN, alarms off), OSF cleared with the
    other status bits kept ("SET TIME!")."""
    r = emu("-d", "ds3231,addr=0x68,battery=off",
            cmd="i2ctransfer -y 1 w1@0x68 0x0e r2 && "
                "i2cset -y 1 0x68 0x0e 0x1c && i2cset -y 1 0x68 0x0f 0x08 && "
                "i2ctransfer -y 1 w1@0x68 0x0e r2")
    assert (r.status, r.out, r.err) == (
        0, "0x1c 0x88\n0x1c 0x08\n", ""), r
