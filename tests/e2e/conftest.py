# SPDX-License-Identifier: MIT
"""End-to-end tests: the real i2c-tools and python3-smbus2, run by
`i2cemu ... -- COMMAND` through the preload shim.

Run with Debian's python (it has smbus2):
    /usr/bin/python3 -m pytest tests/e2e
I2CEMU_BIN names the i2cemu binary (default: build-asan/src/cli/i2cemu).
"""
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("I2CEMU_BIN",
                                  ROOT / "build-asan/src/cli/i2cemu"))
SCRIPTS = pathlib.Path(__file__).resolve().parent / "scripts"
PYTHON = "/usr/bin/python3"  # Debian's, with python3-smbus2


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "preload: about the preload frontend itself (its socket, "
        "banner, paths) or the bus listing, which a CUSE node cannot show; "
        "the VM suite runs the rest through CUSE with -m 'not preload'")


def environment(tmp_path):
    """What i2cemu runs with in these tests."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    env.pop("I2CEMU_SOCKET", None)
    env.pop("I2CEMU_CONTROL", None)
    # i2c-tools live in sbin, which a user's PATH may lack.
    env["PATH"] = env.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin"
    # Sanitizer findings in i2cemu must fail the test through its exit
    # status, leaks included.
    env["ASAN_OPTIONS"] = "detect_leaks=1:exitcode=99"
    env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:exitcode=99"
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    return env


class Run:
    """What one i2cemu run gave."""

    def __init__(self, proc):
        self.status = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def __repr__(self):
        return (f"<exit {self.status}\n--- stdout\n{self.out}"
                f"--- stderr\n{self.err}>")


@pytest.fixture(scope="session")
def i2cemu_bin():
    if not os.access(BIN, os.X_OK):
        pytest.fail(f"{BIN} is not built (set I2CEMU_BIN to the i2cemu "
                    "binary)", pytrace=False)
    for tool in ("i2cdetect", "i2cget", "i2cset", "i2cdump", "i2ctransfer"):
        if not shutil.which(tool, path="/usr/sbin:/usr/bin"):
            pytest.fail(f"{tool} missing: install i2c-tools", pytrace=False)
    return BIN


@pytest.fixture
def emu(i2cemu_bin, tmp_path):
    """emu(*i2cemu_args, cmd=[...]) runs `i2cemu ARGS -- CMD` in tmp_path.
    A string cmd runs under sh -c; env adds environment variables."""

    def run(*args, cmd=None, env=None, timeout=60):
        argv = [str(i2cemu_bin), *args]
        if cmd is not None:
            argv += ["--", *(["sh", "-c", cmd] if isinstance(cmd, str)
                             else cmd)]
        proc = subprocess.run(argv, cwd=tmp_path,
                              env={**environment(tmp_path), **(env or {})},
                              capture_output=True, text=True,
                              timeout=timeout)
        r = Run(proc)
        assert "Sanitizer" not in r.err and "runtime error" not in r.err, r
        return r

    return run


@pytest.fixture
def script():
    """The argv to run one of scripts/*.py with Debian's python."""
    return lambda name, *args: [PYTHON, str(SCRIPTS / name), *map(str, args)]


@pytest.fixture
def spawn(i2cemu_bin, tmp_path):
    """Start i2cemu in the background (for `run`), with binary pipes;
    yields a Popen factory and kills what is still running at the end."""
    procs = []

    def start(*args):
        p = subprocess.Popen([str(i2cemu_bin), *args], cwd=tmp_path,
                             env=environment(tmp_path), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        procs.append(p)
        return p

    yield start
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()


@pytest.fixture
def image(tmp_path):
    """ee.bin: a 24c02 image whose cell i holds i, so that every value
    read names the cell it came from. Returns a function that reads the
    file back (after i2cemu has exited)."""
    (tmp_path / "ee.bin").write_bytes(bytes(range(256)))
    return lambda: (tmp_path / "ee.bin").read_bytes()


# The board most tool tests use: an EEPROM with the image above.
EEPROM = ["-d", "24c02,addr=0x50,file=ee.bin"]
