# SPDX-License-Identifier: MIT
"""The control protocol: newline-delimited JSON over a unix socket."""
import json
import socket
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
