# SPDX-License-Identifier: MIT
"""Board: an `i2cemu ... run` daemon as a context manager."""
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time

from .control import Control, ControlError, Device, Trace

# The banner line with the environment clients need (src/cli/main.c).
_EXPORT = re.compile(r"^  export (.*)$", re.M)
_NAMES = ("LD_PRELOAD", "I2CEMU_SOCKET", "I2CEMU_CONTROL")


def _find_i2cemu(path):
    path = path or os.environ.get("I2CEMU_BIN") or shutil.which("i2cemu")
    if not path:
        raise FileNotFoundError("i2cemu not found: pass i2cemu=PATH or set "
                                "I2CEMU_BIN")
    return str(path)


class Board:
    """Start a board, steer it, stop it:

        with Board(devices=["tmp102,addr=0x48"]) as board:
            board["tmp102@1-0048"].temperature = 41.5
            subprocess.run(["i2cget", "-y", "1", "0x48", "0", "w"],
                           env=board.env)

    devices are -d strings, board_file a -f file; args are more i2cemu
    options. board.env is os.environ plus what a program needs to see the
    buses (LD_PRELOAD, I2CEMU_SOCKET) and to steer them (I2CEMU_CONTROL).
    """

    def __init__(self, devices=(), board_file=None, i2cemu=None, args=(),
                 start_timeout=30.0):
        if isinstance(devices, str):
            devices = [devices]
        self.argv = [_find_i2cemu(i2cemu)]
        for d in devices:
            self.argv += ["-d", d]
        if board_file is not None:
            self.argv += ["-f", str(board_file)]
        self.argv += [*args]
        self.start_timeout = start_timeout
        self.proc = None
        self.control = None
        self.env = None
        self.returncode = None
        self._dir = None
        self._stderr = None

    # ---- life cycle ----------------------------------------------------

    def start(self):
        self._dir = tempfile.mkdtemp(prefix="i2cemu-")  # 0700: ours alone
        self._stderr = tempfile.TemporaryFile(dir=self._dir)
        env = {k: v for k, v in os.environ.items() if k not in _NAMES}
        self.proc = subprocess.Popen(
            [*self.argv, "--socket", os.path.join(self._dir, "i2cemu.sock"),
             "run", "--no-cuse"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=self._stderr, env=env)
        try:
            banner = self._read_banner()
            found = {}
            for line in _EXPORT.findall(banner):
                for word in line.split(" "):
                    name, _, value = word.partition("=")
                    if name in _NAMES:
                        found[name] = value
            missing = [n for n in _NAMES if n not in found]
            if missing:
                raise RuntimeError(f"i2cemu printed no {missing}: {banner}")
            self.env = {**env, **found}
            self.control = Control(found["I2CEMU_CONTROL"])
        except BaseException:
            self.stop()
            raise
        return self

    def _read_banner(self):
        out = b""
        deadline = time.monotonic() + self.start_timeout
        fd = self.proc.stdout.fileno()
        while not out.endswith(b"Stop with Ctrl-C.\n"):
            left = deadline - time.monotonic()
            ready = select.select([fd], [], [], max(left, 0))[0]
            chunk = os.read(fd, 4096) if ready else b""
            if not chunk:
                self.proc.wait(timeout=5)
                raise RuntimeError(
                    f"i2cemu did not start (exit {self.proc.returncode}): "
                    f"{self.stderr.strip()}")
            out += chunk
        return out.decode()

    def stop(self, timeout=10.0):
        """Ask the daemon to quit (SIGTERM if it will not); returns its exit
        status."""
        if self.proc and self.proc.poll() is None:
            try:
                if not self.control:
                    raise ControlError("no control connection")
                self.control.request("quit")
            except (OSError, ValueError, ControlError):
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.control:
            self.control.close()
            self.control = None
        if self.proc:
            self.proc.stdout.close()
            self.returncode = self.proc.returncode
        if self._dir:
            self._stderr_text = self.stderr
            self._stderr.close()
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
        return self.returncode

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def stderr(self):
        """What the daemon wrote on stderr so far."""
        if self._dir is None:
            return getattr(self, "_stderr_text", "")
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    # ---- steering ------------------------------------------------------

    def list(self):
        """{"buses": [...], "devices": [...]} as the daemon lists them."""
        reply = self.control.request("list")
        return {"buses": reply["buses"], "devices": reply["devices"]}

    def __getitem__(self, name):
        """A device by its Linux name, "tmp102@1-0048" or "1-0048", or by
        the name id= gave it."""
        self.control.request("get", dev=name, props=[])
        return Device(self, name)

    def devices(self):
        return [Device(self, d["name"]) for d in self.list()["devices"]]

    def trace(self, bus=None, timeout=None):
        """A Trace: iterate it for the bus events (every bus, or bus number
        `bus`) from now on, as dicts; close it (or use `with`) to stop.
        timeout: seconds an iteration may wait (None: for ever)."""
        return Trace(self.control.path, bus=bus, timeout=timeout)

    # ---- hot-plug, reset, faults, snapshots-----------------------------------

    def add(self, spec):
        """Hot-plug a device (a -d string); returns it. It answers from the
        next transfer on."""
        return Device(self, self.control.request("add", spec=spec)["dev"])

    def remove(self, dev):
        """Unplug a device (a Device or a name): it NACKs from the next
        transfer on; a transfer in flight completes first."""
        self.control.request("del", dev=getattr(dev, "name", dev))

    def reset(self, bus):
        """Reset bus number `bus`: a transfer on it fails with EIO and every
        device sees the end of its transfer."""
        self.control.request("reset", bus=int(bus))

    def fault_add(self, spec):
        """Add a fault rule (docs/faults.md); returns its id."""
        return self.control.fault_add(spec)

    def fault_list(self):
        """The fault rules with their counters (Control.fault_list)."""
        return self.control.fault_list()

    def fault_del(self, rule):
        self.control.fault_del(rule)

    def fault_clear(self):
        self.control.fault_clear()

    def snapshot(self, path=None):
        """Save the whole board: to `path` (returns None), or, without one,
        return the snapshot document as bytes."""
        if path is not None:
            self.control.request("snapshot", action="save",
                                 file=os.path.abspath(path))
            return None
        fd, tmp = tempfile.mkstemp(dir=self._dir, suffix=".json")
        os.close(fd)
        try:
            self.control.request("snapshot", action="save", file=tmp)
            with open(tmp, "rb") as f:
                return f.read()
        finally:
            os.unlink(tmp)

    def restore(self, snapshot):
        """Restore a snapshot: bytes from snapshot(), or a file's path.
        Whole or not at all; a different board raises ControlError naming
        the first difference."""
        if isinstance(snapshot, (bytes, bytearray)):
            fd, tmp = tempfile.mkstemp(dir=self._dir, suffix=".json")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(snapshot)
                self.control.request("snapshot", action="load", file=tmp)
            finally:
                os.unlink(tmp)
        else:
            self.control.request("snapshot", action="load",
                                 file=os.path.abspath(snapshot))
