# SPDX-License-Identifier: MIT
"""A daemon that speaks the preload protocol (src/frontends/sockproto.h)
and lies, for test_preload_hardening.py:

    fake_daemon.py SOCKET MODE

It serves bus 1 and answers OPEN, then, by MODE, the first request:
  out-far     a RESULT region past the read buffer (onto the canary)
  out-long    a RESULT region longer than the read
  big-result  a read result larger than the count
  need        a NEED for bytes past the read buffer (the secret)
  need-ioctl  for I2C_RDWR: NEED the message array (allowed), then the
              bytes past the message's buffer
  out-ioctl   for I2C_RDWR: a RESULT region past the message's buffer
  silent      no answer at all
  honest      the bytes 0..count-1, as a daemon would
  mute        accepts, and sends not even HELLO
  full        refuses the connection as a daemon with too many clients:
              RESULT -ENFILE in place of HELLO
It prints what it receives ("MEM <hex>", "EOF") on stdout, one line each.
"""
import os
import socket
import struct
import sys
import time

HELLO, NEED, RESULT = 1, 2, 3
OPEN, IOCTL, READ, WRITE, MEM, MEMFAULT = 16, 17, 18, 19, 20, 21
I2C_RDWR = 0x0707


def say(*a):
    print(*a, flush=True)


def recv_exact(c, n):
    b = b""
    while len(b) < n:
        chunk = c.recv(n - len(b))
        if not chunk:
            raise EOFError
        b += chunk
    return b


def recv_msg(c):
    t, n = struct.unpack("<II", recv_exact(c, 8))
    return t, recv_exact(c, n) if n else b""


def send_msg(c, t, body):
    c.sendall(struct.pack("<II", t, len(body)) + body)


def result(c, r, outs=()):
    body = struct.pack("<qII", r, len(outs), 0)
    for addr, data in outs:
        body += struct.pack("<QII", addr, len(data), 0) + data
    send_msg(c, RESULT, body)


def need(c, addr, n):
    send_msg(c, NEED, struct.pack("<QII", addr, n, 0))
    t, body = recv_msg(c)
    say("MEM " + body.hex() if t == MEM else "MEMFAULT")
    return body


def serve(c, mode):
    name = b"fake".ljust(48, b"\0")
    send_msg(c, HELLO, struct.pack("<IHH", 0x45433249, 2, 1) +
             struct.pack("<iII", 1, 0x0eff0009, 0) + name)
    t, body = recv_msg(c)
    if t != OPEN:
        return
    result(c, 0)
    t, body = recv_msg(c)
    say(f"request {t}")
    if t == READ:
        addr, count = struct.unpack("<QQ", body)
    elif t == IOCTL:
        # The argument block is the first region the request carries.
        cmd, compat, arg, nin, _ = struct.unpack("<IIQII", body[:24])
        data = body[24 + 16 * nin:]
        msgs, nmsgs = struct.unpack("<QI", data[:12])
        msg = need(c, msgs, 16)  # struct i2c_msg, carried too: allowed
        _, _, count, addr = struct.unpack("<HHHxxQ", msg)
    if mode == "silent":
        time.sleep(3600)
    elif mode in ("out-far", "out-ioctl"):
        result(c, count if t == READ else 1, [(addr + 16, b"X" * 16)])
    elif mode == "out-long":
        result(c, count, [(addr, b"X" * (count + 16))])
    elif mode == "big-result":
        result(c, count + 1000)
    elif mode in ("need", "need-ioctl"):
        need(c, addr + 32, 16)
        result(c, 0)
    elif mode == "honest":
        result(c, count if t == READ else 1, [(addr, bytes(range(count)))])
    recv_msg(c)


def main():
    path, mode = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # Listening before it appears: the client finds it ready.
    s.bind(path + ".new")
    s.listen(8)
    os.rename(path + ".new", path)
    while True:
        c, _ = s.accept()
        if mode == "mute":
            time.sleep(3600)
        if mode == "full":
            result(c, -23)  # ENFILE
            c.close()
            continue
        try:
            serve(c, mode)
        except (EOFError, OSError):
            pass
        say("EOF")
        c.close()


if __name__ == "__main__":
    main()
