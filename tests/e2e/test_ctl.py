# SPDX-License-Identifier: MIT
"""The control plane end to end: `i2cemu run`, then `i2cemu ctl` and the
real i2c-tools against it (docs/control.md)."""
import json
import os
import pathlib
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import time

import pytest

from conftest import environment
from test_cli import _read_until

pytestmark = pytest.mark.preload


@pytest.fixture
def board(spawn, i2cemu_bin, tmp_path):
    """board(*args) starts `i2cemu ARGS run --no-cuse` and returns
    (process, preload environment, control socket, ctl(*words)). At the
    end each daemon still running is stopped with `ctl quit` and must exit
    0 with nothing from the sanitizers."""
    started = []

    def start(*args):
        p = spawn(*args, "run", "--no-cuse")
        banner = _read_until(p, "Stop with Ctrl-C.\n")
        m = re.search(r"^  export LD_PRELOAD=(\S+) I2CEMU_SOCKET=(\S+) "
                      r"I2CEMU_CONTROL=(\S+)$", banner, re.M)
        assert m, banner
        preload, sock, control = m.groups()
        env = dict(environment(tmp_path), LD_PRELOAD=preload,
                   I2CEMU_SOCKET=sock)

        def ctl(*words):
            # Not under the shim: an ASan build must come first.
            c = subprocess.run([str(i2cemu_bin), "ctl", *words],
                               env=dict(environment(tmp_path),
                                        I2CEMU_CONTROL=control),
                               capture_output=True, text=True, timeout=30)
            assert "Sanitizer" not in c.stderr, c
            return c

        started.append((p, ctl))
        return p, env, control, ctl

    yield start
    for p, ctl in started:
        if p.poll() is None:
            assert ctl("quit").returncode == 0
        assert p.wait(timeout=10) == 0
        err = p.stderr.read().decode()
        assert "Sanitizer" not in err and "runtime error" not in err, err


def tool(env, *argv):
    return subprocess.run(argv, env=env, capture_output=True, text=True,
                          timeout=30)


def test_acceptance_set_then_i2cget(board):
    """The issue's line: set a temperature, read it with i2cget."""
    p, env, control, ctl = board("-d", "tmp102,addr=0x48")
    c = ctl("set", "tmp102@1-0048", "temperature=41.5")
    assert (c.returncode, c.stdout, c.stderr) == (0, "", ""), c
    r = tool(env, "i2cget", "-y", "1", "0x48", "0", "w")
    assert (r.returncode, r.stdout) == (0, "0x8029\n"), r
    c = ctl("quit")
    assert c.returncode == 0, c
    assert p.wait(timeout=10) == 0
    assert not os.path.exists(control)


def test_list_and_get(board):
    _, _, control, ctl = board("-d", "tmp102,addr=0x48", "-d",
                               "24c02,addr=0x50,bus=2")
    assert stat.S_IMODE(os.stat(control).st_mode) == 0o600
    c = ctl("list")
    assert c.returncode == 0, c
    assert c.stdout == (
        "BUS  NAME                     PROFILE  SPEED\n"
        "1    i2cemu adapter           i2c      100000\n"
        "2    i2cemu adapter           i2c      100000\n"
        "\n"
        "DEVICE                   TYPE       BUS  ADDR ID\n"
        "tmp102@1-0048            tmp102     1    0x48\n"
        "24c02@2-0050             24c02      2    0x50\n")
    c = ctl("list", "--json")
    assert json.loads(c.stdout)["devices"][1] == {
        "name": "24c02@2-0050", "type": "24c02", "bus": 2, "addr": 0x50,
        "id": ""}
    c = ctl("get", "1-0048")
    assert (c.returncode, c.stdout) == (
        0, "temperature = 25\nline alert = 1\n"), c
    c = ctl("set", "1-0048", "temperature=-5.5")
    assert c.returncode == 0, c
    c = ctl("get", "--json", "tmp102@1-0048", "temperature")
    assert json.loads(c.stdout)["props"] == {"temperature": {
        "value": "-5.5", "kind": "float", "runtime": True,
        "readonly": False}}


def test_errors(board, i2cemu_bin, tmp_path):
    _, env, _, ctl = board("-d", "tmp102,addr=0x48", "-d",
                           "24c02,addr=0x50")
    for words, msg in (
        (("set", "1-0048", "temperature=200"),
         "temperature=200: out of range (-55 to 150)"),
        (("set", "1-0048", "temperature=30", "pressure=1"),
         "tmp102 has no property 'pressure' (it has: temperature)"),
        (("set", "1-0050", "size=512"),
         "24c02: size cannot be changed while the board runs (it is set "
         "when the device is created)"),
        (("get", "lm75@1-0048"), "device 'lm75@1-0048': 1-0048 is a tmp102"),
        (("get", "1-0049"), "device '1-0049': no device at 0x49 on bus 1"),
        (("wait", "1-0048", "temperature=30", "--timeout", "50"),
         "wait: timed out: temperature is 25, not 30"),
    ):
        c = ctl(*words)
        assert (c.returncode, c.stdout, c.stderr) == (
            1, "", f"i2cemu ctl: {msg}\n"), c
    # Nothing was half-applied: the good value before the bad one too.
    r = tool(env, "i2cget", "-y", "1", "0x48", "0", "w")
    assert r.stdout == "0x0019\n", r
    for words in (("fly",), ("set", "1-0048"), ("set", "1-0048", "x"),
                  ("list", "x"), ("--bogus", "list"), ()):
        c = ctl(*words)
        assert c.returncode == 2 and "Try 'i2cemu ctl --help'" in c.stderr, c
    c = subprocess.run([str(i2cemu_bin), "ctl", "list"],
                       env=environment(tmp_path), capture_output=True,
                       text=True)
    assert c.returncode == 2 and "no control socket" in c.stderr, c


def test_wait_sees_a_set(board, i2cemu_bin, tmp_path):
    _, _, control, ctl = board("-d", "lm75,addr=0x49")
    w = subprocess.Popen(
        [str(i2cemu_bin), "ctl", "wait", "lm75@1-0049", "temperature=30",
         "--timeout", "20000"],
        env=dict(environment(tmp_path), I2CEMU_CONTROL=control),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    assert w.poll() is None  # still waiting
    assert ctl("set", "1-0049", "temperature=30").returncode == 0
    assert w.wait(timeout=10) == 0, w.stderr.read()
    assert ctl("get", "1-0049").stdout == "temperature = 30\nline alert = 1\n"


def test_protocol_over_a_raw_socket(board):
    """Several requests on one connection, half-closed by the client; a
    stalled half line on another connection blocks nobody."""
    _, _, control, ctl = board("-d", "tmp102,addr=0x48")
    stalled = socket.socket(socket.AF_UNIX)
    stalled.connect(control)
    stalled.sendall(b'{"op":"li')
    s = socket.socket(socket.AF_UNIX)
    s.connect(control)
    s.sendall(b'{"op":"hello","version":1,"id":1}\nnot json\n'
              b'{"op":"set","dev":"1-0048","props":{"temperature":30},'
              b'"id":"b"}\n{"op":"get","dev":"1-0048","props":'
              b'["temperature"]}')
    s.shutdown(socket.SHUT_WR)
    out = b""
    while chunk := s.recv(65536):
        out += chunk
    replies = [json.loads(line) for line in out.decode().splitlines()]
    assert replies == [
        {"ok": True, "version": 1, "server": "i2cemu", "id": 1},
        {"ok": False, "error": "not JSON: invalid token near 'not' at "
                               "column 3"},
        {"ok": True, "id": "b"},
        {"ok": True, "dev": "tmp102@1-0048", "type": "tmp102",
         "props": {"temperature": {"value": "30", "kind": "float",
                                   "runtime": True, "readonly": False}}},
    ]
    # A line over 64 KiB is refused and its connection dropped.
    big = socket.socket(socket.AF_UNIX)
    big.connect(control)
    big.sendall(b" " * 70000)
    assert json.loads(big.recv(65536)) == {
        "ok": False,
        "error": "request longer than 65536 bytes: connection dropped"}
    try:
        assert big.recv(10) == b""
    except ConnectionResetError:
        pass  # closed with the rest of the line unread: a reset
    stalled.sendall(b'st"}\n')
    assert json.loads(stalled.recv(65536))["ok"] is True


def test_requests_queue_behind_a_wait(board):
    """Replies come in request order: a get sent after a pending wait is
    answered after it; a set on another connection ends the wait."""
    _, _, control, ctl = board("-d", "tmp102,addr=0x48")
    s = socket.socket(socket.AF_UNIX)
    s.connect(control)
    s.sendall(b'{"op":"wait","dev":"1-0048","prop":"temperature",'
              b'"value":33,"id":1}\n{"op":"get","dev":"1-0048","id":2}\n')
    s.settimeout(0.3)
    with pytest.raises(socket.timeout):
        s.recv(65536)
    assert ctl("set", "1-0048", "temperature=33").returncode == 0
    s.settimeout(10)
    out = b""
    while out.count(b"\n") < 2:
        out += s.recv(65536)
    first, second = map(json.loads, out.decode().splitlines())
    assert first == {"ok": True, "value": "33", "id": 1}
    assert second["id"] == 2
    assert second["props"]["temperature"]["value"] == "33"


def test_connections_are_bounded(board):
    _, _, control, ctl = board("-d", "tmp102,addr=0x48")
    conns = []
    for _ in range(16):
        c = socket.socket(socket.AF_UNIX)
        c.connect(control)
        c.sendall(b'{"op":"hello"}\n')
        assert json.loads(c.recv(4096))["ok"] is True
        conns.append(c)
    extra = socket.socket(socket.AF_UNIX)
    extra.connect(control)
    assert json.loads(extra.recv(4096)) == {
        "ok": False, "error": "too many control connections"}
    conns.pop().close()
    for _ in range(100):  # the daemon sees the close on its next turn
        c = ctl("list")
        if c.returncode == 0:
            break
        time.sleep(0.05)
    assert c.returncode == 0, c


@pytest.fixture
def open_dir():
    """A directory everybody may enter, removed after the daemon stops."""
    d = pathlib.Path(tempfile.mkdtemp(prefix="i2cemu-open-"))
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to be another uid")
def test_other_users_are_refused(open_dir, board):
    """SO_PEERCRED: even with the socket opened up, another uid gets no
    answer."""
    sock = open_dir / "i2cemu.sock"
    _, _, control, ctl = board("-d", "tmp102,addr=0x48", "--socket",
                               str(sock))
    assert control == f"{sock}.ctl"
    os.chmod(control, 0o666)
    probe = ("import socket,sys\n"
             "s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])\n"
             "try:\n"
             "    s.sendall(b'{\"op\":\"list\"}\\n'); got = s.recv(100)\n"
             "except OSError:\n"
             "    got = b''\n"
             "print(repr(got))\n")
    c = subprocess.run(["/usr/bin/python3", "-c", probe, control],
                       user=65534, capture_output=True, text=True, timeout=30)
    assert (c.returncode, c.stdout) == (0, "b''\n"), c
    assert ctl("list").returncode == 0
