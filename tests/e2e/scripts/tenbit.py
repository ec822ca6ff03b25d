# SPDX-License-Identifier: MIT
"""A client of 10-bit addresses (i2ctransfer has none): I2C_TENBIT, then
I2C_SLAVE to 0x150 and plain write()/read(), and SMBus calls through
smbus2 on the same file. A 24c02 at 10-bit 0x150 and one at 7-bit 0x50
(cell i holds i) share the bus."""
import errno
import fcntl
import os

from smbus2 import SMBus

I2C_SLAVE = 0x0703
I2C_TENBIT = 0x0704

fd = os.open("/dev/i2c-1", os.O_RDWR)
fcntl.ioctl(fd, I2C_TENBIT, 1)
fcntl.ioctl(fd, I2C_SLAVE, 0x150)
os.write(fd, bytes([0x20, 0xA1, 0xB2]))  # word address 0x20, two bytes
os.write(fd, bytes([0x20]))
print(os.read(fd, 2).hex())
fcntl.ioctl(fd, I2C_SLAVE, 0x151)
try:
    os.write(fd, bytes([0x00]))
except OSError as e:
    print(errno.errorcode[e.errno])
fcntl.ioctl(fd, I2C_TENBIT, 0)
fcntl.ioctl(fd, I2C_SLAVE, 0x50)
os.write(fd, bytes([0x20]))
print(os.read(fd, 2).hex())
os.close(fd)

with SMBus(1) as bus:
    fcntl.ioctl(bus.fd, I2C_TENBIT, 1)
    bus.force = True
    bus.write_byte_data(0x150, 0x30, 0x77)
    print(hex(bus.read_byte_data(0x150, 0x30)))
