# SPDX-License-Identifier: MIT
"""The VM suite's model-fidelity table (tests/vm/fidelity.tab,
docs/vm-tests.md) against the models, without a VM: every type has a
line, and every line's properties are ones its model has, so a type or a
property renamed fails here and not only in the guest."""
import os
import re
import subprocess

from i2cemu import Board

from conftest import ROOT

TABLE = ROOT / "tests/vm/fidelity.tab"
NO_DRIVER = {"regbank",  # i2c-stub's semantics, not a chip
             "replay"}  # answers from a recording of another chip


def lines():
    for text in TABLE.read_text().splitlines():
        if text.strip() and not text.startswith("#"):
            cols = text.split()
            assert len(cols) == 8, text
            yield cols


def types():
    out = subprocess.run([os.environ["I2CEMU_BIN"], "devices"],
                         capture_output=True, text=True, check=True).stdout
    return re.findall(r"^([a-z0-9_-]+): ", out, re.M)


def props_of(expr):
    """The property names in a MODEL expression."""
    return set(re.findall(r"[a-z_][a-z0-9_]*", expr))


def same(a, b):
    """Equal as sent: the same text, or the same number."""
    try:
        return a == b or float(a) == float(b)
    except ValueError:
        return False


def test_every_type_has_a_line():
    have = {cols[0] for cols in lines()}
    assert [t for t in types() if t not in have | NO_DRIVER] == []


def test_lines_fit_the_models(tmp_path):
    known = set(types())
    rows = [c for c in lines() if c[0] in known and c[5] != "-"]
    assert rows
    with Board() as board:
        for dev in board.devices():  # a board without -d has a default one
            board.remove(dev)
        for typ, addr, _, _, cls, compare, start, runtime in rows:
            spec = f"{typ},addr={addr}"
            if "@" in start:
                image = tmp_path / f"{typ}.bin"
                image.write_bytes(bytes(int(compare)))
                start = start.replace("@", str(image))
            if start != "-":
                spec += "," + start
            dev = board.add(spec)
            have = set(dev.describe())
            if cls not in ("eeprom", "mux"):  # a size, a channel count
                for pair in compare.split(","):
                    model = pair.split("=", 1)[1].split("~")[0]
                    assert props_of(model) <= have, (typ, model)
            if runtime != "-":
                want = dict(p.split("=", 1) for p in runtime.split(","))
                dev.set(**want)
                got = dev.describe()
                for name, value in want.items():
                    assert same(got[name]["value"], value), (typ, name, got)
            if cls != "mux":  # a mux stays: it cannot be removed
                board.remove(dev)

