# SPDX-License-Identifier: MIT
"""i2cget and i2cset in every mode, on a 24c02 whose cell i holds i
(conftest.image), and on the temperature sensors."""
import pytest

from conftest import EEPROM
from expect import pec

A_W, A_R = 0x50 << 1, 0x50 << 1 | 1  # address bytes of 0x50, for PEC


@pytest.mark.parametrize("args, out", [
    ("0x10", "0x10"),                  # read byte data, the default
    ("0x10 b", "0x10"),
    ("0x10 w", "0x1110"),              # SMBus words are little-endian
    ("0x10 c", "0x10"),                # send byte 0x10, receive byte
    ("", "0x00"),                      # receive byte: a fresh counter is 0
    ("0x10 i 4", "0x10 0x11 0x12 0x13"),
    ("0xf0 i", " ".join(f"0x{(0xf0 + i) & 0xff:02x}" for i in range(32))),
    ("0x03 s", "0x04 0x05 0x06"),      # count byte 3, then 3 data bytes
])
def test_i2cget(emu, image, args, out):
    r = emu(*EEPROM, cmd=f"i2cget -y 1 0x50 {args}")
    assert (r.status, r.out, r.err) == (0, out + "\n", ""), r


def test_i2cget_pec(emu, tmp_path):
    """With PEC the read asks one more byte, which the EEPROM serves from
    the next cell: the read passes only when that cell holds the PEC."""
    img = bytearray(range(256))
    img[0x71] = pec(A_W, 0x70, A_R, 0x70)
    img[0x76] = pec(A_W, 0x74, A_R, 0x74, 0x75)
    (tmp_path / "ee.bin").write_bytes(img)
    r = emu(*EEPROM, cmd="i2cget -y 1 0x50 0x70 bp; i2cget -y 1 0x50 0x74 wp")
    assert (r.status, r.out, r.err) == (0, "0x70\n0x7574\n", ""), r


def test_i2cget_pec_mismatch(emu, image):
    assert pec(A_W, 0x10, A_R, 0x10) != 0x11
    r = emu(*EEPROM, cmd="i2cget -y 1 0x50 0x10 bp")
    assert (r.status, r.out, r.err) == (2, "", "Error: Read failed\n"), r


def test_i2cset_byte(emu, image):
    r = emu(*EEPROM, cmd="i2cset -y 1 0x50 0x20 0x5a && "
                         "i2cget -y 1 0x50 0x20")
    assert (r.status, r.out, r.err) == (0, "0x5a\n", ""), r
    assert image()[0x20] == 0x5a  # kept in the backing file


def test_i2cset_mask(emu, image):
    # (0xa5 & 0x0f) | (old 0x20 & ~0x0f)
    r = emu(*EEPROM, cmd="i2cset -y -m 0x0f 1 0x50 0x20 0xa5 && "
                         "i2cget -y 1 0x50 0x20")
    assert (r.status, r.out, r.err) == (0, "0x25\n", ""), r


def test_i2cset_readback(emu, image):
    r = emu(*EEPROM, cmd="i2cset -y -r 1 0x50 0x20 0x5a")
    assert (r.status, r.out) == (0, "Value 0x5a written, readback "
                                    "matched\n"), r


def test_i2cset_word(emu, image):
    r = emu(*EEPROM, cmd="i2cset -y 1 0x50 0x30 0x1234 w && "
                         "i2cget -y 1 0x50 0x30 w && i2cget -y 1 0x50 0x31")
    assert (r.status, r.out, r.err) == (0, "0x1234\n0x12\n", ""), r
    assert image()[0x30:0x32] == bytes([0x34, 0x12])


def test_i2cset_send_byte(emu, image):
    # c: the command byte alone loads the EEPROM's address counter.
    r = emu(*EEPROM, cmd="i2cset -y 1 0x50 0x40 c && i2cget -y 1 0x50")
    assert (r.status, r.out, r.err) == (0, "0x40\n", ""), r
    assert image() == bytes(range(256))


def test_i2cset_blocks(emu, image):
    r = emu(*EEPROM, cmd="i2cset -y 1 0x50 0x40 1 2 3 4 i && "
                         "i2cset -y 1 0x50 0x48 0xaa 0xbb s && "
                         "i2cget -y 1 0x50 0x40 i 4 && "
                         "i2cget -y 1 0x50 0x48 s")
    assert (r.status, r.out, r.err) == (
        0, "0x01 0x02 0x03 0x04\n0xaa 0xbb\n", ""), r
    # i: no count byte; s: the count byte first.
    assert image()[0x40:0x4b] == bytes([1, 2, 3, 4, 0x44, 0x45, 0x46, 0x47,
                                        2, 0xaa, 0xbb])


def test_i2cset_pec(emu, image):
    """The EEPROM knows nothing of PEC: it stores the PEC byte the i2c-dev
    layer appends as the next cell."""
    r = emu(*EEPROM, cmd="i2cset -y 1 0x50 0x60 0x55 bp && "
                         "i2cset -y 1 0x50 0x68 0x1234 wp")
    assert (r.status, r.err) == (0, ""), r
    img = image()
    assert img[0x60:0x62] == bytes([0x55, pec(A_W, 0x60, 0x55)])
    assert img[0x68:0x6b] == bytes([0x34, 0x12, pec(A_W, 0x68, 0x34, 0x12)])


def test_write_protected_eeprom(emu, image):
    """WP high: the write is acknowledged, nothing is programmed."""
    r = emu("-d", "24c02,addr=0x50,file=ee.bin,wp=on",
            cmd="i2cset -y -r 1 0x50 0x10 0xab")
    assert (r.status, r.out, r.err) == (
        0, "Warning - data mismatch - wrote 0xab, read back 0x10\n", ""), r
    assert image() == bytes(range(256))


def test_absent_address(emu):
    r = emu(*EEPROM, cmd="i2cget -y 1 0x60 0x00")
    assert (r.status, r.out, r.err) == (2, "", "Error: Read failed\n"), r
    r = emu(*EEPROM, cmd="i2cset -y 1 0x60 0x00 0x01")
    assert (r.status, r.err) == (1, "Error: Write failed\n"), r


def test_absent_bus(emu):
    r = emu(*EEPROM, cmd="i2cget -y 7 0x50 0x00")
    assert (r.status, r.out, r.err) == (
        1, "", "Error: Could not open file `/dev/i2c-7' or `/dev/i2c/7': "
               "No such file or directory\n"), r


# Temperatures are two's complement, left-justified, high byte first on
# the wire; an SMBus word read shows them byte-swapped.
@pytest.mark.parametrize("device, reg, out", [
    ("tmp102,addr=0x48", 0, "0x0019"),                     # 25 C: 0x190 << 4
    ("tmp102,addr=0x48,temperature=41.5", 0, "0x8029"),    # 0x298 << 4
    ("tmp102,addr=0x48,temperature=-10.25", 0, "0xc0f5"),  # -164 << 4
    ("tmp102,addr=0x48", 1, "0xa060"),                     # config 0x60A0
    ("tmp102,addr=0x48", 2, "0x004b"),                     # T_LOW 75 C
    ("tmp102,addr=0x48", 3, "0x0050"),                     # T_HIGH 80 C
    ("lm75,addr=0x48", 0, "0x0019"),                       # 25 C: 50 << 7
    ("lm75,addr=0x48,temperature=-0.5", 0, "0x80ff"),      # -1 << 7
    ("lm75,addr=0x48", 2, "0x004b"),                       # T_HYST 75 C
    ("lm75,addr=0x48", 3, "0x0050"),                       # T_OS 80 C
])
def test_temperature_sensors(emu, device, reg, out):
    r = emu("-d", device, cmd=f"i2cget -y 1 0x48 {reg} w")
    assert (r.status, r.out, r.err) == (0, out + "\n", ""), r


def test_sensor_limit_write(emu):
    # T_HIGH = 90 C = 0x5A00, written high byte first, as the word 0x005a.
    r = emu("-d", "tmp102,addr=0x48",
            cmd="i2cset -y 1 0x48 3 0x005a w && i2cget -y 1 0x48 3 w")
    assert (r.status, r.out, r.err) == (0, "0x005a\n", ""), r


def test_realtime_clock_keeps_the_write_cycle(emu, image):
    """With --clock realtime the EEPROM ignores its address for tWR after a
    write (acknowledge polling); the default fast clock skips the wait."""
    steps = ("i2cset -y 1 0x50 0x10 0xab; i2cget -y 1 0x50 0x10; "
             "sleep 1.2; i2cget -y 1 0x50 0x10")
    board = "24c02,addr=0x50,file=ee.bin,twr_us=1000000"
    r = emu("--clock", "realtime", "-d", board, cmd=steps)
    assert (r.out, r.err) == ("0xab\n", "Error: Read failed\n"), r
    r = emu("-d", board, cmd=steps)
    assert (r.out, r.err) == ("0xab\n0xab\n", ""), r
