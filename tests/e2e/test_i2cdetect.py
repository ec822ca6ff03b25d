# SPDX-License-Identifier: MIT
"""i2cdetect: the scan table, the probe it picks per address (seen in the
bus trace), ranges, busy addresses, -F and -l (i2c-dev-abi.md 5.5, 5.6)."""
import re

import pytest

import expect

# Devices at both ends of the default range and in both probe ranges:
# 0x30-0x37 and 0x50-0x5f get a receive byte, the others a quick write.
BOARD = ["-d", "regbank,addr=0x08", "-d", "regbank,addr=0x33",
         "-d", "tmp102,addr=0x48", "-d", "24c02,addr=0x50",
         "-d", "regbank,addr=0x77"]
PRESENT = {0x08, 0x33, 0x48, 0x50, 0x77}

QUICK = re.compile(r"i2c-1 [0-9.]+: S ([0-9a-f]{2}) W ([AN]) P")
RECV = re.compile(r"i2c-1 [0-9.]+: S ([0-9a-f]{2}) R (?:N|A [0-9a-f]{2} N) P")


def probes(trace):
    """{address: "quick" | "read"} from the -v trace, checking that each
    probe ACKs exactly when a device is there."""
    seen = {}
    for line in trace.splitlines():
        m = QUICK.fullmatch(line) or RECV.fullmatch(line)
        assert m, line
        addr = int(m.group(1), 16)
        assert (" R A " in line or " W A " in line) == (addr in PRESENT), line
        seen[addr] = "quick" if m.re is QUICK else "read"
    return seen


def test_scan(emu):
    r = emu("-v", *BOARD, cmd="i2cdetect -y 1")
    assert (r.status, r.out) == (0, expect.detect(PRESENT)), r
    auto = {a: "read" if 0x30 <= a <= 0x37 or 0x50 <= a <= 0x5f else "quick"
            for a in range(0x08, 0x78)}
    assert probes(r.err) == auto


@pytest.mark.parametrize("flag, probe", [("-q", "quick"), ("-r", "read")])
def test_forced_probe(emu, flag, probe):
    r = emu("-v", *BOARD, cmd=f"i2cdetect -y {flag} 1")
    assert (r.status, r.out) == (0, expect.detect(PRESENT)), r
    assert probes(r.err) == {a: probe for a in range(0x08, 0x78)}


def test_range(emu):
    r = emu(*BOARD, cmd="i2cdetect -y 1 0x30 0x4f")
    assert (r.status, r.out) == (0, expect.detect(PRESENT, 0x30, 0x4f)), r


def test_all_addresses(emu):
    r = emu("-d", "regbank,addr=0x03", *BOARD, cmd="i2cdetect -y -a 1")
    assert (r.status, r.out) == (
        0, expect.detect(PRESENT | {0x03}, 0x00, 0x7f)), r


def test_driver_bound_address_shows_uu(emu):
    r = emu(*BOARD, "-d", "24c02,addr=0x51,claim=driver",
            "-d", "24c02,addr=0x52,claim=client", cmd="i2cdetect -y 1")
    assert (r.status, r.out) == (
        0, expect.detect(PRESENT | {0x52}, busy={0x51})), r


FUNCS = ["I2C", "SMBus Quick Command", "SMBus Send Byte",
         "SMBus Receive Byte", "SMBus Write Byte", "SMBus Read Byte",
         "SMBus Write Word", "SMBus Read Word", "SMBus Process Call",
         "SMBus Block Write", "SMBus Block Read", "SMBus Block Process Call",
         "SMBus PEC", "I2C Block Write", "I2C Block Read"]


def functionality(supported):
    return "".join(f"{name:<32} {'yes' if name in supported else 'no'}\n"
                   for name in FUNCS)


def test_functionality(emu, tmp_path):
    (tmp_path / "board.cfg").write_text("bus 1\nbus 3 profile=stub\n")
    r = emu("-f", "board.cfg", cmd="i2cdetect -F 1; i2cdetect -F 3")
    assert r.status == 0, r
    # i2c profile: 0x0FFF8009, everything; stub: i2c-stub's 0x0C7F0000.
    stub = {"SMBus Quick Command", "SMBus Send Byte", "SMBus Receive Byte",
            "SMBus Write Byte", "SMBus Read Byte", "SMBus Write Word",
            "SMBus Read Word", "I2C Block Write", "I2C Block Read"}
    one, three = r.out.split("Functionalities implemented by ")[1:]
    assert one.split("\n", 1)[1] == functionality(set(FUNCS)), r
    assert three.split("\n", 1)[1] == functionality(stub), r


@pytest.mark.preload
def test_functionality_names_the_device(emu):
    # Like Debian (udev makes only /dev/i2c-N): the shim serves /dev/i2c/N
    # only where a /dev/i2c directory exists.
    r = emu("-d", "24c02,addr=0x50", cmd="i2cdetect -F 1")
    assert r.out.startswith("Functionalities implemented by /dev/i2c-1:\n")


@pytest.mark.preload
def test_list(emu, tmp_path):
    (tmp_path / "board.cfg").write_text(
        "bus 1\nbus 3 profile=stub\nbus 10 name=main\n")
    r = emu("-f", "board.cfg", cmd="i2cdetect -l")
    assert r.status == 0, r
    # "i2c-N<TAB>type padded to 10<TAB>name padded to 32<TAB>algo"; real
    # buses of this machine, if any, are listed too.
    lines = r.out.splitlines()
    for line in ["i2c-1\ti2c       \ti2cemu adapter                  \t"
                 "I2C adapter",
                 "i2c-3\tsmbus     \tSMBus stub driver               \t"
                 "SMBus adapter",
                 "i2c-10\ti2c       \tmain                            \t"
                 "I2C adapter"]:
        assert line in lines, r


@pytest.mark.preload
def test_bus_by_name(emu, tmp_path):
    """Every tool takes a bus name too, found through the same listing."""
    (tmp_path / "board.cfg").write_text(
        "bus 4 name=main\n24c02,addr=0x50,bus=4\n"
        "bus 5 profile=stub\nregbank,addr=0x52,bus=5\n")
    r = emu("-f", "board.cfg", cmd="i2cset -y main 0x50 0x10 0xab && "
            "i2cget -y main 0x50 0x10 && "
            "i2cset -y 'SMBus stub driver' 0x52 0x10 0xcd && "
            "i2cget -y 5 0x52 0x10")
    assert (r.status, r.out, r.err) == (0, "0xab\n0xcd\n", ""), r
