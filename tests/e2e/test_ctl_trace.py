# SPDX-License-Identifier: MIT
"""`i2cemu ctl trace` end to end: the JSON lines of a real i2cget's
transfer, streamed while it runs, until the user interrupts
(docs/traces.md)."""
import json
import select
import signal
import subprocess

import pytest

from conftest import environment
from test_ctl import board, tool  # noqa: F401 (board is a fixture)

pytestmark = pytest.mark.preload


def test_ctl_trace_shows_i2cget(board, i2cemu_bin, tmp_path):  # noqa: F811
    p, env, control, ctl = board("-d", "24c02,addr=0x50", "-d",
                                 "24c02,addr=0x50,bus=2")
    assert tool(env, "i2cset", "-y", "2", "0x50", "0x10", "0x5a").returncode \
        == 0
    t = subprocess.Popen([str(i2cemu_bin), "ctl", "trace", "--bus", "2"],
                         env=dict(environment(tmp_path),
                                  I2CEMU_CONTROL=control),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    try:
        # The trace starts when the daemon has read the request: until its
        # first line shows, keep reading (on both buses; bus 1 must not
        # show).
        for _ in range(100):
            assert tool(env, "i2cget", "-y", "1", "0x50", "0").returncode == 0
            r = tool(env, "i2cget", "-y", "2", "0x50", "0x10")
            assert r.stdout == "0x5a\n", r
            if select.select([t.stdout], [], [], 0.1)[0]:
                break
        lines = [json.loads(t.stdout.readline()) for _ in range(6)]
    finally:
        t.send_signal(signal.SIGINT)
        out, err = t.communicate(timeout=10)
    assert (t.returncode, err) == (0, "")
    assert [(e["bus"], e["kind"]) for e in lines] == [
        (2, "bus"), (2, "start"), (2, "byte"), (2, "restart"), (2, "byte"),
        (2, "stop")]
    assert lines[0]["name"] and lines[0]["speed_hz"] == 100000
    assert (lines[1]["addr"], lines[1]["dir"], lines[1]["ack"]) == \
        (0x50, "write", True)
    assert lines[2]["byte"] == 0x10
    assert (lines[3]["dir"], lines[4]["byte"], lines[4]["ack"]) == \
        ("read", 0x5a, False)
    assert lines[5]["result"] == 2 and lines[5]["t_ns"] > lines[4]["t_ns"]
    # Whatever followed is whole lines of bus 2, and nothing was lost.
    for line in out.splitlines():
        e = json.loads(line)
        assert e["bus"] == 2 and e["kind"] != "dropped"


def test_ctl_trace_refusals(board):  # noqa: F811
    p, env, control, ctl = board("-d", "24c02,addr=0x50")
    c = ctl("trace", "--bus", "7")
    assert (c.returncode, c.stdout, c.stderr) == \
        (1, "", "i2cemu ctl: trace: there is no bus 7\n")
    c = ctl("list", "--bus", "1")
    assert c.returncode == 2 and "--bus goes with trace only" in c.stderr
    c = ctl("trace", "1")
    assert c.returncode == 2 and "trace takes no operands" in c.stderr
