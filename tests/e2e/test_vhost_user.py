# SPDX-License-Identifier: MIT
"""`i2cemu run --vhost-user BUS=PATH` as QEMU meets it: the socket, the
first messages of the vhost-user handshake, a reconnect, a clean exit.
The rest of the protocol is in tests/unit/frontends/test_vhost_user.c;
a real guest in the VM suite (docs/vhost-user.md)."""
import os
import signal
import socket
import struct
import time

GET_FEATURES, GET_PROTOCOL_FEATURES, GET_QUEUE_NUM = 1, 15, 17
VERSION, REPLY = 1, 4


def ask(sock, request):
    """Send a message without payload; return the u64 of its reply."""
    sock.sendall(struct.pack("<III", request, VERSION, 0))
    data = b""
    while len(data) < 20:
        chunk = sock.recv(20 - len(data))
        assert chunk, "the daemon closed the connection"
        data += chunk
    req, flags, size, value = struct.unpack("<IIIQ", data)
    assert (req, flags, size) == (request, VERSION | REPLY, 8)
    return value


def wait_for(path):
    for _ in range(100):
        if os.path.exists(path):
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def test_handshake_reconnect_and_clean_exit(spawn, tmp_path):
    path = str(tmp_path / "vi2c.sock")
    p = spawn("--no-cuse", "-d", "lm75,addr=0x48", "--vhost-user",
              f"1={path}", "run")
    wait_for(path)
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(path)
        features = ask(s, GET_FEATURES)
        # VERSION_1, PROTOCOL_FEATURES, EVENT_IDX, INDIRECT_DESC and
        # ZERO_LENGTH_REQUEST: what QEMU 7.2 and Linux's driver need.
        for bit in (32, 30, 29, 28, 0):
            assert features & (1 << bit), hex(features)
        assert ask(s, GET_PROTOCOL_FEATURES) & (1 << 3)  # REPLY_ACK
    # A restarted QEMU connects again.
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(path)
        assert ask(s, GET_QUEUE_NUM) == 1
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    assert b"Sanitizer" not in err and b"runtime error" not in err, err
    assert not os.path.exists(path)


def test_bus_must_exist(emu):
    r = emu("-d", "lm75,addr=0x48", "--vhost-user", "7=vi2c.sock",
            cmd="true")
    assert r.status == 1, r
    assert r.err == ("i2cemu: --vhost-user 7=vi2c.sock: the board has no "
                     "bus 7\n"), r


def test_stub_bus_refused(emu, tmp_path):
    (tmp_path / "board.cfg").write_text("bus 3 profile=stub\n")
    r = emu("-f", "board.cfg", "--vhost-user", "3=vi2c.sock", cmd="true")
    assert r.status == 1, r
    assert "bus 3 is SMBus-only" in r.err, r
