# SPDX-License-Identifier: MIT
"""What the fastpath_*.py scripts share: libc's ioctl, mmap and mprotect
as a C program calls them (so that the preload shim's own interposed
functions run), the I2C_SMBUS argument block, and /dev/i2c-1 open."""
import ctypes
import errno
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                      ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]

I2C_SLAVE, I2C_PEC, I2C_SMBUS = 0x0703, 0x0708, 0x0720
PROT_NONE, PROT_READ, PROT_WRITE = 0, 1, 2
MAP_PRIVATE, MAP_ANONYMOUS = 0x02, 0x20


class Args(ctypes.Structure):
    """struct i2c_smbus_ioctl_data"""
    _fields_ = [("read_write", ctypes.c_uint8), ("command", ctypes.c_uint8),
                ("size", ctypes.c_uint32), ("data", ctypes.c_void_p)]


fd = os.open("/dev/i2c-1", os.O_RDWR)


def ioctl(cmd, arg):
    """The call's result: "ok", or its errno's name."""
    r = libc.ioctl(fd, cmd, arg)
    return "ok" if r == 0 else errno.errorcode[ctypes.get_errno()]
