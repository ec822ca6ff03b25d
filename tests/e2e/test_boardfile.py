# SPDX-License-Identifier: MIT
"""Board files as a user expects them: paths relative to the file, input
from stdin, and bad input (endless, binary, empty, ambiguous) refused with
exit status 2, a FILE:LINE: and a short message, before anything starts."""
import subprocess

import pytest

from conftest import environment

EMPTY = ("no bus or device in it (--allow-empty serves an empty board)")


def refused(r, tmp_path, message):
    assert (r.status, r.out, r.err) == (2, "", f"i2cemu: {message}\n"), r
    assert not (tmp_path / "ran").exists()


BAD = [
    # 1 MiB of comment lines, and one byte more
    (("#" * 63 + "\n") * 16384 + "#", "big.cfg:16385: board file larger "
                                      "than 1048576 bytes"),
    ("bus 1\n" + "#" * 513 + "\n", "big.cfg:2: line longer than 512 bytes"),
    ("bus 1\n24c02\0,addr=0x50\n", "big.cfg:2: byte 0x00 is not text"),
    ("\x7fELF\x02\x01\x01\0", "big.cfg:1: byte 0x7f is not text"),
    ("24c02,addr=0x50 \x1b[2J\n", "big.cfg:1: byte 0x1b is not text"),
    ("", f"big.cfg: {EMPTY}"),
    ("# only comments\n\n", f"big.cfg: {EMPTY}"),
    ("bus 1 name=main\nbus 2 name=main\n",
     "big.cfg:2: bus 2: name=main: another bus has that name"),
    # a device's own messages quote 40 bytes of a value, not all 400
    ("24c02,addr=0x50,wp=" + "x" * 400 + "\n",
     "big.cfg:1: wp=" + "x" * 40 + "...: expected on or off"),
    ("tmp" + "9" * 400 + ",addr=0x48\n",
     "big.cfg:1: unknown device type 'tmp" + "9" * 37 + "...' "
     "(see: i2cemu devices)"),
]
BAD_IDS = ["big", "long-line", "nul", "elf", "escape", "empty",
           "comments-only", "same-name", "long-value", "long-type"]


@pytest.mark.parametrize("content, message", BAD, ids=BAD_IDS)
def test_bad_board_file(emu, tmp_path, content, message):
    (tmp_path / "big.cfg").write_bytes(content.encode("latin-1"))
    refused(emu("-f", "big.cfg", cmd="touch ran"), tmp_path, message)


def test_dev_zero_is_refused_at_once(emu, tmp_path):
    """Not read to the end (it has none), nor into memory."""
    r = emu("-f", "/dev/zero", cmd="touch ran", timeout=10)
    refused(r, tmp_path, "/dev/zero:1: byte 0x00 is not text")


def test_messages_quote_a_short_escaped_excerpt(emu, tmp_path):
    long_name = "d/" * 100 + "board.cfg"
    refused(emu("-f", long_name, cmd="touch ran"), tmp_path,
            "d/" * 64 + "...: No such file or directory")
    refused(emu("-d", "24c02,addr=0x50\x1b[2J", cmd="touch ran"), tmp_path,
            "-d 24c02,addr=0x50\\x1b[2J: byte 0x1b is not text")
    refused(emu("-d", "x" * 513, cmd="touch ran"), tmp_path,
            "-d " + "x" * 64 + "...: longer than 512 bytes")


def test_long_messages_are_whole(emu, tmp_path):
    """The longest line a board may hold: its value is quoted short, and
    the sentence around it whole."""
    (tmp_path / "b.cfg").write_text("x" * 490 + ",addr=0x50\n")
    refused(emu("-f", "b.cfg", cmd="touch ran"), tmp_path,
            f"b.cfg:1: unknown device type '{'x' * 40}...' (see: i2cemu "
            "devices)")


def test_allow_empty(emu, tmp_path):
    (tmp_path / "empty.cfg").write_text("# nothing yet\n")
    r = emu("--allow-empty", "-f", "empty.cfg", cmd="i2cdetect -l")
    assert (r.status, r.out, r.err) == (0, "", ""), r


def test_file_is_relative_to_the_board_file(emu, tmp_path):
    """Not to the current directory: the fixture next to the board file
    is the one served, wherever i2cemu runs."""
    (tmp_path / "boards").mkdir()
    (tmp_path / "boards/ee.bin").write_bytes(bytes(range(256)))
    (tmp_path / "boards/b.cfg").write_text(
        "24c02,addr=0x50,file=ee.bin\n"
        f"24c02,addr=0x51,file={tmp_path}/abs.bin\n")
    (tmp_path / "abs.bin").write_bytes(bytes(range(255, -1, -1)))
    r = emu("-f", "boards/b.cfg",
            cmd="i2cget -y 1 0x50 0x42; i2cget -y 1 0x51 0x43; "
                "test -e ee.bin || echo no ee.bin here")
    assert (r.status, r.out, r.err) == (0, "0x42\n0xbc\nno ee.bin here\n",
                                        ""), r


def test_board_from_stdin(i2cemu_bin, tmp_path):
    board = "bus 2 speed=400k\ntmp102,addr=0x48,bus=2,temperature=41.5\n"
    p = subprocess.run([str(i2cemu_bin), "-f", "-", "--", "i2cget", "-y",
                        "2", "0x48", "0", "w"], input=board, cwd=tmp_path,
                       env=environment(tmp_path), capture_output=True,
                       text=True, timeout=60)
    assert (p.returncode, p.stdout, p.stderr) == (0, "0x8029\n", "")
    p = subprocess.run([str(i2cemu_bin), "-f", "-", "--", "true"], input="",
                       cwd=tmp_path, env=environment(tmp_path),
                       capture_output=True, text=True, timeout=60)
    assert (p.returncode, p.stderr) == (2, f"i2cemu: <stdin>: {EMPTY}\n")
