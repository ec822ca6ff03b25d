# SPDX-License-Identifier: MIT
"""Expected output of the i2c-tools, rendered from what the devices hold,
following the tools' printf formats (i2c-tools 4.3, tools/i2cdetect.c and
tools/i2cdump.c), and the SMBus PEC of i2c-dev-abi.md section 4.3."""


def detect(present, first=0x08, last=0x77, busy=()):
    """`i2cdetect -y BUS [FIRST LAST]`: a cell per address, "xx " when it
    answers, "-- " when not, "UU " when busy, blank outside the range."""
    out = ["     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n"]
    for row in range(0, 0x80, 16):
        line = f"{row:02x}: "
        for a in range(row, row + 16):
            if a < first or a > last:
                line += "   "
            elif a in busy:
                line += "UU "
            elif a in present:
                line += f"{a:02x} "
            else:
                line += "-- "
        out.append(line + "\n")
    return "".join(out)


def _ascii(v):
    if v is None:
        return " "
    if v < 0:
        return "X"
    if v in (0x00, 0xFF):
        return "."
    if v < 32 or v >= 127:
        return "?"
    return chr(v)


def _cell(v):
    return "   " if v is None else "XX " if v < 0 else f"{v:02x} "


def dump_bytes(regs, first=0x00, last=0xFF):
    """`i2cdump` in b, c and i modes: regs[i] is register i's value, or -1
    for a failed read (XX)."""
    out = ["     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f"
           "    0123456789abcdef\n"]
    for row in range(first & ~15, last + 1, 16):
        cells = [regs[a] if first <= a <= last else None
                 for a in range(row, row + 16)]
        hexes = "".join(map(_cell, cells))
        out.append(f"{row:02x}: {hexes}   {''.join(map(_ascii, cells))}\n")
    return "".join(out)


def dump_words(words, first=0x00, last=0xFF):
    """`i2cdump ... w`: words[i] is the SMBus word read at command i."""
    out = ["     0,8  1,9  2,a  3,b  4,c  5,d  6,e  7,f\n"]
    for row in range(first & ~7, last + 1, 8):
        cells = "".join(f"{words[a]:04x} " if first <= a <= last else "     "
                        for a in range(row, row + 8))
        out.append(f"{row:02x}: {cells}\n")
    return "".join(out)


def dump_block(data):
    """`i2cdump ... s CMD`: the SMBus block read's data, in one table."""
    out = ["     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f"
           "    0123456789abcdef\n"]
    for row in range(0, len(data), 16):
        cells = data[row:row + 16]
        hexes = "".join(f"{v:02x} " for v in cells) + "   " * (16 - len(cells))
        out.append(f"{row:02x}: {hexes}   {''.join(map(_ascii, cells))}\n")
    return "".join(out)


def pec(*data):
    """SMBus PEC: CRC-8, polynomial x^8+x^2+x+1, initial 0, MSB first."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else crc << 1
    return crc


assert pec(*b"123456789") == 0xF4  # the CRC-8/SMBUS check value
assert pec(0xA0, 0x10, 0x55) == 0xB3  # i2c-dev-abi.md 4.3 vectors
assert pec(0xA0, 0x10, 0xA1, 0xAB) == 0x08
