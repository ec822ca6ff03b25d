# SPDX-License-Identifier: MIT
"""The EE1004 DDR4 SPD EEPROM through the real i2c-tools: its page
commands answer for the whole bus, as Linux's ee1004 driver uses them
(read byte at 0x36 for the page, write byte at 0x36/0x37 to switch)."""
import expect


def test_pages_with_i2c_tools(emu, tmp_path):
    spd = bytes((i * 5 + 1) & 0xFF for i in range(512))
    (tmp_path / "spd.bin").write_bytes(spd)
    r = emu("-d", "ee1004,addr=0x50,image=spd.bin", "-d", "ee1004,addr=0x51",
            cmd="i2cget -y 1 0x36 && i2cdump -y 1 0x50 b && "
                "i2cset -y 1 0x37 0x00 && "
                "{ i2cget -y 1 0x36 2>/dev/null || echo page1; } && "
                "i2cdump -y 1 0x50 b && i2cget -y 1 0x51 0x00 && "
                "i2cset -y 1 0x36 0x00 && i2cget -y 1 0x50 0x01")
    assert (r.status, r.err) == (0, ""), r
    # RPA: ACK on page 0 (its byte is don't care, SDA released).
    assert r.out == ("0xff\n" + expect.dump_bytes(list(spd[:256])) +
                     "page1\n" + expect.dump_bytes(list(spd[256:])) +
                     "0xff\n" + f"0x{spd[1]:02x}\n"), r


def test_detect_shows_the_page_address(emu):
    r = emu("-d", "ee1004,addr=0x53", cmd="i2cdetect -y 1 0x30 0x57")
    assert (r.status, r.out) == (0, expect.detect({0x36, 0x53}, 0x30,
                                                   0x57)), r
