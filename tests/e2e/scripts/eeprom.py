# SPDX-License-Identifier: MIT
"""smbus2 against a 24c02 at 0x50 on bus 1 whose cell i holds i."""
from smbus2 import SMBus, i2c_msg

with SMBus(1) as bus:
    print(hex(bus.read_byte_data(0x50, 0x10)))
    print(hex(bus.read_word_data(0x50, 0x10)))
    bus.write_byte_data(0x50, 0x20, 0x99)
    print(hex(bus.read_byte_data(0x50, 0x20)))
    bus.write_i2c_block_data(0x50, 0x40, [1, 2, 3, 4])
    print(bus.read_i2c_block_data(0x50, 0x40, 4))
    # One transfer: set the address counter, repeated START, read.
    write, read = i2c_msg.write(0x50, [0x3e]), i2c_msg.read(0x50, 4)
    bus.i2c_rdwr(write, read)
    print(list(read))
