# SPDX-License-Identifier: MIT
"""The preload shim's fast path (docs/fastpath.md): on an eligible bus a
request runs inside the client, with no socket call; on any other it
goes through the daemon; both give the same output, and each sees what
the other wrote. strace counts the socket calls."""
import re
import subprocess

import pytest

from conftest import BIN, PYTHON, SCRIPTS

pytestmark = pytest.mark.preload

FAST = {"I2CEMU_PRELOAD_FASTPATH": "1"}
SLOW = {"I2CEMU_PRELOAD_FASTPATH": "0"}
BOARD = ["-d", "24c02,addr=0x50"]


def traced(emu, args, cmd, env, before=""):
    """Run cmd under `strace -c` on the board, after `before` if given:
    (run, socket sends)."""
    r = emu(*args, cmd=f"{before}strace -f -c -o strace.txt -e trace=sendto,sendmsg "
            f"{cmd} && cat strace.txt >&2", env=env)
    assert r.status == 0, r
    sends = sum(int(m.group(1)) for m in
                re.finditer(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?"
                            r"send(?:to|msg)$", r.err, re.M))
    return r, sends


def test_an_eligible_bus_makes_no_socket_call_per_request(emu):
    """i2cdump reads 256 bytes: 256 requests to the daemon on the slow
    path, none on the fast one (only the open and the ioctls that set
    the file up go to it). The same dump either way. (A request that
    comes before the daemon's loop has gone back to waiting finds the bus
    not lent yet and takes the slow path: on a loaded host a few do.)"""
    fast, fast_sends = traced(emu, BOARD, "i2cdump -y 1 0x50 b", FAST)
    slow, slow_sends = traced(emu, BOARD, "i2cdump -y 1 0x50 b", SLOW)
    assert fast.out == slow.out
    assert "ff ff ff ff" in fast.out
    assert slow_sends >= 256
    assert fast_sends < 64


def test_a_client_after_the_last_one_left_gets_the_fast_path(emu):
    """The daemon lends buses only while a client that was given the
    memfd is connected: lending stops when the first i2cdump exits and
    starts again for the second."""
    fast, sends = traced(emu, BOARD, "i2cdump -y 1 0x50 b", FAST,
                         before="i2cdump -y 1 0x50 b >/dev/null && ")
    assert "ff ff ff ff" in fast.out
    assert sends < 64


def test_a_fast_request_makes_no_system_call(emu):
    """The fast path trusts the shim's descriptor table (fastpath.md,
    "Descriptors"): no fstat per request to check the number is still
    the daemon's socket, as the slow path makes before each exchange."""
    cmd = ("strace -f -c -o strace.txt -e trace=fstat,newfstatat "
           "i2cdump -y 1 0x50 b && cat strace.txt >&2")
    counts = {}
    for name, env in (("fast", FAST), ("slow", SLOW)):
        r = emu(*BOARD, cmd=cmd, env=env)
        assert r.status == 0, r
        counts[name] = sum(int(m.group(1)) for m in re.finditer(
            r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?"
            r"(?:new)?fstat(?:at)?$", r.err, re.M))
    assert counts["slow"] >= 256
    assert counts["fast"] < 64


def test_a_traced_bus_takes_the_slow_path_with_the_same_output(emu):
    """A trace sink makes the bus ineligible: every request goes to the
    daemon (which writes the trace), and the output is the same."""
    args = [*BOARD, "--trace", "text:trace.txt"]
    r, sends = traced(emu, args, "i2cdump -y 1 0x50 b", FAST)
    plain, _ = traced(emu, BOARD, "i2cdump -y 1 0x50 b", FAST)
    assert r.out == plain.out
    assert sends >= 256


def test_each_path_sees_what_the_other_wrote(emu):
    """Writes land in the arena the daemon serves: a value written on the
    fast path reads back through the daemon, and the other way round."""
    r = emu(*BOARD, cmd="i2cset -y 1 0x50 0x10 0xab && "
            "I2CEMU_PRELOAD_FASTPATH=0 i2cget -y 1 0x50 0x10 && "
            "I2CEMU_PRELOAD_FASTPATH=0 i2cset -y 1 0x50 0x11 0xcd && "
            "i2cget -y 1 0x50 0x11", env=FAST)
    assert r.status == 0, r
    assert r.out == "0xab\n0xcd\n"


def test_bad_pointers_give_efault_as_on_the_slow_path(emu):
    """NULL, unmapped and read-only buffers: EFAULT at the kernel's point
    on the fast path, as through the daemon."""
    cmd = f"{PYTHON} {SCRIPTS / 'fastpath_efault.py'}"
    fast, fast_sends = traced(emu, BOARD, cmd, FAST)
    slow, _ = traced(emu, BOARD, cmd, SLOW)
    assert fast.out == slow.out
    assert fast.out == ("slave ok\nwrite ok\nread ok 0x5a\n"
                        "null-arg EFAULT\nnull-data EINVAL\n"
                        "before-unmap ok\nunmapped-read EFAULT\n"
                        "unmapped-write EFAULT\nread-only EFAULT\n"
                        "made-read-only EFAULT\nstill-readable ok\n")
    assert fast_sends < 5  # the open and I2C_SLAVE (the script then waits)


def test_a_file_backed_eeprom_is_served_by_the_daemon(emu, image):
    """A backing file gives the EEPROM priv: its bus is not lent, and
    the write reaches the file through the daemon."""
    r, sends = traced(emu, ["-d", "24c02,addr=0x50,file=ee.bin"],
                      "i2cset -y 1 0x50 0x20 0x99 && i2cget -y 1 0x50 0x20",
                      FAST)
    assert r.out == "0x99\n"
    assert sends >= 4
    assert image()[0x20] == 0x99


def test_read_and_write_take_the_fast_path(emu):
    """write() of a pointer and a byte, write() of the pointer, read() of
    two bytes: the same bytes either way, and no socket call on the fast
    path once the file is set up."""
    code = ("import fcntl, os, time; fd = os.open('/dev/i2c-1', os.O_RDWR); "
            "fcntl.ioctl(fd, 0x0703, 0x50); time.sleep(0.3); "
            "os.write(fd, b'\\x20\\x42'); os.write(fd, b'\\x20'); "
            "print(os.read(fd, 2).hex())")
    cmd = f"{PYTHON} -c \"{code}\""
    fast, fast_sends = traced(emu, BOARD, cmd, FAST)
    slow, slow_sends = traced(emu, BOARD, cmd, SLOW)
    assert fast.out == slow.out == "42ff\n"
    assert fast_sends <= 2  # the open and I2C_SLAVE
    assert slow_sends >= fast_sends + 3


def test_the_shim_exports_only_what_it_interposes():
    """The engine linked into the shim is hidden: a program that links
    libi2cemu itself, or defines a name of ours, is not disturbed."""
    shim = BIN.resolve().parents[2] / "src/frontends/libi2cemu-preload.so"
    nm = subprocess.run(["nm", "-D", "--defined-only", str(shim)],
                        capture_output=True, text=True, check=True).stdout
    names = {line.split()[-1] for line in nm.splitlines() if line.strip()}
    assert {"ioctl", "read", "write", "open", "munmap", "mprotect"} <= names
    ours = [n for n in names if n.startswith(("i2cemu", "share_", "fast_",
                                              "efault_", "client_", "fdt_"))]
    assert ours == []


def test_smbus_decoding_matches_the_daemon(emu):
    """Every I2C_SMBUS check of the kernel's, in its order, on the fast
    path's own decoding: the same results and the same caller's bytes as
    through the daemon, with argument blocks and unions across page ends
    (EFAULT before the transfer for what is copied in, after it for what
    is copied out)."""
    cmd = f"{PYTHON} {SCRIPTS / 'fastpath_smbus.py'}"
    fast, fast_sends = traced(emu, BOARD, cmd, FAST)
    slow, _ = traced(emu, BOARD, cmd, SLOW)
    assert fast.out == slow.out
    lines = dict(line.split(" ", 1) for line in fast.out.splitlines())
    assert lines["size-9"] == "EINVAL "
    assert lines["rw-2-quick"] == "EINVAL "
    assert lines["quick"] == "ok "
    assert lines["recv-byte-null"] == "EINVAL "
    assert lines["word-data"] == "ok 4243" + "ee" * 32
    assert lines["i2c-block-4"] == "ok 0442434445" + "ee" * 29
    assert lines["i2c-block-broken"].startswith("ok 20424344")
    assert lines["arg-across-pages"].startswith("ok 42")
    assert lines["arg-into-none"] == "EFAULT "
    assert lines["block-write-into-none"] == "EFAULT "
    assert lines["word-into-none"] == "EFAULT "
    assert lines["block-read-into-none"] == "EFAULT "
    assert lines["word-into-read-only"] == "EFAULT "
    assert lines["write-from-read-only"] == "ok "  # read, not written
    assert lines["after"] == "ok ff" + "ee" * 33  # nothing written at 0x20
    assert fast_sends < 6  # the open, I2C_SLAVE and I2C_PEC


def test_pread_and_pwrite_take_the_fast_path_with_no_system_call(emu):
    """pread() and pwrite() reach i2c-dev's read and write handlers,
    which ignore the offset: like read() and write(), they run on the
    fast path from the descriptor table, with no fstat to check the fd
    (the slow path checks it before each request), and give the same
    bytes either way. A negative offset is EINVAL both ways."""
    code = ("import errno, fcntl, os, time; "
            "fd = os.open('/dev/i2c-1', os.O_RDWR); "
            "fcntl.ioctl(fd, 0x0703, 0x50); time.sleep(0.3); "
            "[os.pwrite(fd, bytes([0x40 + i % 8, i]), 7) for i in range(64)]; "
            "os.pwrite(fd, b'\\x40', 0); "
            "print(os.pread(fd, 8, 1 << 40).hex()); "
            "e = None\ntry: os.pread(fd, 1, -1)\n"
            "except OSError as x: e = errno.errorcode[x.errno]\nprint(e)")
    cmd = (f"strace -f -c -o strace.txt -e trace=fstat,newfstatat "
           f"{PYTHON} -c \"{code}\" && cat strace.txt >&2")
    outs, counts = {}, {}
    for name, env in (("fast", FAST), ("slow", SLOW)):
        r = emu(*BOARD, cmd=cmd, env=env)
        assert r.status == 0, r
        outs[name] = r.out
        counts[name] = sum(int(m.group(1)) for m in re.finditer(
            r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?"
            r"(?:new)?fstat(?:at)?$", r.err, re.M))
    assert outs["fast"] == outs["slow"] == \
        "38393a3b3c3d3e3f\nEINVAL\n"
    assert counts["slow"] >= counts["fast"] + 64
