# SPDX-License-Identifier: MIT
"""A Smart Battery (SBS 1.1) through the real i2c-tools and smbus2: the
word commands at power on in an i2cdump, block reads of the strings, PEC
word and block reads and a PEC write with smbus2 (the shim checks the
battery's PEC as Linux's i2c-core does), and the charge simulation driven
through the control plane."""

import pytest

import expect

POWER_ON = [0x0000, 440, 10, 0x0000, 0x0000, 65535, 65535, 1, 2982, 11400,
            0, 0, 1, 80, 76, 3360, 4200, 65535, 65535, 65535, 2200, 12600,
            0x00C0, 12, 4400, 11100, 0x0031, 44 << 9 | 6 << 5 | 15, 0x0001]


def test_i2cdump_words(emu):
    """SBS 1.1 5.1: ManufacturerAccess to SerialNumber, as word reads."""
    r = emu("-d", "sbs-battery,addr=0x0b",
            cmd="i2cdump -y -r 0x00-0x1c 1 0x0b w")
    assert (r.status, r.out, r.err) == (
        0, expect.dump_words(POWER_ON, 0x00, 0x1C), ""), r


def test_block_strings(emu):
    """ManufacturerName and DeviceChemistry: SMBus block reads."""
    r = emu("-d", "sbs-battery,addr=0x0b",
            cmd="i2cget -y 1 0x0b 0x20 s && i2cget -y 1 0x0b 0x22 s")
    want = "".join(" ".join(f"0x{c:02x}" for c in s) + "\n"
                   for s in (b"i2cemu", b"LION"))
    assert (r.status, r.out, r.err) == (0, want, ""), r


SMBUS2_PEC = """
from smbus2 import SMBus
with SMBus(1) as bus:
    print(hex(bus.read_word_data(0x0b, 0x1a)))  # SpecificationInfo, no PEC
    bus.pec = 1                                # version 3: PEC on
    print(bus.read_word_data(0x0b, 0x09))      # Voltage
    print(bytes(bus.read_block_data(0x0b, 0x21)).decode())
    mode = bus.read_word_data(0x0b, 0x03)
    bus.write_word_data(0x0b, 0x03, mode | 0x4000)  # CHARGER_MODE
    print(hex(bus.read_word_data(0x0b, 0x03)))
"""


def test_smbus2_pec(emu):
    """The Linux driver's sequence: SpecificationInfo without PEC, then
    PEC word and block reads and a PEC word write of BatteryMode."""
    r = emu("-d", "sbs-battery,addr=0x0b,device_name=Pack-2",
            cmd=["/usr/bin/python3", "-c", SMBUS2_PEC])
    assert (r.status, r.out, r.err) == (
        0, "0x31\n11400\nPack-2\n0x4000\n", ""), r


def test_pec_byte_on_the_wire(emu):
    """A word read of Voltage (11400 = 0x2c88) with a third byte: the PEC
    over 0x16 0x09 0x17 0x88 0x2c."""
    pec = expect.pec(0x16, 0x09, 0x17, 0x88, 0x2C)
    r = emu("-d", "sbs-battery,addr=0x0b",
            cmd="i2ctransfer -y 1 w1@0x0b 0x09 r3")
    assert (r.status, r.out, r.err) == (0, f"0x88 0x2c 0x{pec:02x}\n", ""), r


# `i2cemu ctl` from the command: the VM suite's I2CEMU_BIN is a --cuse
# wrapper that does not take `ctl`, so this one runs under the shim only.
@pytest.mark.preload
def test_runtime_discharge(emu, i2cemu_bin):
    """`i2cemu ctl set current=-2100 charge=5.1`: Current reads -2100
    (0xf7cc); 5.1% of 4200 mAh is 214 mAh, under the 440 mAh alarm, and 6
    minutes to empty, under the 10-minute alarm: BatteryStatus 0x03c0."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "sbs-battery,addr=0x0b",
            cmd=f"{ctl} set 1-000b current=-2100 charge=5.1 && "
                "i2cget -y 1 0x0b 0x0a w && i2cget -y 1 0x0b 0x16 w && "
                "i2cget -y 1 0x0b 0x11 w")
    assert (r.status, r.out, r.err) == (0, "0xf7cc\n0x03c0\n0x0006\n", ""), r
