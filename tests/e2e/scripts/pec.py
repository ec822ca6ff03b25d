# SPDX-License-Identifier: MIT
"""smbus2 with PEC against a 24c02 at 0x50 on bus 1 whose cell i holds i.
The EEPROM knows nothing of PEC: it stores the PEC byte of a write as
data, and serves the next cell as the PEC of a read."""
import errno

from smbus2 import SMBus

with SMBus(1) as bus:
    bus.pec = 1
    bus.write_byte_data(0x50, 0x60, 0x55)
    bus.pec = 0
    print(bus.read_i2c_block_data(0x50, 0x60, 2))
    bus.pec = 1
    try:
        bus.read_byte_data(0x50, 0x10)
    except OSError as e:
        print(errno.errorcode[e.errno])
