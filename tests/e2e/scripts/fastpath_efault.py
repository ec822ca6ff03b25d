# SPDX-License-Identifier: MIT
"""I2C_SMBUS with bad pointers on /dev/i2c-1 (a 24c02 at 0x50), through
libc's ioctl as a C program calls it: one line per case, the result or
errno name. The fast path must give what the kernel (and the daemon)
gives: EFAULT for a NULL argument, unmapped data, a read-only
buffer to read into, and a buffer made read-only since it last worked
(NULL data is EINVAL: i2c-dev checks it before copying)."""
import ctypes
import sys
import time

from raw_ioctl import (I2C_SLAVE, I2C_SMBUS, MAP_ANONYMOUS, MAP_PRIVATE,
                       PROT_READ, PROT_WRITE, Args, ioctl, libc)

READ, WRITE, BYTE_DATA = 1, 0, 2


def page(prot):
    p = libc.mmap(None, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    assert p and p != ctypes.c_void_p(-1).value
    return p


def smbus(rw, data):
    return ioctl(I2C_SMBUS, ctypes.byref(Args(rw, 0x10, BYTE_DATA, data)))


print("slave", ioctl(I2C_SLAVE, 0x50))
time.sleep(0.3)  # the daemon goes back to waiting, lending the bus
rw = page(PROT_READ | PROT_WRITE)
ctypes.c_uint8.from_address(rw).value = 0x5A
print("write", smbus(WRITE, rw))
ctypes.c_uint8.from_address(rw).value = 0
print("read", smbus(READ, rw), hex(ctypes.c_uint8.from_address(rw).value))
print("null-arg", ioctl(I2C_SMBUS, None))
print("null-data", smbus(READ, None))
gone = page(PROT_READ | PROT_WRITE)
print("before-unmap", smbus(READ, gone))
libc.munmap(gone, 4096)
print("unmapped-read", smbus(READ, gone))
print("unmapped-write", smbus(WRITE, gone))
print("read-only", smbus(READ, page(PROT_READ)))
libc.mprotect(rw, 4096, PROT_READ)
print("made-read-only", smbus(READ, rw))
print("still-readable", smbus(WRITE, rw))
sys.stdout.flush()
