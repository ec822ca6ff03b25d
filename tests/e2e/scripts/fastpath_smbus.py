# SPDX-License-Identifier: MIT
"""I2C_SMBUS's decoding (i2c-dev-abi.md 2.8) on /dev/i2c-1 (a 24c02 at
0x50), through libc's ioctl as a C program calls it: one line per case,
the result or errno name, and the caller's union after it. The fast
path decodes the argument block and the union itself, through its EFAULT
cache: it must give what the daemon gives, check for check, including
regions that cross into a page that cannot be touched."""
import ctypes
import sys
import time

from raw_ioctl import (I2C_PEC, I2C_SLAVE, I2C_SMBUS, MAP_ANONYMOUS,
                       MAP_PRIVATE, PROT_NONE, PROT_READ, PROT_WRITE, Args,
                       ioctl, libc)

READ, WRITE = 1, 0
QUICK, BYTE, BYTE_DATA, WORD_DATA, PROC_CALL = 0, 1, 2, 3, 4
BLOCK_DATA, I2C_BLOCK_BROKEN, BLOCK_PROC_CALL, I2C_BLOCK_DATA = 5, 6, 7, 8
PAGE = 4096
UNION = 34


def pages(*prots):
    """Adjacent fresh pages with these protections."""
    p = libc.mmap(None, PAGE * len(prots), PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    assert p and p != ctypes.c_void_p(-1).value
    for i, prot in enumerate(prots):
        ctypes.memset(p + i * PAGE, 0xEE, PAGE)
        libc.mprotect(p + i * PAGE, PAGE, prot)
    return p


def fill(addr, data):
    ctypes.memmove(addr, bytes(data), len(data))


def show(addr, n=UNION):
    return ctypes.string_at(addr, n).hex()


def smbus(rw, command, size, data, at=None):
    """The request with its argument block at `at` (else Python's)."""
    a = Args(rw, command, size, data)
    if at is None:
        return ioctl(I2C_SMBUS, ctypes.byref(a))
    ctypes.memmove(at, ctypes.byref(a), ctypes.sizeof(a))
    return ioctl(I2C_SMBUS, at)


def case(name, result, union=None):
    print(name, result, show(union) if union else "")


print("slave", ioctl(I2C_SLAVE, 0x50))
time.sleep(0.3)  # the daemon goes back to waiting, lending the bus
buf = pages(PROT_READ | PROT_WRITE)
u = buf + 64
fill(u, [8] + list(range(0x40, 0x48)))  # one page of the 24c02
case("block-write", smbus(WRITE, 0x00, I2C_BLOCK_DATA, u))
time.sleep(0.01)
# 2-5: size, then direction, before anything else; 4: no data needed.
case("size-9", smbus(READ, 0, 9, None))
case("rw-2", smbus(2, 0, BYTE_DATA, None))
case("rw-2-quick", smbus(2, 0, QUICK, None))
case("quick", smbus(WRITE, 0, QUICK, None))
case("send-byte", smbus(WRITE, 0x03, BYTE, None))
case("recv-byte-null", smbus(READ, 0, BYTE, None))
fill(u, [0xEE] * UNION)
case("recv-byte", smbus(READ, 0, BYTE, u), u)
# Exact copy-out sizes, and what a read copies in.
for name, size, first in (("byte-data", BYTE_DATA, 0xEE),
                          ("word-data", WORD_DATA, 0xEE),
                          ("i2c-block-4", I2C_BLOCK_DATA, 4),
                          ("i2c-block-broken", I2C_BLOCK_BROKEN, 3)):
    fill(u, [first] + [0xEE] * (UNION - 1))
    case(name, smbus(READ, 0x02, size, u), u)
fill(u, [2, 0x12, 0x34] + [0xEE] * (UNION - 3))
case("proc-call", smbus(WRITE, 0x05, PROC_CALL, u), u)
fill(u, [40] + [0xEE] * (UNION - 1))
case("i2c-block-40", smbus(READ, 0x02, I2C_BLOCK_DATA, u), u)

# The argument block across a page end: readable on, unmapped after.
two = pages(PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE)
case("arg-across-pages", smbus(READ, 0x02, BYTE_DATA, u, two + PAGE - 8), u)
edge = pages(PROT_READ | PROT_WRITE, PROT_NONE)
ctypes.memmove(edge + PAGE - 8, ctypes.byref(Args(READ, 2, BYTE_DATA, u)), 8)
case("arg-into-none", ioctl(I2C_SMBUS, edge + PAGE - 8))
# The union across a page end, into a page that cannot be read or written.
tail = edge + PAGE - 20
fill(tail, [16] + [0x99] * 19)
case("block-write-into-none", smbus(WRITE, 0x20, I2C_BLOCK_DATA, tail))
case("byte-data-at-end", smbus(READ, 0x20, BYTE_DATA, edge + PAGE - 1),
     edge + PAGE - 1 - 33)
case("word-into-none", smbus(READ, 0x20, WORD_DATA, edge + PAGE - 1))
case("block-read-into-none", smbus(READ, 0x00, I2C_BLOCK_BROKEN, tail))
ro = pages(PROT_READ | PROT_WRITE, PROT_READ)
case("word-into-read-only", smbus(READ, 0x00, WORD_DATA, ro + PAGE - 1))
case("write-from-read-only", smbus(WRITE, 0x30, WORD_DATA, ro + PAGE - 1))
fill(u, [0xEE] * UNION)
case("after", smbus(READ, 0x20, BYTE_DATA, u), u)
case("pec", ioctl(I2C_PEC, 1))
case("byte-data-pec", smbus(READ, 0x02, BYTE_DATA, u), u)
sys.stdout.flush()
