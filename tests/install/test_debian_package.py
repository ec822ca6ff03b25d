# SPDX-License-Identifier: MIT
"""The Debian packages: `dpkg-buildpackage -us -uc -b` builds them from a
copy of the tree, lintian finds no error, together they hold every file
`meson install` installs, and the unpacked i2cemu package runs a command
with no build tree around."""
import os
import subprocess

import pytest

from conftest import copy_source, installed_files, multiarch, run, tools_env

PACKAGES = ["i2cemu", "libi2cemu0", "libi2cemu-dev", "python3-i2cemu"]


@pytest.fixture(scope="module")
def debs(tmp_path_factory):
    """{package: path of its .deb}, built in a scratch copy (the .debs land
    in its parent directory)."""
    tmp = tmp_path_factory.mktemp("deb")
    src = copy_source(tmp / "i2cemu")
    env = {**tools_env(), "DEB_BUILD_OPTIONS": "nocheck noddebs"}
    run(["nice", "dpkg-buildpackage", "-us", "-uc", "-b"], cwd=src, env=env)
    version = run(["dpkg-parsechangelog", "-S", "Version"],
                  cwd=src).stdout.strip()
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    # The Python client is the same on every architecture.
    return {p: tmp / f"{p}_{version}_"
               f"{'all' if p.startswith('python3-') else arch}.deb"
            for p in PACKAGES}


def contents(deb):
    """The paths a .deb holds (files and symlinks), like installed_files()."""
    listing = run(["dpkg-deb", "-c", str(deb)]).stdout.splitlines()
    paths = set()
    for line in listing:
        if line.startswith("d"):
            continue
        path = line.split(None, 5)[5].split(" -> ")[0]
        paths.add(path.removeprefix("./"))
    return paths


def test_packages_hold_what_meson_installs(debs, destdir):
    lib = f"usr/lib/{multiarch()}"
    have = {p: contents(d) for p, d in debs.items()}
    # dh compresses documents and man pages.
    unpacked = {f.removesuffix(".gz") for files in have.values()
                for f in files}
    assert installed_files(destdir) <= unpacked
    assert {"usr/bin/i2cemu", f"{lib}/i2cemu/libi2cemu-preload.so",
            f"{lib}/i2cemu/libi2cemu-record.so",
            "usr/share/man/man1/i2cemu.1.gz",
            "usr/share/doc/i2cemu/examples/sensors.cfg"} <= have["i2cemu"]
    py = "usr/lib/python3/dist-packages/i2cemu"
    assert {f"{py}/{m}.py" for m in ("__init__", "board", "control",
                                     "pytest_plugin")} <= \
        have["python3-i2cemu"]
    assert not any("__pycache__" in f for f in have["python3-i2cemu"])
    assert {f"{lib}/libi2cemu.so.0", f"{lib}/libi2cemu.so.0.1.0"} <= \
        have["libi2cemu0"]
    assert {"usr/include/i2cemu/i2cemu.h", f"{lib}/libi2cemu.a",
            f"{lib}/libi2cemu.so", f"{lib}/pkgconfig/i2cemu.pc"} <= \
        have["libi2cemu-dev"]


def test_lintian_finds_no_error(debs):
    changes = next(debs["i2cemu"].parent.glob("*.changes"))
    p = subprocess.run(["lintian", "--fail-on", "error", str(changes)],
                       capture_output=True, text=True, env=tools_env())
    assert p.returncode == 0, p.stdout + p.stderr
    assert "E:" not in p.stdout, p.stdout


def test_unpacked_package_runs_a_command(debs, tmp_path):
    """The i2cemu package alone, unpacked where no build tree is: the
    program finds the shim it came with."""
    root = tmp_path / "root"
    run(["dpkg-deb", "-x", str(debs["i2cemu"]), str(root)])
    env = {**tools_env(), "XDG_RUNTIME_DIR": str(tmp_path)}
    p = subprocess.run([str(root / "usr/bin/i2cemu"), "-d", "24c02,addr=0x50",
                        "--", "i2cget", "-y", "1", "0x50", "0"],
                       cwd=os.sep, env=env, capture_output=True, text=True)
    assert (p.returncode, p.stdout, p.stderr) == (0, "0xff\n", "")


def test_unpacked_python_client_starts_a_board(debs, tmp_path):
    """The Python client python3-i2cemu installs drives i2cemu's program."""
    root = tmp_path / "root"
    for p in ("i2cemu", "python3-i2cemu"):
        run(["dpkg-deb", "-x", str(debs[p]), str(root)])
    env = {**tools_env(), "XDG_RUNTIME_DIR": str(tmp_path),
           "PYTHONPATH": str(root / "usr/lib/python3/dist-packages"),
           "I2CEMU_BIN": str(root / "usr/bin/i2cemu")}
    script = ("from i2cemu import Board\n"
              "with Board(devices=['tmp102,addr=0x48']) as b:\n"
              "    b['tmp102@1-0048'].temperature = 41.5\n"
              "    print(b['1-0048'].temperature)\n")
    p = subprocess.run(["/usr/bin/python3", "-c", script], cwd=os.sep,
                       env=env, capture_output=True, text=True)
    assert (p.returncode, p.stdout, p.stderr) == (0, "41.5\n", "")
