# SPDX-License-Identifier: MIT
"""Crash safety of EEPROM images: the daemon, the client, or both are
killed with SIGKILL at random instants during page writes through the
preload shim. After each (re)start every page, read through the bus, holds
a single value (old or new, never torn) and every acknowledged write is
there. A failure names its seed; I2CEMU_CRASH_SEED=N replays it."""
import os
import random
import re
import select
import subprocess
import time

import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "scripts", "eeprom_pages.py")
PYTHON = "/usr/bin/python3"
ROUNDS = 30


def _banner_env(proc):
    """The client environment the banner of `i2cemu run` gives."""
    out = b""
    while not out.endswith(b"Stop with Ctrl-C.\n"):
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        chunk = os.read(proc.stdout.fileno(), 4096) if ready else b""
        assert chunk, f"no banner in {out!r}"
        out += chunk
    m = re.search(rb"export LD_PRELOAD=(\S+) I2CEMU_SOCKET=(\S+)", out)
    return dict(os.environ, LD_PRELOAD=m[1].decode(),
                I2CEMU_SOCKET=m[2].decode())


class _Lines:
    """The lines a client prints, read as they come."""

    def __init__(self, proc):
        self.proc, self.lines, self.buf = proc, [], b""

    def read(self, until=None, timeout=20):
        """Read up to a line starting with `until`, or to EOF."""
        deadline = time.monotonic() + timeout
        while not (until and any(x.startswith(until) for x in self.lines)):
            ready, _, _ = select.select([self.proc.stdout], [], [],
                                        max(0, deadline - time.monotonic()))
            chunk = os.read(self.proc.stdout.fileno(), 65536) if ready else b""
            if not chunk:
                break
            *done, self.buf = (self.buf + chunk).split(b"\n")
            self.lines += [d.decode() for d in done]
        return self.lines


@pytest.mark.preload
def test_sigkill_never_tears_or_loses_a_page(spawn, tmp_path):
    seed = int(os.environ.get("I2CEMU_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    want = [0xFF] * 256   # last acknowledged value of each page
    maybe = {}            # page: value of a write cut short by a kill
    daemon, value, kills = None, 0, {"daemon": 0, "client": 0, "both": 0}
    for rnd in range(ROUNDS):
        if daemon is None:
            daemon = spawn("-d", "24c64,addr=0x50,file=ee.bin", "run")
            env = _banner_env(daemon)
        client = subprocess.Popen(
            [PYTHON, SCRIPT, str(seed + rnd), str(value)], env=env,
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out = _Lines(client)
        lines = out.read(until="ACK")
        assert lines and lines[0].startswith("IMAGE"), (
            lines, client.stderr.read() if client.poll() is not None else "")
        image = bytes.fromhex(lines[0].split()[1])
        where = f"seed {seed}, round {rnd}"
        for p in range(256):
            page = image[p * 32:(p + 1) * 32]
            assert page == bytes([page[0]]) * 32, f"{where}: page {p} torn"
            assert page[0] in (want[p], maybe.get(p)), (
                f"{where}: page {p} holds {page[0]:#x}, "
                f"acknowledged {want[p]:#x}")
            want[p] = page[0]
        maybe = {}

        time.sleep(rng.uniform(0.0, 0.3))
        victim = rng.choice(list(kills))
        kills[victim] += 1
        if victim in ("client", "both"):
            client.kill()
        if victim in ("daemon", "both"):
            daemon.kill()
            daemon.wait()
            daemon = None
        lines = out.read()
        client.wait(timeout=20)
        for line in lines[1:]:
            what, p, v = line.split()
            if what == "ACK":
                want[int(p)] = int(v)
                maybe.pop(int(p), None)
            else:
                maybe[int(p)] = int(v)
            value = int(v)
        assert len(lines) > 2, f"{where}: no write acknowledged"
    assert all(kills.values()), kills
