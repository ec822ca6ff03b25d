# SPDX-License-Identifier: MIT
"""The control protocol: newline-delimited JSON over a unix socket."""
import json
import os
import socket
import subprocess
import threading

PROTOCOL_VERSION = 1
_DEFAULT = object()


class ControlError(Exception):
    """The daemon refused a request; str() is its message."""


class Control:
    """One connection to a control socket. Requests are answered in order,
    one at a time (a lock serialises threads)."""

    def __init__(self, path, timeout=30.0):
        self.path = path
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(timeout)
        self._sock.connect(path)
        self._timeout = timeout
        self._buf = b""
        self._lock = threading.Lock()
        self.request("hello", version=PROTOCOL_VERSION)

    def close(self):
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def request(self, op, io_timeout=_DEFAULT, **fields):
        """Send {"op": op, **fields}; return the reply, or raise
        ControlError with the daemon's message. io_timeout: seconds to
        wait for the reply (None: for ever); default: the connection's."""
        line = json.dumps({"op": op, **fields}).encode() + b"\n"
        with self._lock:
            self._sock.settimeout(self._timeout if io_timeout is _DEFAULT
                                  else io_timeout)
            self._sock.sendall(line)
            while b"\n" not in self._buf:
                chunk = self._sock.recv(65536)
                if not chunk:
                    raise ControlError("the daemon closed the connection")
                self._buf += chunk
            reply, self._buf = self._buf.split(b"\n", 1)
        reply = json.loads(reply)
        if not reply.get("ok"):
            raise ControlError(reply.get("error", "request failed"))
        return reply

    # ---- fault injection (docs/faults.md) --------------------------------

    def fault_add(self, spec):
        """Add a fault rule, as -F SPEC does ("data-nack,dev=1-0050,once");
        returns its id."""
        return self.request("fault", action="add", spec=spec)["fault"]

    def fault_list(self):
        """The rules, in order: dicts with id, spec, kind, matched (the
        transfers it matched) and hits (the times it acted)."""
        return self.request("fault", action="list")["faults"]

    def fault_del(self, rule):
        """Remove the rule with that id."""
        self.request("fault", action="del", fault=int(rule))

    def fault_clear(self):
        """Remove every rule, and free every stuck SDA line."""
        self.request("fault", action="clear")


def _typed(prop):
    """A property's text as a Python value of its kind."""
    value, kind = prop["value"], prop["kind"]
    if kind == "float":
        return float(value)
    if kind in ("uint", "int"):
        return int(value, 0)
    if kind == "bool":
        return value == "on"
    return value


def _json_value(value):
    return value if isinstance(value, (str, int, float, bool)) else str(value)


class Device:
    """A device on a running board: board["tmp102@1-0048"]. Properties
    read and write as attributes: dev.temperature = 41.5."""

    def __init__(self, board, name):
        object.__setattr__(self, "_board", board)
        object.__setattr__(self, "name", name)

    def __repr__(self):
        return f"<i2cemu.Device {self.name}>"

    def get(self, *props):
        """{name: value} of the given properties (all without names),
        each converted by its kind: float, int, bool or str."""
        fields = {"props": list(props)} if props else {}
        reply = self._board.control.request("get", dev=self.name, **fields)
        return {k: _typed(v) for k, v in reply["props"].items()}

    def describe(self):
        """{name: {"value", "kind", "runtime", "readonly"}} as sent."""
        return self._board.control.request("get", dev=self.name)["props"]

    def set(self, **props):
        """Set runtime properties, all of them or (on error) none."""
        self._board.control.request(
            "set", dev=self.name,
            props={k: _json_value(v) for k, v in props.items()})

    def wait_for(self, timeout=None, **prop):
        """Block until the property has the value: wait_for(power="on",
        timeout=2.0). Raises ControlError on timeout."""
        if len(prop) != 1:
            raise TypeError("wait_for takes exactly one property=value")
        (name, value), = prop.items()
        fields = {"timeout_ms": int(timeout * 1000)} if timeout is not None \
            else {}
        # Its own connection, so other threads can set meanwhile.
        with Control(self._board.control.path) as c:
            return c.request("wait", io_timeout=None if timeout is None
                             else timeout + 30, dev=self.name, prop=name,
                             value=_json_value(value), **fields)["value"]

    def frame(self):
        """What a display shows now (its read-only `frame`): a list of
        rows, each a string with "#" for a lit pixel, "." for a dark one."""
        return self.get("frame")["frame"].split("\n")

    def screenshot(self, path):
        """Save what a display shows as a PNG file, with `i2cemu ctl
        screenshot` (the PNG encoder is libpng, in the i2cemu program).
        Raises ControlError with its message if it fails."""
        board = self._board
        r = subprocess.run(
            [board.argv[0], "ctl", "--socket", board.control.path,
             "screenshot", self.name, os.path.abspath(path)],
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD"})
        if r.returncode:
            raise ControlError(r.stderr.strip().removeprefix(
                "i2cemu ctl: "))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.get(name)[name]
        except ControlError as e:
            raise AttributeError(str(e)) from None

    def __setattr__(self, name, value):
        if name.startswith("_") or name == "name":
            raise AttributeError(f"{name} cannot be set")
        self.set(**{name: value})


class Trace:
    """The bus events of a running board, as a stream of dicts (the JSON
    lines of docs/traces.md), on a connection of its own:

        with Trace(path, bus=1) as trace:
            for event in trace:          # blocks until the next event
                ...

    A reader that falls behind loses events; it then gets
    {"kind": "dropped", "count": N} before the next event it does get.
    stop() ends the stream: iterating then yields the events still queued
    and ends; self.dropped is then how many were lost in all. close()
    stops and discards them."""

    def __init__(self, path, bus=None, timeout=None):
        self._control = Control(path)
        self._stopping = False
        self.dropped = None
        fields = {} if bus is None else {"bus": int(bus)}
        try:
            self._control.request("trace", io_timeout=timeout, **fields)
        except BaseException:
            self._control.close()
            raise
        self._control._sock.settimeout(timeout)

    def __iter__(self):
        return self

    def __next__(self):
        """The next event; StopIteration after stop(), or when the daemon
        has gone."""
        c = self._control
        while self.dropped is None:
            while b"\n" not in c._buf:
                chunk = c._sock.recv(65536)
                if not chunk:
                    raise StopIteration
                c._buf += chunk
            line, c._buf = c._buf.split(b"\n", 1)
            event = json.loads(line)
            if "ok" not in event:
                return event
            if not event["ok"]:  # only a stop is answered meanwhile
                raise ControlError(event.get("error", "request failed"))
            self.dropped = event["dropped"]
        raise StopIteration

    def stop(self):
        """Ask the daemon to end the stream (once)."""
        if not self._stopping:
            self._stopping = True
            self._control._sock.sendall(b'{"op":"trace","action":"stop"}\n')

    def close(self):
        """Stop the stream and close the connection; returns the events it
        lost in all (None when the daemon had gone)."""
        try:
            self.stop()
            for _ in self:
                pass
        except OSError:
            pass
        self._control.close()
        return self.dropped

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
