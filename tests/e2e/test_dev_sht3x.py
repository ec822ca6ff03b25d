# SPDX-License-Identifier: MIT
"""The Sensirion SHT3x through the real i2c-tools: 16-bit commands and
6-byte reads with i2ctransfer (no registers: i2cdump reads nothing),
the Linux driver's probe, timing on the REALTIME clock, the general call
reset, and a value changed through the control plane."""

import pytest

import expect

ENXIO = "Error: Sending messages failed: No such device or address\n"


def crc8(data):
    """Sensirion's CRC-8: poly 0x31, init 0xFF (datasheet 4.12)."""
    c = 0xFF
    for b in data:
        c ^= b
        for _ in range(8):
            c = (c << 1 ^ 0x31) & 0xFF if c & 0x80 else c << 1 & 0xFF
    return c


def words(*ws):
    """i2ctransfer's line for 16-bit words, each with its CRC."""
    out = []
    for w in ws:
        b = [w >> 8, w & 0xFF]
        out += b + [crc8(b)]
    return " ".join(f"0x{v:02x}" for v in out)


def test_crc_self_check():
    assert crc8([0xBE, 0xEF]) == 0x92


def test_linux_probe(emu):
    """sht3x_probe(): clear status, then each alert limit read with a
    6-byte read (the limit word, its CRC, then released SDA)."""
    limits = [(0x1F, 0xCD33), (0x14, 0xC92D), (0x02, 0x3466),
              (0x09, 0x3869)]
    cmd = "i2ctransfer -y 1 w2@0x44 0x30 0x41 && " + " && ".join(
        f"i2ctransfer -y 1 w2@0x44 0xe1 0x{c:02x} r6@0x44" for c, _ in limits)
    r = emu("-d", "sht3x,addr=0x44", cmd=cmd)
    want = "".join(words(w) + " 0xff 0xff 0xff\n" for _, w in limits)
    assert (r.status, r.out, r.err) == (0, want, ""), r


def test_status_heater_and_general_call_reset(emu):
    r = emu("-d", "sht3x,addr=0x45",
            cmd="i2ctransfer -y 1 w2@0x45 0x30 0x41 w2@0x45 0x30 0x6d "
                "w2@0x45 0xf3 0x2d r3@0x45 && "
                "i2ctransfer -y -a 1 w1@0x00 0x06 && "
                "i2ctransfer -y 1 w2@0x45 0xf3 0x2d r3@0x45")
    assert (r.status, r.out, r.err) == (
        0, words(0x2000) + "\n" + words(0x8010) + "\n", ""), r


def test_no_stretch_nack_then_data(emu):
    """Paced: a read in the same transfer as the command comes while the
    measurement (15 ms) runs and is NACKed; one 50 ms later has data."""
    r = emu("--clock", "realtime", "-d", "sht3x,addr=0x44",
            cmd="i2ctransfer -y 1 w2@0x44 0x24 0x00 r6@0x44; "
                "sleep 0.05; i2ctransfer -y 1 r6@0x44")
    assert (r.status, r.out, r.err) == (
        0, words(26214, 32768) + "\n", ENXIO), r


def test_clock_stretching(emu):
    """With stretching, the master waits for the measurement: the same
    transfer gets its data, after at least the 15 ms."""
    r = emu("--clock", "realtime", "-d", "sht3x,addr=0x44",
            cmd="a=$(date +%s%N); "
                "i2ctransfer -y 1 w2@0x44 0x2c 0x06 r6@0x44 && "
                "echo $(( ($(date +%s%N) - a) >= 15000000 ))")
    assert (r.status, r.out, r.err) == (
        0, words(26214, 32768) + "\n1\n", ""), r


# `i2cemu ctl` from the command: the VM suite's I2CEMU_BIN is a --cuse
# wrapper that does not take `ctl`, so this one runs under the shim only.
@pytest.mark.preload
def test_runtime_values(emu, i2cemu_bin):
    """`i2cemu ctl set`, then a measurement: 30 °C, 20 %RH are
    S = 75/175 and 20/100 of 65535."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "sht3x,addr=0x44",
            cmd=f"{ctl} set 1-0044 temperature=30 humidity=20 && "
                "i2ctransfer -y 1 w2@0x44 0x24 0x00 r6@0x44")
    assert (r.status, r.out, r.err) == (0, words(28086, 13107) + "\n", ""), r


def test_i2cdump_sees_no_registers(emu):
    """A register tool's read (command byte, repeated START, one byte) is
    half a command and no answer: the read header is NACKed, as a real
    SHT3x shows in i2cdump."""
    r = emu("-d", "sht3x,addr=0x44", cmd="i2cdump -y 1 0x44 b")
    assert (r.status, r.out) == (0, expect.dump_bytes([-1] * 256)), r
