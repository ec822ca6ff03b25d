# SPDX-License-Identifier: MIT
"""The Python client against a real daemon: Board, Device, wait_for, the
environment it hands to programs, and the pytest fixtures."""
import os
import pathlib
import re
import subprocess
import threading
import time

import pytest

from i2cemu import Board, ControlError

ROOT = pathlib.Path(__file__).resolve().parents[2]


def i2cget(env, *args):
    r = subprocess.run(["i2cget", "-y", *args], env=env, capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r
    return r.stdout.strip()


def test_board_runs_and_stops_cleanly():
    with Board(devices=["tmp102,addr=0x48", "24c02,addr=0x50,bus=2"]) as b:
        assert b.list() == {
            "buses": [
                {"number": 1, "name": "i2cemu adapter", "profile": "i2c",
                 "speed_hz": 100000},
                {"number": 2, "name": "i2cemu adapter", "profile": "i2c",
                 "speed_hz": 100000}],
            "devices": [
                {"name": "tmp102@1-0048", "type": "tmp102", "bus": 1,
                 "addr": 0x48, "id": ""},
                {"name": "24c02@2-0050", "type": "24c02", "bus": 2,
                 "addr": 0x50, "id": ""}]}
        assert [d.name for d in b.devices()] == ["tmp102@1-0048",
                                                 "24c02@2-0050"]
        env = b.env
        control = env["I2CEMU_CONTROL"]
        assert env["LD_PRELOAD"].endswith("libi2cemu-preload.so")
        assert os.path.exists(env["I2CEMU_SOCKET"])
        assert i2cget(env, "1", "0x48", "0", "w") == "0x0019"
    assert b.returncode == 0, b.stderr
    assert "Sanitizer" not in b.stderr and "runtime error" not in b.stderr
    assert not os.path.exists(control)


def test_board_file(tmp_path):
    (tmp_path / "board.cfg").write_text("bus 4 speed=400k\n"
                                        "lm75,addr=0x49,bus=4\n")
    with Board(board_file=tmp_path / "board.cfg") as b:
        assert b.list()["buses"][0]["speed_hz"] == 400000
        assert b["lm75@4-0049"].temperature == 25.0


def test_device_properties():
    with Board(devices="tmp102,addr=0x48") as b:
        t = b["tmp102@1-0048"]
        t.temperature = 41.5
        assert i2cget(b.env, "1", "0x48", "0", "w") == "0x8029"
        assert t.temperature == 41.5
        assert t.get() == {"temperature": 41.5}
        assert b["1-0048"].get("temperature") == {"temperature": 41.5}
        assert t.describe() == {"temperature": {
            "value": "41.5", "kind": "float", "runtime": True,
            "readonly": False}}
        t.set(temperature="-10")
        assert t.temperature == -10.0
        with pytest.raises(ControlError,
                           match=r"temperature=200: out of range"):
            t.temperature = 200
        assert t.temperature == -10.0
        with pytest.raises(AttributeError, match="no property 'humidity'"):
            t.humidity
        with pytest.raises(ControlError, match="no device at 0x49 on bus 1"):
            b["1-0049"]


def test_wait_for():
    with Board(devices="lm75,addr=0x49") as b:
        s = b["lm75@1-0049"]
        threading.Timer(0.2, lambda: s.set(temperature=60)).start()
        start = time.monotonic()
        assert s.wait_for(temperature=60, timeout=10) == "60"
        assert 0.1 < time.monotonic() - start < 9
        with pytest.raises(ControlError, match="timed out: temperature is "
                           "60, not 61"):
            s.wait_for(temperature=61, timeout=0.05)
        with pytest.raises(TypeError):
            s.wait_for(temperature=1, other=2)
        # No timeout: as long as it takes.
        threading.Timer(0.2, lambda: s.set(temperature=70)).start()
        assert s.wait_for(temperature=70) == "70"


def test_start_failure_is_reported():
    with pytest.raises(RuntimeError, match=r"exit 2\).*unknown device type "
                       r"'nosuch'"):
        Board(devices="nosuch,addr=0x10").start()


@pytest.mark.i2cemu("lm75,addr=0x48", "lm75,addr=0x49")
def test_fixture_with_marker(i2cemu_board):
    names = [d["name"] for d in i2cemu_board.list()["devices"]]
    assert names == ["lm75@1-0048", "lm75@1-0049"]


def test_factory(i2cemu_board_factory):
    a = i2cemu_board_factory(devices=["tmp102,addr=0x48"])
    b = i2cemu_board_factory(devices=["tmp102,addr=0x48"])
    a["1-0048"].temperature = 30
    assert b["1-0048"].temperature == 25.0
    assert a.env["I2CEMU_SOCKET"] != b.env["I2CEMU_SOCKET"]


def test_docs_example_is_the_tested_one():
    """docs/control.md shows test_example.py as it is."""
    doc = (ROOT / "docs/control.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    example = (ROOT / "tests/python/test_example.py").read_text()
    assert example in blocks
