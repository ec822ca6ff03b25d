import subprocess
import sys

import pytest

# Stands in for the program under test: a daemon that polls a TMP102
# through smbus2 and prints each new temperature.
SENSOR_DAEMON = r"""
import time
from smbus2 import SMBus
last = None
with SMBus(1) as bus:
    while True:
        raw = bus.read_word_data(0x48, 0)      # SMBus words are LSB first
        t = ((raw & 0xFF) << 8 | raw >> 8) / 256
        if t != last:
            print(t, flush=True)
            last = t
        time.sleep(0.01)
"""


@pytest.mark.i2cemu("tmp102,addr=0x48")
def test_daemon_follows_the_temperature(i2cemu_board):
    sensor = i2cemu_board["tmp102@1-0048"]
    sensor.temperature = 20
    daemon = subprocess.Popen([sys.executable, "-c", SENSOR_DAEMON],
                              env=i2cemu_board.env, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert daemon.stdout.readline() == "20.0\n"
        sensor.temperature = 30
        assert daemon.stdout.readline() == "30.0\n"
    finally:
        daemon.kill()
        daemon.wait()
