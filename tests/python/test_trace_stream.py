# SPDX-License-Identifier: MIT
"""Board.trace(): the events of real i2c-tools transfers, streamed to a
Python iterator; and the daemon's bound on a reader that falls behind."""
import socket
import subprocess

import pytest

from i2cemu import Board, ControlError


def run(env, *argv):
    return subprocess.run(argv, env=env, capture_output=True, text=True,
                          timeout=30)


def test_trace_shows_an_i2cget():
    with Board(devices=["24c02,addr=0x50,bus=3",
                        "24c02,addr=0x50,bus=4"]) as b:
        with b.trace(bus=3, timeout=10) as trace:
            assert run(b.env, "i2cget", "-y", "3", "0x50", "0x10").stdout \
                == "0xff\n"
            assert run(b.env, "i2cget", "-y", "4", "0x50", "0x10").stdout \
                == "0xff\n"
            trace.stop()
            events = list(trace)
        assert [e["kind"] for e in events] == \
            ["bus", "start", "byte", "restart", "byte", "stop"]
        assert all(e["bus"] == 3 for e in events)
        assert (events[1]["addr"], events[1]["dir"]) == (0x50, "write")
        assert events[2]["byte"] == 0x10
        assert (events[4]["byte"], events[4]["ack"]) == (0xff, False)
        assert events[5]["result"] == 2
        assert trace.dropped == 0
        with pytest.raises(ControlError, match="there is no bus 5"):
            b.trace(bus=5)


def test_a_reader_that_falls_behind_loses_events_counted():
    with Board(devices=["24c02,addr=0x50"]) as b:
        trace = b.trace()
        # Far more than the daemon queues (64 KiB) and the socket holds:
        # unread, most are lost, and the bus never waits for the reader.
        for _ in range(4):
            r = run(b.env, "i2cdump", "-y", "1", "0x50", "b")
            assert r.returncode == 0, r.stderr
        trace.stop()
        events = list(trace)
        trace.close()
    notes = [e["count"] for e in events if e["kind"] == "dropped"]
    got = sum(e["kind"] in ("start", "restart", "byte", "stop")
              for e in events)
    # Each byte of a dump is START, command, Sr, byte, STOP: every one of
    # them either came or was counted, and the counts add up.
    assert notes and sum(notes) == trace.dropped > 0
    assert got + trace.dropped == 4 * 256 * 5
