# SPDX-License-Identifier: MIT
"""Page writes to a 24c64 at 0x50 on bus 1 (256 pages of 32 bytes), for
the crash test. First prints the whole EEPROM as read through the bus
("IMAGE <hex>"); then, forever, fills a random page with one value,
saying "TRY page value" before the write and "ACK page value" once it is
acknowledged. Usage: eeprom_pages.py SEED FIRST_VALUE"""
import random
import sys

from smbus2 import SMBus, i2c_msg

rng = random.Random(int(sys.argv[1]))
value = int(sys.argv[2])
with SMBus(1) as bus:
    image = bytearray()
    for page in range(256):
        w = i2c_msg.write(0x50, [page >> 3, (page << 5) & 0xFF])
        r = i2c_msg.read(0x50, 32)
        bus.i2c_rdwr(w, r)
        image += bytes(r)
    print("IMAGE", image.hex(), flush=True)
    while True:
        page, value = rng.randrange(256), (value + 1) % 256
        print("TRY", page, value, flush=True)
        bus.i2c_rdwr(i2c_msg.write(0x50, [page >> 3, (page << 5) & 0xFF] +
                                   [value] * 32))
        print("ACK", page, value, flush=True)
