# SPDX-License-Identifier: MIT
"""The preload shim hardened (issue 7, items 1 and 3-7): it trusts no
daemon beyond what the caller's request allows, serves stdio, vectored
I/O, stat and readiness as i2c-dev does, forgets closed descriptors,
shares one across fork() and threads, never waits without bound, and
fails closed.

The board tests run tests/e2e/clients/shim_probe.c through i2cemu; the
others run it against scripts/fake_daemon.py, a daemon that lies."""
import os
import pathlib
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import BIN, EEPROM, PYTHON, SCRIPTS

pytestmark = pytest.mark.preload

BUILD = BIN.resolve().parents[2]
PROBE = BUILD / "tests/e2e/shim_probe"
SHIM = BUILD / "src/frontends/libi2cemu-preload.so"
BOARD = [*EEPROM, "-d", "regbank,addr=0x51"]


@pytest.fixture(autouse=True)
def built():
    for f in (PROBE, SHIM):
        if not f.exists():
            pytest.fail(f"{f} is not built", pytrace=False)


def probe(emu, mode):
    r = emu(*BOARD, cmd=[str(PROBE), mode], timeout=120)
    assert r.status == 0, r
    return r


def test_stdio(emu, image):
    """fopen, fopen64, fdopen and freopen on /dev/i2c-1: fwrite+fflush is
    one write (an EEPROM page write), fread one read; fstat and statx say
    character device 89:1."""
    r = probe(emu, "stdio")
    assert r.out == "fread 1f aa bb\n"
    assert image()[0x1f:0x23] == bytes([0x1f, 0xAA, 0xBB, 0x22])


def test_vectored_io_and_readiness(emu, image):
    """readv/writev and the p- and v2 variants: one read or write per
    segment; poll and select say ready, epoll refuses the file."""
    r = probe(emu, "vectored")
    assert r.out == "readv 3f 01\nreadv 02 42 43\n"
    assert image()[0x40:0x42] == bytes([1, 2])


def test_descriptor_lifetime(emu):
    """An fd closed by fclose, a raw close, close_range, closefrom, dup2
    over it or exec with O_CLOEXEC is forgotten: a pipe or socket reusing
    its number works as one."""
    probe(emu, "lifetime")


def test_shared_descriptor(emu):
    """A fork()ed pair and three threads hammering one open file
    description all get their own results."""
    probe(emu, "share")


def test_signals_and_cancellation(emu):
    """I2C calls from a signal handler and asynchronous cancellation of a
    thread mid-call neither hang nor break the file."""
    r = probe(emu, "signals")
    assert "0 other" in r.out


# ---- against a lying daemon ----

def run_fake(tmp, mode, client_mode, uid=None):
    """Starts fake_daemon.py (as uid if given), runs shim_probe against
    it: (the probe's run, what the daemon printed, seconds taken)."""
    sock = pathlib.Path(tmp) / "i2cemu.sock"
    argv = [PYTHON, str(SCRIPTS / "fake_daemon.py"), str(sock), mode]
    if uid:
        argv = ["setpriv", f"--reuid={uid}", f"--regid={uid}",
                "--clear-groups", *argv]
    daemon = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(200):
            if sock.exists():
                break
            time.sleep(0.02)
        env = {**os.environ, "LD_PRELOAD": str(SHIM),
               "I2CEMU_SOCKET": str(sock)}
        t = time.monotonic()
        r = subprocess.run([str(PROBE), client_mode], env=env, text=True,
                           capture_output=True, timeout=60)
        took = time.monotonic() - t
    finally:
        daemon.kill()
        out = daemon.communicate()[0]
    return r, out, took


@pytest.mark.parametrize("mode,client", [
    ("out-far", "hostile-read"), ("out-long", "hostile-read"),
    ("big-result", "hostile-read"), ("need", "hostile-read"),
    ("need-ioctl", "hostile-ioctl"), ("out-ioctl", "hostile-ioctl")])
def test_daemon_cannot_reach_outside_the_request(tmp_path, mode, client):
    """A NEED or RESULT region outside the buffers of the request, or a
    result the call cannot return: EIO, the connection dropped, the canary
    intact and the secret unread."""
    r, daemon, _ = run_fake(tmp_path, mode, client)
    call = "read" if client == "hostile-read" else "ioctl"
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("open=3 errno=0 canary=intact\n"
                        f"{call}=-1 errno=EIO canary=intact\n"
                        "again=-1 errno=EIO canary=intact\n"), daemon
    assert "736563726574" not in daemon  # "secret"
    # The message array is what I2C_RDWR may be asked for.
    assert daemon.count("MEM ") == (1 if client == "hostile-ioctl" else 0)


def test_honest_daemon_is_served(tmp_path):
    """The fake daemon itself works when it keeps to the request."""
    r, _, _ = run_fake(tmp_path, "honest", "hostile-read")
    assert r.stdout.splitlines()[1] == "read=16 errno=0 canary=intact"


def test_daemon_that_stops_answering(tmp_path):
    """Silent after OPEN: the read fails after the adapter's timeout plus
    the 5 s margin (docs/protocol.md), and the file is dropped."""
    r, _, took = run_fake(tmp_path, "silent", "hostile-read")
    assert r.stdout.splitlines()[1:] == [
        "read=-1 errno=ETIMEDOUT canary=intact",
        "again=-1 errno=EIO canary=intact"]
    assert 5.5 < took < 15


def test_daemon_that_never_says_hello(tmp_path):
    """Silent from the start: open() gives up after the margin, fails
    closed with ENOENT and says why."""
    r, _, took = run_fake(tmp_path, "mute", "open")
    assert r.stdout == "open=-1 errno=ENOENT canary=intact\n"
    assert "cannot reach the daemon" in r.stderr
    assert 4.5 < took < 15


def test_daemon_with_too_many_clients(tmp_path):
    """A daemon that refuses the connection with an errno in place of
    HELLO: open() fails with it."""
    r, _, _ = run_fake(tmp_path, "full", "open")
    assert r.stdout == "open=-1 errno=ENFILE canary=intact\n"


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root to run the daemon as nobody")
def test_socket_taken_over_by_another_user():
    """The daemon has exited and `nobody` binds its old path in a
    world-writable directory: a root client's open() is refused with
    EACCES, names the socket, and sends nothing but its connect."""
    tmp = tempfile.mkdtemp(prefix="i2cemu-takeover-")
    try:
        os.chmod(tmp, 0o1777)
        r, daemon, _ = run_fake(tmp, "honest", "open", uid=65534)  # nobody
    finally:
        shutil.rmtree(tmp)
    assert r.stdout == "open=-1 errno=EACCES canary=intact\n"
    assert f"{tmp}/i2cemu.sock" in r.stderr
    assert len(r.stderr.splitlines()) == 1
    assert "request" not in daemon and "MEM" not in daemon


OPENS = """
import errno, os, sys
for p in sys.argv[1:]:
    try:
        os.close(os.open(p, os.O_RDWR))
        print(p, "ok")
    except OSError as e:
        print(p, errno.errorcode[e.errno])
"""


def test_fail_closed_without_daemon(tmp_path):
    """I2CEMU_SOCKET set, nobody listening: every /dev/i2c-N fails with
    ENOENT, said once on stderr."""
    env = {**os.environ, "LD_PRELOAD": str(SHIM),
           "I2CEMU_SOCKET": str(tmp_path / "gone.sock")}
    r = subprocess.run([PYTHON, "-c", OPENS, "/dev/i2c-1", "/dev/i2c-2"],
                       env=env, text=True, capture_output=True, timeout=60)
    assert r.stdout == "/dev/i2c-1 ENOENT\n/dev/i2c-2 ENOENT\n"
    assert r.stderr.count("cannot reach the daemon") == 1
    assert str(tmp_path / "gone.sock") in r.stderr


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"),
                    reason="needs root for a private /dev")
def test_fail_closed_never_reaches_real_nodes(tmp_path):
    """In a private /dev with "real" nodes i2c-1 and i2c-7: without the
    daemon neither opens; with a daemon that serves bus 1 only, i2c-7
    still opens as a real node."""
    sh = ("mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 && "
          "mknod /dev/i2c-1 c 1 3 && mknod /dev/i2c-7 c 1 3 && "
          f'exec env LD_PRELOAD="{SHIM}" I2CEMU_SOCKET="$SOCK" '
          f'{PYTHON} -c "$OPENS" /dev/i2c-1 /dev/i2c-7')
    env = {**os.environ, "OPENS": OPENS, "SOCK": str(tmp_path / "gone")}
    r = subprocess.run(["unshare", "-m", "sh", "-c", sh], env=env, text=True,
                       capture_output=True, timeout=60)
    if "unshare" in r.stderr or "mount" in r.stderr:
        pytest.skip(f"no private /dev here: {r.stderr}")
    assert r.stdout == "/dev/i2c-1 ENOENT\n/dev/i2c-7 ENOENT\n"

    sock = tmp_path / "i2cemu.sock"
    daemon = subprocess.Popen([PYTHON, str(SCRIPTS / "fake_daemon.py"),
                               str(sock), "honest"], stdout=subprocess.PIPE)
    try:
        for _ in range(200):
            if sock.exists():
                break
            time.sleep(0.02)
        env["SOCK"] = str(sock)
        r = subprocess.run(["unshare", "-m", "sh", "-c", sh], env=env,
                           text=True, capture_output=True, timeout=60)
    finally:
        daemon.kill()
        daemon.wait()
    assert r.stdout == "/dev/i2c-1 ok\n/dev/i2c-7 ok\n", r.stderr
