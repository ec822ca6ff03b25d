# SPDX-License-Identifier: MIT
"""i2cdump in every mode and with ranges, on a 24c02 whose cell i holds i
(conftest.image) and on the temperature sensors."""
import pytest

import expect
from conftest import EEPROM
from expect import pec

# i2c-tools 4.3 warns before an SMBus block dump.
DEPRECATED = "SMBus block mode is deprecated, please use i2cget instead\n"
CELLS = list(range(256))
# Word c is cells c and c+1; the address counter rolls over to 0.
WORDS = [c | CELLS[(c + 1) % 256] << 8 for c in range(256)]


@pytest.mark.parametrize("args, out", [
    ("b", expect.dump_bytes(CELLS)),
    ("-r 0x10-0x2f b", expect.dump_bytes(CELLS, 0x10, 0x2f)),
    ("-r 0x0c-0x23 b", expect.dump_bytes(CELLS, 0x0c, 0x23)),
    ("w", expect.dump_words(WORDS)),
    ("-r 0x1c-0x2b w", expect.dump_words(WORDS, 0x1c, 0x2b)),
    ("W", expect.dump_bytes(CELLS)),       # words at even addresses
    ("c", expect.dump_bytes(CELLS)),       # one sequential read
    ("-r 0xe5-0xff c", expect.dump_bytes(CELLS, 0xe5, 0xff)),
    ("i", expect.dump_bytes(CELLS)),       # 32-byte I2C block reads
    ("s 0x10", expect.dump_block(CELLS[0x11:0x21])),  # count 0x10 at 0x10
])
def test_eeprom(emu, image, args, out):
    flags, mode = (args.rsplit(" ", 1) if args.startswith("-r") else
                   ("", args))
    r = emu(*EEPROM, cmd=f"i2cdump -y {flags} 1 0x50 {mode}")
    assert (r.status, r.out) == (0, out), r
    assert r.err == (DEPRECATED if mode.startswith("s") else ""), r


def test_no_mode_is_byte_data(emu, image):
    r = emu(*EEPROM, cmd="i2cdump -y 1 0x50")
    assert (r.status, r.out) == (0, expect.dump_bytes(CELLS)), r
    assert r.err == "No size specified (using byte-data access)\n", r


def test_pec(emu, image):
    """Each read takes one more cell as the PEC: a register reads only
    where the next cell happens to match, XX elsewhere."""
    regs = [c if pec(0xa0, c, 0xa1, c) == CELLS[(c + 1) % 256] else -1
            for c in range(256)]
    assert 0 < regs.count(-1) < 256  # both cases are exercised
    r = emu(*EEPROM, cmd="i2cdump -y 1 0x50 bp")
    assert (r.status, r.out) == (0, expect.dump_bytes(regs)), r


def test_smbus_block_with_a_bad_count(emu, image):
    # Cell 0 holds 0: an SMBus block count of 0 is a protocol error.
    r = emu(*EEPROM, cmd="i2cdump -y 1 0x50 s 0x00")
    assert (r.status, r.out, r.err) == (
        1, "", DEPRECATED + "Error: Block read failed, return code -71\n"), r


def test_lm75(emu):
    """The pointer has two bits, so the four registers repeat; a byte read
    gives each register's high byte, a word read its two bytes swapped."""
    regs = [0x19, 0x00, 0x4b, 0x50] * 64  # 25 C, config, 75 C, 80 C
    words = [0x0019, 0x0000, 0x004b, 0x0050] * 64
    r = emu("-d", "lm75,addr=0x48",
            cmd="i2cdump -y 1 0x48 b; i2cdump -y 1 0x48 w")
    assert (r.status, r.out) == (
        0, expect.dump_bytes(regs) + expect.dump_words(words)), r


def test_tmp102(emu):
    words = [0x8029, 0xa060, 0x004b, 0x0050] * 64  # 41.5 C, 0x60A0, 75, 80
    r = emu("-d", "tmp102,addr=0x48,temperature=41.5",
            cmd="i2cdump -y -r 0x00-0x0f 1 0x48 w")
    assert (r.status, r.out) == (0, expect.dump_words(words, 0, 0x0f)), r
