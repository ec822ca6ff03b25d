# SPDX-License-Identifier: MIT
"""The README's first command, scripts/demo: it runs the demo board and
leaves i2cemu on PATH, where the README's first example then works."""
import os
import subprocess

import pytest

from conftest import copy_source, run, tools_env


@pytest.mark.skipif(os.geteuid() != 0, reason="scripts/demo installs as root")
def test_demo_leaves_i2cemu_on_path(tmp_path):
    src = copy_source(tmp_path / "i2cemu")
    dest = tmp_path / "dest"
    bindir = dest / "usr/local/bin"
    env = {**tools_env(), "DESTDIR": str(dest),
           "PATH": f"{bindir}:{tools_env()['PATH']}",
           "XDG_RUNTIME_DIR": str(tmp_path)}
    out = run([str(src / "scripts/demo")], cwd=tmp_path, env=env).stdout
    lines = out.splitlines()
    assert lines[0] == f"i2cemu is {bindir}/i2cemu"
    assert "00: 69 32 63 65 6d 75 20 64 65 6d 6f 20 62 61 6e 6b    " \
           "i2cemu demo bank" in lines
    assert lines[-1] == "0x0019"

    p = subprocess.run(["i2cemu", "-d", "24c02,addr=0x50", "--", "sh", "-c",
                        "i2cset -y 1 0x50 0x10 0xab && i2cget -y 1 0x50 0x10"],
                       cwd=tmp_path, env=env, capture_output=True, text=True)
    assert (p.returncode, p.stdout, p.stderr) == (0, "0xab\n", "")
