# SPDX-License-Identifier: MIT
"""--trace: a session of the real i2c-tools traced as JSON lines, VCD and
pcap at once; sigrok-cli decodes the VCD and tshark reads the pcap, and
both must show exactly the transactions of the JSON trace, which must be
the ones the tools made."""
import json
import shutil
import subprocess

import pytest

from conftest import EEPROM, PYTHON

# START + write + STOP; a word read (pointer write, Sr, two bytes read);
# an absent address, NACKed.
SESSION = ("i2cset -y 1 0x50 0x10 0x42; i2cget -y 1 0x50 0x10 w; "
           "i2cget -y 1 0x60 0")

# (kind, addr, dir, byte, ack) of what SESSION puts on the wire, with the
# transfers' results on their STOPs.
WIRE = [
    ("start", 0x50, "write", None, True),
    ("byte", 0x50, "write", 0x10, True),
    ("byte", 0x50, "write", 0x42, True),
    ("stop", 1, None),
    ("start", 0x50, "write", None, True),
    ("byte", 0x50, "write", 0x10, True),
    ("restart", 0x50, "read", None, True),
    ("byte", 0x50, "read", 0x42, True),      # the byte i2cset wrote
    ("byte", 0x50, "read", 0x11, False),     # the master NACKs the last
    ("stop", 2, None),
    ("start", 0x60, "write", None, False),
    ("stop", -6, "ENXIO"),
]


def need(tool):
    if not shutil.which(tool):
        pytest.skip(f"{tool} is not installed (scripts/install-deps test)")


def load_json(path):
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0]["kind"] == "bus", lines[0]
    assert lines[0]["bus"] == 1 and lines[0]["speed_hz"] == 100000, lines[0]
    events = lines[1:]
    # Bus time only moves forward, and every line has a wall time.
    times = [e["t_ns"] for e in events]
    assert times == sorted(times), times
    assert all(e["wall"].endswith("Z") and e["bus"] == 1 for e in events)
    return events


def wire(events):
    out = []
    for e in events:
        if e["kind"] == "stop":
            out.append(("stop", e["result"], e.get("errno")))
        else:
            out.append((e["kind"], e["addr"], e["dir"], e.get("byte"),
                        e["ack"]))
    return out


def sigrok_lines(events):
    """The annotations sigrok's i2c decoder gives for these events."""
    out = []
    for e in events:
        ack = ["ACK" if e.get("ack") else "NACK"]
        if e["kind"] in ("start", "restart"):
            rw = "Read" if e["dir"] == "read" else "Write"
            out += (["Start" if e["kind"] == "start" else "Start repeat",
                     rw, f"Address {rw.lower()}: {e['addr']:02X}"] + ack)
        elif e["kind"] == "byte":
            out += [f"Data {e['dir']}: {e['byte']:02X}"] + ack
        else:
            out.append("Stop")
    return out


def pcap_messages(events):
    """(addr, flags, wire bytes in hex) per message, as tshark shows them."""
    out = []
    for e in events:
        if e["kind"] in ("start", "restart"):
            rd = e["dir"] == "read"
            out.append([f"0x{e['addr']:02x}", f"0x{int(rd):08x}",
                        f"{e['addr'] << 1 | rd:02x}"])
        elif e["kind"] == "byte":
            out[-1][2] += f"{e['byte']:02x}"
    return [tuple(m) for m in out]


@pytest.fixture
def traced(emu, image, tmp_path):
    r = emu("--trace", "vcd:bus.vcd", "--trace", "json:bus.jsonl",
            "--trace", "pcap:bus.pcap", *EEPROM, cmd=SESSION)
    assert r.out == "0x1142\n", r
    assert r.err == "Error: Read failed\n", r
    events = load_json(tmp_path / "bus.jsonl")
    assert wire(events) == WIRE
    return tmp_path, events


def test_sigrok_decodes_the_vcd_as_the_json_trace(traced):
    need("sigrok-cli")
    tmp_path, events = traced
    p = subprocess.run(["sigrok-cli", "-I", "vcd", "-i",
                        str(tmp_path / "bus.vcd"), "-P", "i2c",
                        "-A", "i2c=addr-data"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    got = [line.removeprefix("i2c-1: ") for line in p.stdout.splitlines()]
    assert got == sigrok_lines(events)


def test_tshark_reads_the_pcap_as_the_json_trace(traced):
    need("tshark")
    tmp_path, events = traced
    p = subprocess.run(["tshark", "-r", str(tmp_path / "bus.pcap"),
                        "-T", "fields", "-e", "i2c.bus", "-e", "i2c.addr",
                        "-e", "i2c.flags", "-e", "data.data"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    rows = [tuple(line.split("\t")) for line in p.stdout.splitlines()]
    assert all(row[0] == "1" for row in rows), rows
    assert [row[1:] for row in rows] == pcap_messages(events)
    assert pcap_messages(events)[2] == ("0x50", "0x00000001", "a14211")


def test_trace_one_bus_and_text(emu, tmp_path):
    """bus=N keeps one bus; several sinks run side by side with -v."""
    (tmp_path / "board.cfg").write_text("bus 1\nbus 3\n"
                                        "lm75,addr=0x48,bus=3\n"
                                        "lm75,addr=0x48,bus=1\n")
    r = emu("-v", "-f", "board.cfg", "--trace", "json:three.jsonl,bus=3",
            "--trace", "text:all.txt",
            cmd="i2cget -y 1 0x48 1; i2cget -y 3 0x48 1")
    assert r.status == 0, r
    three = [json.loads(x) for x in
             (tmp_path / "three.jsonl").read_text().splitlines()]
    assert {e["bus"] for e in three} == {3}
    assert [e["kind"] for e in three] == ["bus", "start", "byte", "restart",
                                          "byte", "stop"]
    text = (tmp_path / "all.txt").read_text()
    assert [line.split(":", 1)[1] for line in text.splitlines()] == [
        " S 48 W A 01 A Sr 48 R A 00 N P"] * 2
    assert [line.split()[0] for line in text.splitlines()] == ["i2c-1",
                                                               "i2c-3"]
    # -v prints the same lines on stderr.
    assert r.err.splitlines() == text.splitlines(), r


@pytest.mark.preload  # the command runs `i2cemu ctl` beside the shim
def test_json_trace_names_the_client_and_control_changes(emu, tmp_path,
                                                         i2cemu_bin):
    """A transfer's START and STOP carry the pid of the process that opened
    the node; a property set through the control plane is a line too."""
    r = emu("-d", "24c02,addr=0x50,id=ee", "--trace", "json:t.jsonl",
            cmd=f"{PYTHON} -c 'import os, smbus2; print(os.getpid()); "
                "smbus2.SMBus(1).read_byte_data(0x50, 0)' && "
                f"env -u LD_PRELOAD {i2cemu_bin} ctl set ee wp=on")
    assert r.status == 0, r
    pid = int(r.out.split()[0])
    events = [json.loads(x) for x in
              (tmp_path / "t.jsonl").read_text().splitlines()]
    starts = [e for e in events if e["kind"] in ("start", "restart")]
    assert [e.get("pid") for e in starts] == [pid, None]
    assert [e["pid"] for e in events if e["kind"] == "stop"] == [pid]
    assert events[-1] == {**events[-1], "kind": "set", "dev": "ee",
                          "addr": 0x50, "prop": "wp", "value": "on"}


@pytest.mark.parametrize("spec, msg", [
    ("vcd:x.vcd", "--trace vcd:x.vcd: a VCD shows one bus: add ,bus=N"),
    ("json:x,bus=7", "--trace json:x: there is no bus 7"),
    ("json:no/such/dir", "--trace json:no/such/dir: No such file or "
                         "directory"),
])
def test_trace_errors(emu, tmp_path, spec, msg):
    (tmp_path / "board.cfg").write_text("bus 1\nbus 3\n")
    r = emu("-f", "board.cfg", "--trace", spec, cmd="true")
    assert (r.status, r.err) == (1, f"i2cemu: {msg}\n"), r


def test_trace_write_error_is_reported(emu):
    """A trace that cannot be written completely fails the run at exit."""
    r = emu("--trace", "json:/dev/full", "-d", "lm75,addr=0x48",
            cmd="i2cget -y 1 0x48 0")
    assert r.out == "0x19\n", r
    assert (r.status, r.err) == (
        1, "i2cemu: trace /dev/full: not written completely\n"), r
