# SPDX-License-Identifier: MIT
"""Tests of the Python client (python/i2cemu) and its pytest plugin, run
from the source tree:
    PYTHONPATH=python /usr/bin/python3 -m pytest -p i2cemu.pytest_plugin \
        tests/python
I2CEMU_BIN names the i2cemu binary (default: build-asan/src/cli/i2cemu).
"""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
os.environ.setdefault("I2CEMU_BIN", str(ROOT / "build-asan/src/cli/i2cemu"))
# A sanitizer finding in the daemon makes it exit 99, which the tests see.
os.environ["ASAN_OPTIONS"] = "detect_leaks=1:exitcode=99"
os.environ["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:exitcode=99"
os.environ["PATH"] = os.environ.get("PATH", "/usr/bin:/bin") + ":/usr/sbin"
