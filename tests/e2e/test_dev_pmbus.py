# SPDX-License-Identifier: MIT
"""PMBus parts (the generic `pmbus` and the ADM1272) through the real
i2c-tools and smbus2, with and without PEC."""
import pytest

import expect
from expect import pec
from test_ctl import board, tool  # noqa: F401 (a fixture)

PMBUS = ("-d", "pmbus,addr=0x40")

# The generic part's commands and the low byte of each at power on.
GENERIC = {
    0x00: 0x00, 0x01: 0x80, 0x02: 0x1A, 0x19: 0xB0, 0x20: 0x17, 0x21: 0x00,
    0x3A: 0x90, 0x40: 0x4D, 0x42: 0x33, 0x43: 0xCD, 0x44: 0xB3, 0x46: 0x80,
    0x4A: 0xC0, 0x4F: 0xE8, 0x51: 0x20, 0x52: 0x80, 0x53: 0x80, 0x55: 0x00,
    0x57: 0x80, 0x58: 0xA0, 0x59: 0x40, 0x7A: 0, 0x7B: 0, 0x7C: 0, 0x7D: 0,
    0x81: 0, 0x88: 0x00, 0x89: 0x00, 0x8B: 0x00, 0x8C: 0x80, 0x8D: 0x80,
    0x8E: 0x30, 0x90: 0xEE, 0x96: 0x80, 0x97: 0x00, 0x98: 0x33,
    0x99: 6, 0x9A: 13, 0x9B: 3,  # block reads: the count byte
}


def test_power_on_dump(emu):
    """i2cdump of the power-on state: unsupported commands are NACKed
    (XX); reading CLEAR_FAULTS (a send-byte command) gives 0xFF. Each of
    those sets STATUS_CML's invalid-command bit, which STATUS_BYTE,
    STATUS_WORD and STATUS_CML show when i2cdump gets to them."""
    regs = [GENERIC.get(c, -1) for c in range(256)]
    regs[0x03] = 0xFF
    regs[0x78] = regs[0x79] = 0x02
    regs[0x7E] = 0x80
    r = emu(*PMBUS, cmd="i2cdump -y 1 0x40 b")
    assert (r.status, r.out) == (0, expect.dump_bytes(regs)), r


def test_pec_reads_and_writes(emu):
    """i2cget/i2cset with PEC; a write with a wrong PEC byte is NACKed,
    not executed, and flagged in STATUS_CML."""
    bad = pec(0x80, 0x42, 0x00, 0x03) ^ 0xFF
    r = emu(*PMBUS, cmd="i2cget -y 1 0x40 0x8b wp && "
                        "i2cset -y 1 0x40 0x42 0x0280 wp && "
                        "i2cget -y 1 0x40 0x42 wp && "
                        f"(i2ctransfer -y 1 w4@0x40 0x42 0x00 0x03 {bad} "
                        "|| echo refused) && "
                        "i2cget -y 1 0x40 0x42 wp && "
                        "i2cget -y 1 0x40 0x7e bp && "
                        "i2cset -y 1 0x40 0x03 && "
                        "i2cget -y 1 0x40 0x7e bp")
    assert r.status == 0, r
    assert r.out.split() == ["0x0200", "0x0280", "refused", "0x0280",
                             "0x20", "0x00"], r


def test_smbus2_pec(emu, script):
    r = emu(*PMBUS, cmd=script("pmbus.py"))
    assert (r.status, r.err) == (0, ""), r
    assert r.out.splitlines() == ["0x200", "PMBUS-GENERIC", "0x300",
                                  "EIO", "0x80"], r


def test_mfr_model_block(emu):
    r = emu(*PMBUS, "-d", "adm1272,addr=0x10",
            cmd="i2cget -y 1 0x40 0x9a sp && i2cget -y 1 0x10 0x99 s && "
                "i2cget -y 1 0x10 0x9a sp")
    assert r.status == 0, r
    hexes = lambda s: " ".join(f"0x{ord(c):02x}" for c in s)  # noqa: E731
    assert r.out.splitlines() == [hexes("PMBUS-GENERIC"), hexes("ADI"),
                                  hexes("ADM1272-A1")], r


def test_adm1272_linux_probe(emu):
    """adm1275's probe reads PMON_CONFIG and DEVICE_CONFIG as bytes, then
    the PMBus core CAPABILITY and STATUS_WORD; READ_VIN in direct format
    (12 V x 4062 / 100)."""
    r = emu("-d", "adm1272,addr=0x10",
            cmd="for c in 0xd4 0xd8 0x19; do i2cget -y 1 0x10 $c; done; "
                "i2cget -y 1 0x10 0x79 wp; i2cget -y 1 0x10 0x88 wp")
    assert (r.status, r.err) == (0, ""), r
    assert r.out.split() == ["0x35", "0x08", "0xb0", "0x0000", "0x01e7"], r


@pytest.mark.preload
def test_runtime_limit_and_alert(board):
    """vout set through the control plane reads back; over the 1.10 V
    warning it sets STATUS_VOUT and asserts SMBALERT#, until CLEAR_FAULTS
    once vout is back."""
    _, env, _, ctl = board(*PMBUS)
    assert ctl("get", "1-0040", "smbalert").stdout == "smbalert = on\n"
    c = ctl("set", "pmbus@1-0040", "vout=1.12")
    assert (c.returncode, c.stderr) == (0, ""), c
    r = tool(env, "i2cget", "-y", "1", "0x40", "0x8b", "wp")
    assert (r.returncode, r.stdout) == (0, "0x023d\n"), r  # 573 / 512 V
    for cmd, want in (("0x7a", "0x40\n"), ("0x78", "0x01\n")):
        r = tool(env, "i2cget", "-y", "1", "0x40", cmd, "bp")
        assert (r.returncode, r.stdout) == (0, want), r
    r = tool(env, "i2cget", "-y", "1", "0x40", "0x79", "wp")
    assert (r.returncode, r.stdout) == (0, "0x8001\n"), r
    assert ctl("get", "1-0040", "smbalert").stdout == "smbalert = off\n"
    assert ctl("set", "1-0040", "vout=1.0").returncode == 0
    r = tool(env, "i2cset", "-y", "1", "0x40", "0x03")
    assert r.returncode == 0, r
    r = tool(env, "i2cget", "-y", "1", "0x40", "0x7a", "bp")
    assert (r.returncode, r.stdout) == (0, "0x00\n"), r
    assert ctl("get", "1-0040", "smbalert").stdout == "smbalert = on\n"


def test_max34451_pages(emu):
    """max34440's probe on a MAX34451: MFR_REVISION as a word, then a
    page and its MFR_CHANNEL_CONFIG; READ_VOUT in mV on page 3, the
    internal temperature in 0.01 C on page 16 (no PEC on this part)."""
    r = emu("-d", "max34451,addr=0x4e,vout3=1.8",
            cmd="i2cget -y 1 0x4e 0x9b w && i2cset -y 1 0x4e 0 3 && "
                "i2cget -y 1 0x4e 0xe4 w && i2cget -y 1 0x4e 0x8b w && "
                "i2cset -y 1 0x4e 0 16 && i2cget -y 1 0x4e 0x8d w && "
                "(i2cget -y 1 0x4e 0x8b w || echo NACK)")
    assert r.status == 0, r
    assert r.out.split() == ["0x0011", "0x0020", "0x0708", "0x09c4",
                             "NACK"], r


def test_isl68137_rails(emu):
    """The two rails through PAGE, with PEC: VOUT in mV, IOUT in 100 mA;
    page 0's input is NACKed on page 1."""
    r = emu("-d", "isl68137,addr=0x60,vout0=1.8,vout1=0.9,iout1=12.3",
            cmd="i2cget -y 1 0x60 0x20 bp && i2cget -y 1 0x60 0x8b wp && "
                "i2cset -y 1 0x60 0 1 bp && i2cget -y 1 0x60 0x8b wp && "
                "i2cget -y 1 0x60 0x8c wp && "
                "(i2cget -y 1 0x60 0x88 wp || echo NACK)")
    assert r.status == 0, r
    assert r.out.split() == ["0x40", "0x0708", "0x0384", "0x007b",
                             "NACK"], r


def test_ucd90160_probe(emu):
    """ucd9000's probe: DEVICE_ID and MONITOR_CONFIG blocks, NUM_PAGES;
    then rail 7's voltage (LINEAR16, 2^-13 V) with PEC."""
    r = emu("-d", "ucd90160,addr=0x65,vout7=3.3",
            cmd="i2cget -y 1 0x65 0xfd sp && i2cget -y 1 0x65 0xd6 && "
                "i2cget -y 1 0x65 0xd5 sp && i2cset -y 1 0x65 0 7 && "
                "i2cget -y 1 0x65 0x8b wp")
    assert r.status == 0, r
    lines = r.out.splitlines()
    ident = bytes(int(b, 16) for b in lines[0].split()).decode()
    assert ident.startswith("UCD90160|"), r
    assert lines[1:3] == ["0x10", " ".join(
        f"0x{b:02x}" for b in [*range(0x20, 0x30), 0x60, 0x41])], r
    assert lines[3] == "0x699a", r  # 27034 / 8192 V


@pytest.mark.preload
def test_ucd90160_gpio(board):
    """The gpiochip's sequence: select GPIO 5, read its configuration,
    make it an output driving 1 (written with ENABLE, then without); the
    pin's level shows in `gpios`."""
    _, env, _, ctl = board("-d", "ucd90160,addr=0x65")
    assert ctl("set", "1-0065", "gpio_in=0x20").returncode == 0
    for argv in (("0xfa", "5"), ("0xfb", "0x0f"), ("0xfb", "0x0e")):
        r = tool(env, "i2cset", "-y", "1", "0x65", *argv)
        assert r.returncode == 0, r
    r = tool(env, "i2cget", "-y", "1", "0x65", "0xfb")
    assert (r.returncode, r.stdout) == (0, "0x0e\n"), r
    assert ctl("set", "1-0065", "gpio_in=0").returncode == 0
    assert ctl("get", "1-0065", "gpios").stdout == "gpios = 0x20\n"
