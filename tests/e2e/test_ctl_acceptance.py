# SPDX-License-Identifier: MIT
"""The control plane's acceptance line, through whatever frontend the
suite runs on: the preload shim here, real CUSE nodes in the VM suite
(tests/vm/guest/e2e.sh runs every test not marked `preload`)."""
import os
import time


def ctl_command(i2cemu_bin):
    # In the VM, I2CEMU_BIN is a wrapper that adds --cuse; `ctl` is the
    # real binary's. env -u: an ASan build cannot run under the shim.
    real = os.environ.get("I2CEMU_REAL") or str(i2cemu_bin)
    return f"env -u LD_PRELOAD {real} ctl"


def test_command_steers_its_own_board(emu, i2cemu_bin):
    """-- COMMAND gets I2CEMU_CONTROL: set a temperature, read it back with
    i2cget; `ctl quit` ends the command."""
    ctl = ctl_command(i2cemu_bin)
    r = emu("-d", "tmp102,addr=0x48",
            cmd=f'test -S "$I2CEMU_CONTROL" && '
                f'{ctl} set tmp102@1-0048 temperature=41.5 && '
                f'i2cget -y 1 0x48 0 w')
    assert (r.status, r.out, r.err) == (0, "0x8029\n", ""), r
    start = time.monotonic()
    r = emu("-d", "tmp102,addr=0x48", cmd=f"{ctl} quit; sleep 30")
    assert r.status == 128 + 15 and time.monotonic() - start < 20, r


def test_hotplug_under_a_command(emu, i2cemu_bin):
    """add and del seen by i2cdetect, from the command the board runs."""
    ctl = ctl_command(i2cemu_bin)
    r = emu("-d", "tmp102,addr=0x48",
            cmd=f"i2cdetect -y 1 && "
                f"{ctl} add lm75,addr=0x4c >/dev/null && "
                f"i2cdetect -y 1 && {ctl} del 1-0048 && i2cdetect -y 1")
    assert r.status == 0, r
    # Each scan: the addresses found, from its rows ("40: -- 48 ...").
    scans, found = [], None
    for line in r.out.splitlines():
        if line.split()[:2] == ["0", "1"]:
            found = []
            scans.append(found)
        elif found is not None and line[2:3] == ":":
            found += [w for w in line.split()[1:] if w != "--"]
    assert scans == [["48"], ["48", "4c"], ["4c"]], r
