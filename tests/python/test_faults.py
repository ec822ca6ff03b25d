# SPDX-License-Identifier: MIT
"""Board.fault_add/list/del/clear against a real daemon, with smbus2 (in
a child process, which the preload shim serves) seeing each rule act."""
import subprocess
import sys

import pytest

from i2cemu import Board, ControlError

# Each request, its errno name or its value.
CLIENT = """
import errno, sys
from smbus2 import SMBus
with SMBus(1) as bus:
    for op in sys.argv[1:]:
        reg, _, val = op.partition("=")
        try:
            if val:
                bus.write_byte_data(0x50, int(reg, 0), int(val, 0))
                print("ok")
            else:
                print(hex(bus.read_byte_data(0x50, int(reg, 0))))
        except OSError as e:
            print(errno.errorcode[e.errno])
"""


def client(board, *ops):
    r = subprocess.run([sys.executable, "-c", CLIENT, *ops], env=board.env,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


def test_fault_rules_come_and_go():
    with Board(devices=["24c02,addr=0x50,id=ee"]) as b:
        a = b.fault_add("addr-nack,dev=ee,every=2")
        c = b.control.fault_add("data-nack,reg=0x10")
        assert c == a + 1
        assert client(b, "0", "0", "0x10=1") == ["0xff", "ENXIO", "EIO"]
        rules = b.fault_list()
        assert [(r["id"], r["kind"], r["matched"], r["hits"]) for r in rules] \
            == [(a, "addr-nack", 3, 1), (c, "data-nack", 1, 1)]
        assert rules[0]["spec"] == "addr-nack,dev=ee,every=2"
        b.fault_del(a)
        assert [r["id"] for r in b.control.fault_list()] == [c]
        with pytest.raises(ControlError, match="there is no rule %d" % a):
            b.fault_del(a)
        with pytest.raises(ControlError, match="unknown kind 'nack'"):
            b.fault_add("nack")
        with pytest.raises(ControlError, match="dev=nosuch: no such device"):
            b.fault_add("gone,dev=nosuch,time=1ms")
        b.fault_clear()
        assert b.fault_list() == []
        assert client(b, "0x10=1", "0x10") == ["ok", "0x1"]
    assert b.returncode == 0, b.stderr
