# SPDX-License-Identifier: MIT
"""Every board in examples/ runs, from another directory, and answers as
its comments say."""
import pytest

import expect
from conftest import ROOT

EXAMPLES = ROOT / "examples"

# board file: (command run under it, what it prints)
RUNS = {
    "sensors.cfg": (
        "i2cdetect -y 1; i2cget -y 1 0x48 0x00 w; i2cget -y 1 0x49 0x00 w; "
        # a 24C32 takes a two-byte address
        "i2ctransfer -y 1 w3@0x50 0x01 0x10 0x42 && "
        "i2ctransfer -y 1 w2@0x50 0x01 0x0f r3",
        expect.detect({0x48, 0x49, 0x50}) + "0x8029\n0x00fb\n0xff 0x42 0xff\n"),
    "from-dump.cfg": (
        "i2cdump -y 1 0x2c b",
        (EXAMPLES / "chip-0x2c.dump").read_text()),
    "two-buses.cfg": (
        "i2cdetect -l; i2cdetect -y 1 0x48 0x50; i2cdetect -y 3 0x50 0x53; "
        "i2ctransfer -y 3 w1@0x52 0 2>&1 || true",
        "i2c-1\ti2c       \tfast                            \tI2C adapter\n"
        "i2c-3\tsmbus     \tsmbus                           \tSMBus adapter\n"
        + expect.detect({0x48, 0x50}, 0x48, 0x50)
        + expect.detect({0x52}, 0x50, 0x53)
        + "Error: Adapter does not have I2C transfers capability\n"),
    "rtc-spd.cfg": (
        "i2cdetect -y 1 0x30 0x6f; i2cget -y 1 0x36; "
        "i2ctransfer -y 1 w1@0x68 0x0e r5; i2cget -y 1 0x51 0x02 | cut -c1-3",
        expect.detect({0x36, 0x50, 0x51, 0x68}, 0x30, 0x6f)
        + "0xff\n0x1c 0x08 0x00 0x1f 0xc0\n0x8\n"),
    "weather.cfg": (
        "i2cdetect -y 1; i2ctransfer -y 1 w2@0x44 0x24 0x00 r6; "
        "i2cget -y 1 0x76 0xd0",
        expect.detect({0x44, 0x76})
        + "0x66 0x66 0x93 0x8c 0xcc 0x2c\n0x60\n"),
    # One of each family: BME280 chip id 0x60, INA226 manufacturer id
    # 0x5449 ("TI", LSB first as an SMBus word), TMP105 behind the switch at
    # 30 °C (0x1e00), TMP102 at 41.5 °C, and the switch's control register
    # left on channel 0 by that read.
    "device-library.cfg": (
        "i2cdetect -y 1; i2cget -y 1 0x76 0xd0; i2cget -y 1 0x40 0xfe w; "
        "i2cget -y 2 0x4a 0 w; i2cget -y 1 0x49 0 w; i2cget -y 1 0x70",
        expect.detect({0x20, 0x21, 0x2c, 0x40, 0x44, 0x48, 0x49, 0x4b, 0x51,
                       0x57, 0x68, 0x70, 0x76})
        + "0x60\n0x4954\n0x001e\n0x8029\n0x01\n"),
    "gpio-mux.cfg": (
        "i2cget -y 1 0x20 0 w; i2cget -y 2 0x48 0 w; i2cget -y 1 0x70; "
        "i2cset -y 3 0x38 0x0f; i2cget -y 3 0x38; i2cget -y 1 0x70",
        "0xfffe\n0x0019\n0x01\n0x0f\n0x02\n"),
    # PMBus READ_VOUT 5 V as LINEAR16 with VOUT_MODE 0x17 (exponent -9):
    # 5 * 512 = 0x0a00, and STATUS_WORD clear; MFR_MODEL as a block read; the ADM1272's READ_VIN
    # in DIRECT format at its 100 V range (m = 4062, R = -2): 12 V is 487;
    # fan 1's TACH count once its input is enabled, 60 * SR 4 * 8192 /
    # (2 pulses * 5400 RPM) = 182, left-aligned: 0x16c0; the inlet and
    # outlet TMP75s behind channels 0 and 1 (24.5 and 41 degrees C), and
    # the switch left on channel 1.
    "server-power.cfg": (
        "i2cdetect -y 1; i2cget -y 1 0x58 0x8b w; i2cget -y 1 0x58 0x79 w; "
        "i2cget -y 1 0x58 0x9a s; "
        "i2cget -y 1 0x10 0x88 w; i2cset -y 1 0x2f 0x02 0x08; "
        "i2ctransfer -y 1 w1@0x2f 0x18 r2; "
        "i2cget -y 2 0x48 0 w; i2cget -y 3 0x48 0 w; i2cget -y 1 0x70",
        expect.detect({0x10, 0x2f, 0x58, 0x70})
        + "0x0a00\n0x0000\n"
        + "0x50 0x4d 0x42 0x55 0x53 0x2d 0x47 0x45 0x4e 0x45 0x52 0x49 0x43\n"
        + "0x01e7\n0x16 0xc0\n0x8018\n0x0029\n0x02\n"),
}


def test_every_example_is_run_here():
    assert sorted(p.name for p in EXAMPLES.glob("*.cfg")) == sorted(RUNS)


@pytest.mark.preload
@pytest.mark.parametrize("board", sorted(RUNS))
def test_example_board(emu, board):
    cmd, out = RUNS[board]
    r = emu("-f", str(EXAMPLES / board), cmd=cmd)
    assert (r.status, r.out, r.err) == (0, out, ""), r
