# SPDX-License-Identifier: MIT
"""The EEPROM's write cycle on the realtime clock, seen by a real client
that polls for the acknowledge as drivers do."""

POLL = """
import errno, time
from smbus2 import SMBus, i2c_msg
with SMBus(1) as bus:
    bus.i2c_rdwr(i2c_msg.write(0x50, [0x12, 0x80] + [0xA5] * 128))
    t0 = time.monotonic()
    while True:
        try:
            bus.read_byte(0x50)
            break
        except OSError as e:
            assert e.errno == errno.ENXIO, e
    print(round((time.monotonic() - t0) * 1000))
"""


def test_realtime_write_cycle_starts_at_stop(emu, tmp_path):
    # At 10 kHz a 128-byte page with its address is 118 ms on the wire,
    # longer than this tWR of 100 ms: timed from the START, the part would
    # be ready when the write returns; from the STOP, it is busy ~100 ms.
    (tmp_path / "board.cfg").write_text(
        "bus 1 speed=10k\n24c512,addr=0x50,twr_us=100000\n")
    r = emu("--clock", "realtime", "-f", "board.cfg",
            cmd=["/usr/bin/python3", "-c", POLL])
    assert r.status == 0, r
    assert 50 <= int(r.out) <= 1000, r  # ms from the write's return
