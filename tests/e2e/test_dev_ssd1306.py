# SPDX-License-Identifier: MIT
"""The SSD1306 OLED display through the real i2c-tools: Linux's init
sequence and a picture written with i2ctransfer, then `i2cemu ctl
screenshot`, whose PNG is decoded here (with zlib: no PNG library is
needed) and compared pixel by pixel."""
import struct
import zlib

import expect

ADDR = 0x3C


def read_png(path):
    """An 8-bit greyscale PNG's rows, as bytes, checking every chunk's
    CRC and undoing the five filters (PNG spec, 9.2)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while True:
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        assert zlib.crc32(kind + body) == crc
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + n
    w, h, depth, colour, _, _, interlace = header
    assert (depth, colour, interlace) == (8, 0, 0)
    raw = zlib.decompress(idat)
    assert len(raw) == h * (w + 1)
    rows, prev = [], bytes(w)
    for y in range(h):
        kind, line = raw[y * (w + 1)], bytearray(raw[y * (w + 1) + 1:
                                                     (y + 1) * (w + 1)])
        for x in range(w):
            a = line[x - 1] if x else 0
            b, c = prev[x], prev[x - 1] if x else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                near = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + near) & 0xFF
            else:
                assert kind == 0
        rows.append(bytes(line))
        prev = line
    return rows


def picture(x, y):
    """A picture that shows every flip: a border on the top row and the
    left column, a diagonal, a filled corner at the top left."""
    return y == 0 or x == 0 or x == y or (x < 10 and y < 5)


def linux_init(height, com_seq):
    """ssd130x_init() for an SSD1306 (drivers/gpu/drm/solomon/ssd130x.c,
    defaults but `solomon,com-invdir`, and `solomon,com-seq` for 32 rows),
    then display on: each command byte is a regmap write, `00 byte`."""
    cmds = [0x81, 0x7F, 0xA1, 0xC8, 0xA8, height - 1, 0xD3, 0x00,
            0xD5, 0x80, 0xD9, 0x22, 0xDA, 0x02 if com_seq else 0x12,
            0xDB, 0x20, 0x8D, 0x14, 0x20, 0x00, 0xAF]
    return "i2ctransfer -y 1 " + " ".join(
        f"w2@{ADDR:#x} 0x00 {c:#04x}" for c in cmds)


def gddram(height):
    """ssd130x_update_rect(): column and page range, then the pages as
    one data write (40h), each byte 8 rows of a column, D0 on top."""
    pages = height // 8
    data = [sum(picture(x, 8 * p + k) << k for k in range(8))
            for p in range(pages) for x in range(128)]
    ranges = " ".join(f"w2@{ADDR:#x} 0x00 {c:#04x}"
                      for c in (0x21, 0, 127, 0x22, 0, pages - 1))
    return (f"i2ctransfer -y 1 {ranges} && "
            f"i2ctransfer -y 1 w{len(data) + 1}@{ADDR:#x} 0x40 "
            + " ".join(f"{b:#04x}" for b in data))


def expected(height, lit, dark=0, flip_x=False):
    return [bytes(lit if picture(127 - x if flip_x else x, y) else dark
                  for x in range(128)) for y in range(height)]


def test_power_on(emu, i2cemu_bin, tmp_path):
    """Power on: display off, so a read (the status byte) is 40h (D6) for
    every i2cdump register; the panel is dark."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "ssd1306,addr=0x3c",
            cmd=f"i2cdump -y 1 0x3c b && {ctl} get 1-003c brightness && "
                f"{ctl} screenshot 1-003c off.png")
    assert (r.status, r.err) == (0, ""), r
    assert r.out == expect.dump_bytes([0x40] * 256) + "brightness = 0\n", r
    assert read_png(tmp_path / "off.png") == expected(64, 0, 0)


def test_screenshot(emu, i2cemu_bin, tmp_path):
    """The picture through Linux's init and update, upright on the usual
    module (rotation 180, A1h C8h); then inverse at full contrast, then
    without the segment re-map (mirrored), then display off (black)."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    cmd = " && ".join([
        linux_init(64, False), gddram(64),
        f"{ctl} screenshot 1-003c a.png",
        f"{ctl} get ssd1306@1-003c frame > frame.txt",
        f"i2ctransfer -y 1 w4@{ADDR:#x} 0x00 0xa7 0x81 0xff",
        f"{ctl} screenshot 1-003c b.png",
        f"i2cset -y 1 {ADDR:#x} 0x00 0xa0",
        f"{ctl} screenshot 1-003c c.png",
        f"i2cset -y 1 {ADDR:#x} 0x00 0xae",
        f"{ctl} screenshot 1-003c d.png",
        f"i2cget -y 1 {ADDR:#x}"])
    r = emu("-d", "ssd1306,addr=0x3c", cmd=cmd)
    assert (r.status, r.out, r.err) == (0, "0x40\n", ""), r
    assert read_png(tmp_path / "a.png") == expected(64, 128)  # contrast 7Fh
    text = (tmp_path / "frame.txt").read_text().split("\n")
    assert text[0] == "frame ="
    assert text[1:65] == ["".join("#" if picture(x, y) else "."
                                  for x in range(128)) for y in range(64)]
    assert read_png(tmp_path / "b.png") == expected(64, 0, 255)
    assert read_png(tmp_path / "c.png") == expected(64, 0, 255, flip_x=True)
    assert read_png(tmp_path / "d.png") == expected(64, 0, 0)


def test_128x32(emu, i2cemu_bin, tmp_path):
    """A 128x32 panel: 32 rows, sequential COM pins (solomon,com-seq)."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "ssd1306,addr=0x3c,height=32",
            cmd=f"{linux_init(32, True)} && {gddram(32)} && "
                f"{ctl} screenshot 1-003c a.png")
    assert (r.status, r.err) == (0, ""), r
    assert read_png(tmp_path / "a.png") == expected(32, 128)


def test_screenshot_errors(emu, i2cemu_bin):
    """Not a display; a file that cannot be written: a message, exit 1."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "ssd1306,addr=0x3c", "-d", "lm75,addr=0x48",
            cmd=f"{ctl} screenshot 1-0048 a.png; echo $?; "
                f"{ctl} screenshot 1-003c no/such/dir.png; echo $?")
    assert (r.status, r.out) == (0, "1\n1\n"), r
    assert r.err == ("i2cemu ctl: lm75 has no property 'frame' (it has: "
                     "temperature)\n"
                     "i2cemu ctl: screenshot: no/such/dir.png: No such file "
                     "or directory\n"), r
