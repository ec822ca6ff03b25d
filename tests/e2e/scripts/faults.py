# SPDX-License-Identifier: MIT
"""smbus2 requests to 0x50 on bus 1, one per argument, each printing its
result: a value, "ok", or the errno's name.

  r:REG      read byte data          pec:REG     the same with PEC on
  w:REG:VAL  write byte data         block:REG   SMBus block read
  retries:N  ioctl I2C_RETRIES       ctl:JSON    a control request, its
                                                 "ok" printed
"""
import errno
import fcntl
import json
import os
import socket
import sys

from smbus2 import SMBus

I2C_RETRIES = 0x0701


def ctl(request):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(os.environ["I2CEMU_CONTROL"])
        s.sendall(request.encode() + b"\n")
        reply = b""
        while not reply.endswith(b"\n"):
            reply += s.recv(4096)
    return "ok" if json.loads(reply)["ok"] else reply.decode().strip()


with SMBus(1) as bus:
    for arg in sys.argv[1:]:
        op, _, rest = arg.partition(":")
        try:
            if op == "ctl":
                print(ctl(rest))
                continue
            a = [int(x, 0) for x in rest.split(":")]
            bus.pec = op == "pec"
            if op in ("r", "pec"):
                print(hex(bus.read_byte_data(0x50, a[0])))
            elif op == "w":
                bus.write_byte_data(0x50, a[0], a[1])
                print("ok")
            elif op == "block":
                print(bus.read_block_data(0x50, a[0]))
            elif op == "retries":
                fcntl.ioctl(bus.fd, I2C_RETRIES, a[0])
                print("ok")
        except OSError as e:
            print(errno.errorcode[e.errno])
