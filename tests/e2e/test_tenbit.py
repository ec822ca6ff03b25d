# SPDX-License-Identifier: MIT
"""10-bit addresses from a board file (`addr=0x150,tenbit=on`) reached by
a real client that sets I2C_TENBIT."""
from conftest import EEPROM


def test_tenbit_client(emu, image, script):
    r = emu(*EEPROM, "-d", "24c02,addr=0x150,tenbit=on",
            cmd=script("tenbit.py"))
    assert (r.status, r.err) == (0, ""), r
    assert r.out.splitlines() == [
        "a1b2",    # written and read back at 10-bit 0x150
        "ENXIO",   # nobody at 10-bit 0x151
        "2021",    # 7-bit 0x50 is the other part, untouched
        "0x77",    # SMBus byte data at 10-bit 0x150
    ], r
    assert image()[0x20:0x22] == bytes([0x20, 0x21])
