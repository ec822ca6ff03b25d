# SPDX-License-Identifier: MIT
"""Board.add/remove/reset/snapshot/restore against a real daemon, with a
real client (i2cget, i2cdetect) looking at the result."""
import json
import subprocess

import pytest

from i2cemu import Board, ControlError


def run(env, *argv):
    return subprocess.run(argv, env=env, capture_output=True, text=True,
                          timeout=30)


def detected(env):
    r = run(env, "i2cdetect", "-y", "1")
    assert r.returncode == 0, r
    return [w for line in r.stdout.splitlines()[1:]
            for w in line.split()[1:] if w != "--"]


def test_add_and_remove():
    with Board(devices=["tmp102,addr=0x48"]) as b:
        fan = b.add("lm75,addr=0x4c,id=fan")
        assert fan.name == "lm75@1-004c"
        assert detected(b.env) == ["48", "4c"]
        b["fan"].temperature = 50
        assert run(b.env, "i2cget", "-y", "1", "0x4c", "0", "w").stdout \
            == "0x0032\n"
        b.remove(fan)
        b.remove("tmp102@1-0048")
        assert detected(b.env) == []
        with pytest.raises(ControlError, match="no device at 0x4c"):
            b.remove(fan)
        with pytest.raises(ControlError, match="unknown device type"):
            b.add("nosuch,addr=0x10")
        b.reset(1)
        with pytest.raises(ControlError, match="there is no bus 3"):
            b.reset(3)
    assert b.returncode == 0, b.stderr


def test_snapshot_and_restore(tmp_path):
    with Board(devices=["tmp102,addr=0x48", "24c02,addr=0x50"]) as b:
        t = b["1-0048"]
        t.temperature = 41.5
        assert run(b.env, "i2cset", "-y", "1", "0x50", "0", "0x5a") \
            .returncode == 0
        snap = b.snapshot()
        assert json.loads(snap)["format"] == "i2cemu-snapshot"
        b.snapshot(tmp_path / "s.json")
        t.temperature = 20
        run(b.env, "i2cset", "-y", "1", "0x50", "0", "0x00")
        b.restore(snap)
        assert t.temperature == 41.5
        assert run(b.env, "i2cget", "-y", "1", "0x50", "0").stdout == "0x5a\n"
        t.temperature = 20
        b.restore(tmp_path / "s.json")
        assert t.temperature == 41.5
        assert run(b.env, "i2cget", "-y", "1", "0x48", "0", "w").stdout \
            == "0x8029\n"
    with Board(devices=["tmp102,addr=0x49"]) as other:
        with pytest.raises(ControlError, match="the snapshot has 2 devices, "
                           "this board 1"):
            other.restore(snap)
