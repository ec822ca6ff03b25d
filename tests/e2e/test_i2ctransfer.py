# SPDX-License-Identifier: MIT
"""i2ctransfer: several messages in one I2C_RDWR, joined by repeated
STARTs, on a 24c02 whose cell i holds i (conftest.image)."""
from conftest import EEPROM


def xfer(emu, *descs, board=EEPROM):
    return emu(*board, "-d", "tmp102,addr=0x48",
               cmd=["i2ctransfer", "-y", "1", *descs])


def test_write_then_read(emu, image):
    r = xfer(emu, "w1@0x50", "0x10", "r4")
    assert (r.status, r.out, r.err) == (0, "0x10 0x11 0x12 0x13\n", ""), r


def test_several_reads_and_devices(emu, image):
    # Each read message prints a line; the tmp102 reads 25 C, 0x1900.
    r = xfer(emu, "w1@0x50", "0x10", "r2", "w1", "0x80", "r3",
             "w1@0x48", "0x00", "r2")
    assert (r.status, r.out, r.err) == (
        0, "0x10 0x11\n0x80 0x81 0x82\n0x19 0x00\n", ""), r


def test_page_write_rolls_over_within_the_page(emu, image):
    """24c02 pages are 8 bytes: a write from 0x86 wraps to 0x80."""
    r = emu(*EEPROM, cmd="i2ctransfer -y 1 w5@0x50 0x86 0xa0+ && "
                         "i2ctransfer -y 1 w1@0x50 0x80 r8")
    assert (r.status, r.out, r.err) == (
        0, "0xa2 0xa3 0x82 0x83 0x84 0x85 0xa0 0xa1\n", ""), r
    assert image()[0x80:0x88] == bytes([0xa2, 0xa3, 0x82, 0x83, 0x84, 0x85,
                                        0xa0, 0xa1])


def test_sequential_read_rolls_over_the_array(emu, image):
    r = xfer(emu, "w1@0x50", "0xfe", "r4")
    assert (r.status, r.out) == (0, "0xfe 0xff 0x00 0x01\n"), r


def test_receive_length(emu, image):
    # r?: the first byte read is the count (cell 3 holds 3).
    r = xfer(emu, "w1@0x50", "0x03", "r?")
    assert (r.status, r.out) == (0, "0x03 0x04 0x05 0x06\n"), r


def test_absent_address(emu, image):
    r = xfer(emu, "w1@0x60", "0x00", "r1")
    assert (r.status, r.out, r.err) == (
        1, "", "Error: Sending messages failed: No such device or "
               "address\n"), r


def test_stub_bus_has_no_i2c_transfers(emu, tmp_path):
    (tmp_path / "board.cfg").write_text(
        "bus 1 profile=stub\nregbank,addr=0x52\n")
    r = emu("-f", "board.cfg", cmd="i2ctransfer -y 1 w1@0x52 0x00")
    assert (r.status, r.out, r.err) == (
        1, "", "Error: Adapter does not have I2C transfers capability\n"), r
