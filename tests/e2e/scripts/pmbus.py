# SPDX-License-Identifier: MIT
"""smbus2 with PEC against a generic PMBus part at 0x40 on bus 1: a word
read, a block read of MFR_MODEL, a word write read back, and a read of
a command the part does not have (NACKed at the command byte, after the
address: EIO) and the STATUS_CML bit it set."""
import errno

from smbus2 import SMBus

with SMBus(1) as bus:
    bus.pec = 1
    print(hex(bus.read_word_data(0x40, 0x8B)))            # READ_VOUT
    print(bytes(bus.read_block_data(0x40, 0x9A)).decode())  # MFR_MODEL
    bus.write_word_data(0x40, 0x42, 0x0300)              # VOUT_OV_WARN
    print(hex(bus.read_word_data(0x40, 0x42)))
    try:
        bus.read_word_data(0x40, 0x30)
    except OSError as e:
        print(errno.errorcode[e.errno])
    print(hex(bus.read_byte_data(0x40, 0x7E)))            # STATUS_CML
