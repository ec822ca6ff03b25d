# SPDX-License-Identifier: MIT
"""A display through the Python client: Device.frame() and
Device.screenshot()."""
import struct
import subprocess

import pytest

from i2cemu import Board, ControlError


def test_frame_and_screenshot(tmp_path):
    with Board(devices=["ssd1306,addr=0x3c,rotation=0",
                        "lm75,addr=0x48"]) as b:
        oled = b["ssd1306@1-003c"]
        assert oled.frame() == ["." * 128] * 64
        # Charge pump and display on, then one data byte at column 0 of
        # page 0: its D0 is the top left pixel, D7 the eighth row's.
        r = subprocess.run(["i2ctransfer", "-y", "1",
                            "w4@0x3c", "0x00", "0x8d", "0x14", "0xaf",
                            "w2@0x3c", "0x40", "0x81"],
                           env=b.env, capture_output=True, timeout=30)
        assert r.returncode == 0, r
        rows = oled.frame()
        assert rows[0] == rows[7] == "#" + "." * 127
        assert rows[1:7] == ["." * 128] * 6 and rows[8:] == ["." * 128] * 56
        oled.screenshot(tmp_path / "panel.png")
        png = (tmp_path / "panel.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert png[12:16] == b"IHDR"
        assert struct.unpack(">IIBB", png[16:26]) == (128, 64, 8, 0)
        with pytest.raises(ControlError, match="lm75 has no property 'frame'"):
            b["1-0048"].screenshot(tmp_path / "lm75.png")
