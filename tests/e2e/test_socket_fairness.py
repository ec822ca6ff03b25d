# SPDX-License-Identifier: MIT
"""Clients cannot lock others out of a running daemon (issue 7, item 8):
raw protocol clients that stall or crowd the socket, next to i2cget."""
import errno
import os
import re
import select
import socket
import struct
import subprocess
import time

import pytest

from test_cli import _read_until

pytestmark = pytest.mark.preload

HELLO, RESULT, OPEN = 1, 3, 16


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError(f"closed after {data!r}")
        data += chunk
    return data


def recv_msg(s):
    kind, length = struct.unpack("=II", recv_exactly(s, 8))
    return kind, recv_exactly(s, length)


def closed(s, timeout):
    """Whether the daemon closes s within timeout seconds (after whatever
    it sent)."""
    end = time.monotonic() + timeout
    while select.select([s], [], [], max(0, end - time.monotonic()))[0]:
        if s.recv(4096) == b"":
            return True
    return False


@pytest.fixture
def daemon(spawn, tmp_path):
    """A `run` daemon: its socket path and the environment for clients."""
    p = spawn("-d", "24c02,addr=0x50", "--no-cuse", "run")
    banner = _read_until(p, "Stop with Ctrl-C.\n")
    preload, sock = re.search(r"export LD_PRELOAD=(\S+) I2CEMU_SOCKET=(\S+)",
                              banner).groups()
    env = dict(os.environ, LD_PRELOAD=preload, I2CEMU_SOCKET=sock,
               PATH=os.environ["PATH"] + ":/usr/sbin")
    return sock, env


def connect(path):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    return s


def i2cget(env):
    return subprocess.run(["i2cget", "-y", "1", "0x50", "0"], env=env,
                          capture_output=True, text=True, timeout=30)


def test_stalled_clients_are_dropped_idle_ones_kept(daemon):
    sock, env = daemon
    t0 = time.monotonic()
    half = connect(sock)
    assert recv_msg(half)[0] == HELLO
    half.sendall(struct.pack("=I", OPEN))  # half a header, then nothing
    mute = connect(sock)  # never opens a bus
    idle = connect(sock)
    assert recv_msg(idle)[0] == HELLO
    idle.sendall(struct.pack("=IIii", OPEN, 8, 1, os.O_RDWR))
    kind, body = recv_msg(idle)
    assert kind == RESULT and struct.unpack_from("=q", body)[0] == 0

    # Others are served meanwhile.
    c = i2cget(env)
    assert (c.returncode, c.stdout) == (0, "0xff\n"), c
    assert closed(half, 10) and closed(mute, 1)
    assert 4.9 < time.monotonic() - t0 < 9  # the 5 s limit
    assert not closed(idle, 1)
    for s in (half, mute, idle):
        s.close()


def test_the_257th_client_is_refused_with_enfile(daemon):
    sock, env = daemon
    clients = [connect(sock) for _ in range(256)]
    try:
        for s in clients:
            assert recv_msg(s)[0] == HELLO
        late = connect(sock)
        kind, body = recv_msg(late)
        assert kind == RESULT
        assert struct.unpack("=qII", body) == (-errno.ENFILE, 0, 0)
        assert closed(late, 5)
        late.close()
    finally:
        for s in clients:
            s.close()
    # Once they are gone, the next client is served.
    for _ in range(50):
        c = i2cget(env)
        if c.returncode == 0:
            break
        time.sleep(0.1)
    assert (c.returncode, c.stdout) == (0, "0xff\n"), c
