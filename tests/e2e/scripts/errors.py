# SPDX-License-Identifier: MIT
"""smbus2 errors: an absent address on bus 1; PEC on bus 3, an
SMBus-only stub adapter without the PEC functionality bit."""
import errno

from smbus2 import SMBus

with SMBus(1) as bus:
    try:
        bus.read_byte_data(0x60, 0x00)
    except OSError as e:
        print(errno.errorcode[e.errno])
with SMBus(3) as bus:
    try:
        bus.pec = 1
    except IOError as e:
        print(e)
try:
    SMBus(7)
except OSError as e:
    print(errno.errorcode[e.errno])
