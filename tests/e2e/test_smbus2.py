# SPDX-License-Identifier: MIT
"""python3-smbus2, run by Debian's python under the preload shim."""
from conftest import EEPROM
from expect import pec


def test_eeprom(emu, image, script):
    r = emu(*EEPROM, cmd=script("eeprom.py"))
    assert (r.status, r.err) == (0, ""), r
    assert r.out.splitlines() == [
        "0x10",                    # read_byte_data
        "0x1110",                  # read_word_data: cells 0x10, 0x11
        "0x99",                    # write_byte_data, read back
        "[1, 2, 3, 4]",            # write/read_i2c_block_data
        "[62, 63, 1, 2]",          # i2c_rdwr: write 0x3e, read 4
    ], r
    assert image()[0x40:0x44] == bytes([1, 2, 3, 4])


def test_pec(emu, image, script):
    r = emu(*EEPROM, cmd=script("pec.py"))
    assert (r.status, r.err) == (0, ""), r
    assert pec(0xa0, 0x10, 0xa1, 0x10) != 0x11  # the read must fail
    assert r.out.splitlines() == [
        f"[85, {pec(0xa0, 0x60, 0x55)}]",
        "EBADMSG",
    ], r


def test_errors(emu, tmp_path, script):
    (tmp_path / "board.cfg").write_text(
        "bus 1\nbus 3 profile=stub\nregbank,addr=0x52,bus=3\n")
    r = emu("-f", "board.cfg", cmd=script("errors.py"))
    assert (r.status, r.err) == (0, ""), r
    assert r.out.splitlines() == [
        "ENXIO",
        "SMBUS_PEC is not a feature",
        "ENOENT",
    ], r
