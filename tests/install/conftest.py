# SPDX-License-Identifier: MIT
"""Install tests: what `meson install` and the Debian packages put where,
and that the installed program and library work from there.

    /usr/bin/python3 -m pytest tests/install

They build the source tree afresh (release, no tests) in a scratch
directory, so they need no build tree of their own.
"""
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def run(argv, **kw):
    """Run argv; a failure shows its output."""
    p = subprocess.run(argv, capture_output=True, text=True, **kw)
    assert p.returncode == 0, f"{argv}: exit {p.returncode}\n{p.stdout}{p.stderr}"
    return p


def copy_source(dest):
    """The source tree without build trees, caches or VCS data."""
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(
        "build*", ".git", "__pycache__", "*.pyc", "cache", "obj-*"))
    return dest


@pytest.fixture(scope="session")
def destdir(tmp_path_factory):
    """`meson install` of a release build into DESTDIR, prefix /usr."""
    tmp = tmp_path_factory.mktemp("install")
    build, dest = tmp / "build", tmp / "dest"
    run(["meson", "setup", str(build), "--prefix=/usr",
         "--buildtype=release", "-Dtests=disabled"], cwd=ROOT)
    run(["nice", "ninja", "-C", str(build)])
    run(["meson", "install", "-C", str(build), "--destdir", str(dest),
         "--quiet"])
    return dest


def multiarch():
    return run(["gcc", "-print-multiarch"]).stdout.strip()


def installed_files(top):
    """Every file and symlink under top, as paths relative to it."""
    return {str(p.relative_to(top)) for p in top.rglob("*")
            if p.is_file() or p.is_symlink()}


def tools_env():
    env = {k: v for k, v in os.environ.items()
           if k not in ("LD_PRELOAD", "I2CEMU_SOCKET", "I2CEMU_PRELOAD",
                        "CMOCKA_MESSAGE_OUTPUT")}
    env["PATH"] = env.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin"
    return env
