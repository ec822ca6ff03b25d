# SPDX-License-Identifier: MIT
"""Hot-plug, bus reset, device ids and snapshots end to end: `i2cemu run`,
`i2cemu ctl`, and i2c-tools seeing the result (docs/control.md)."""
import json

import pytest

from test_ctl import board, tool  # noqa: F401  (the fixture)

pytestmark = pytest.mark.preload


def detected(env):
    """The addresses `i2cdetect -y 1` finds on bus 1."""
    r = tool(env, "i2cdetect", "-y", "1")
    assert r.returncode == 0, r
    return [w for line in r.stdout.splitlines()[1:]
            for w in line.split()[1:] if w != "--"]


def test_hotplug_seen_by_i2cdetect(board):  # noqa: F811
    _, env, _, ctl = board("-d", "tmp102,addr=0x48")
    assert detected(env) == ["48"]
    c = ctl("add", "lm75,addr=0x4c,id=fan-sensor")
    assert (c.returncode, c.stdout, c.stderr) == (0, "lm75@1-004c\n", ""), c
    assert detected(env) == ["48", "4c"]
    assert "lm75@1-004c              lm75       1    0x4c fan-sensor\n" in \
        ctl("list").stdout
    c = ctl("set", "fan-sensor", "temperature=50")
    assert c.returncode == 0, c
    r = tool(env, "i2cget", "-y", "1", "0x4c", "0", "w")
    assert (r.returncode, r.stdout) == (0, "0x0032\n"), r
    c = ctl("del", "1-0048")
    assert (c.returncode, c.stdout, c.stderr) == (0, "", ""), c
    assert detected(env) == ["4c"]
    r = tool(env, "i2cget", "-y", "1", "0x48", "0")
    assert r.returncode != 0 and "Read failed" in r.stderr, r
    c = ctl("del", "1-0048")
    assert (c.returncode, c.stderr) == (
        1, "i2cemu ctl: device '1-0048': no device at 0x48 on bus 1\n"), c
    c = ctl("add", "tmp102,addr=0x4c")
    assert (c.returncode, c.stderr) == (
        1, "i2cemu ctl: add: addr=0x4c: bus 1 already has lm75 there\n"), c


def test_reset_and_errors(board):  # noqa: F811
    _, env, _, ctl = board("-d", "tmp102,addr=0x48")
    c = ctl("reset", "1")
    assert (c.returncode, c.stdout, c.stderr) == (0, "", ""), c
    r = tool(env, "i2cget", "-y", "1", "0x48", "0", "w")
    assert (r.returncode, r.stdout) == (0, "0x0019\n"), r
    c = ctl("reset", "4")
    assert (c.returncode, c.stderr) == (
        1, "i2cemu ctl: reset: there is no bus 4\n"), c
    c = ctl("reset", "one")
    assert c.returncode == 2 and "reset: expected a bus number" in c.stderr


def test_snapshot_round_trip(board, tmp_path):  # noqa: F811
    p, env, _, ctl = board("-d", "tmp102,addr=0x48", "-d", "24c02,addr=0x50")
    assert tool(env, "i2cset", "-y", "1", "0x50", "0x10", "0xab").returncode \
        == 0
    assert ctl("set", "1-0048", "temperature=33.5").returncode == 0
    snap = tmp_path / "board.json"
    c = ctl("snapshot", "save", str(snap))
    assert (c.returncode, c.stdout, c.stderr) == (0, "", ""), c
    doc = json.loads(snap.read_text())
    assert (doc["format"], doc["version"]) == ("i2cemu-snapshot", 1)
    assert [d["type"] for d in doc["devices"]] == ["tmp102", "24c02"]

    assert tool(env, "i2cset", "-y", "1", "0x50", "0x10", "0x00").returncode \
        == 0
    assert ctl("set", "1-0048", "temperature=-3").returncode == 0
    c = ctl("snapshot", "load", str(snap))
    assert (c.returncode, c.stderr) == (0, ""), c
    r = tool(env, "i2cget", "-y", "1", "0x50", "0x10")
    assert (r.returncode, r.stdout) == (0, "0xab\n"), r
    assert ctl("get", "1-0048").stdout == \
        "temperature = 33.5\nline alert = 1\n"

    # Another board refuses it, naming the first difference.
    _, env2, _, ctl2 = board("-d", "tmp102,addr=0x49")
    c = ctl2("snapshot", "load", str(snap))
    assert (c.returncode, c.stderr) == (
        1, "i2cemu ctl: snapshot load: the snapshot has 2 devices, this "
           "board 1\n"), c

    # And --snapshot restores it at start, over the board -d built.
    _, env3, _, ctl3 = board("-d", "tmp102,addr=0x48", "-d",
                             "24c02,addr=0x50", "--snapshot", str(snap))
    r = tool(env3, "i2cget", "-y", "1", "0x50", "0x10")
    assert (r.returncode, r.stdout) == (0, "0xab\n"), r
    assert ctl3("get", "1-0048").stdout == \
        "temperature = 33.5\nline alert = 1\n"


def test_snapshot_refused_at_start(spawn, tmp_path):
    snap = tmp_path / "s.json"
    snap.write_text('{"format":"i2cemu-snapshot","version":9}')
    p = spawn("-d", "tmp102,addr=0x48", "--snapshot", str(snap), "run",
              "--no-cuse")
    assert p.wait(timeout=10) == 2
    assert p.stderr.read().decode() == (
        "i2cemu: --snapshot: snapshot version 9 is not supported (this "
        "build reads version 1)\n")


def test_del_flushes_and_closes_the_backing_file(board, tmp_path):  # noqa: F811
    """A removed EEPROM is unrealized: its image holds what was written,
    and its lock is released, so the file can be plugged in again."""
    _, env, _, ctl = board("-d", "tmp102,addr=0x48")
    img = tmp_path / "eeprom.bin"
    assert ctl("add", f"24c02,addr=0x50,file={img}").returncode == 0
    assert tool(env, "i2cset", "-y", "1", "0x50", "0x07", "0x5a").returncode \
        == 0
    c = ctl("add", f"24c02,addr=0x51,file={img}")
    assert c.returncode == 1 and "in use" in c.stderr, c
    assert ctl("del", "24c02@1-0050").returncode == 0
    assert img.read_bytes()[7] == 0x5a
    c = ctl("add", f"24c02,addr=0x51,file={img}")
    assert c.returncode == 0, c
    r = tool(env, "i2cget", "-y", "1", "0x51", "0x07")
    assert (r.returncode, r.stdout) == (0, "0x5a\n"), r
