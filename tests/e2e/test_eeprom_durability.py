# SPDX-License-Identifier: MIT
"""EEPROM image files: who may use one, and what a full disk does."""
import os
import subprocess

import pytest


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB tmpfs at tmp_path/disk (root only), unmounted after."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)],
            capture_output=True).returncode != 0:
        pytest.skip("needs root to mount a small tmpfs")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def _fill(disk):
    fd = os.open(disk / "fill", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


@pytest.mark.parametrize("room_later", [False, True])
def test_full_disk_refuses_writes_and_fails_the_run(emu, small_disk,
                                                    room_later):
    # A sparse image: writing a cell needs a block the full disk lacks.
    with open(small_disk / "ee.bin", "wb") as f:
        f.truncate(256)
    _fill(small_disk)
    free = "rm disk/fill" if room_later else "true"
    r = emu("-d", "24c02,addr=0x50,file=disk/ee.bin",
            cmd="i2cset -y 1 0x50 0x10 0xab; echo first=$?; " + free + "; "
                "i2cset -y 1 0x50 0x11 0xcd; echo second=$?; "
                "i2cget -y 1 0x50 0x10")
    if room_later:
        # Once the disk has room, the whole image is saved again.
        assert (r.status, r.out) == (0, "first=0\nsecond=0\n0xab\n"), r
        assert "saved again" in r.err, r
        assert (small_disk / "ee.bin").read_bytes()[0x10:0x12] == b"\xab\xcd"
    else:
        # The first write was acknowledged before its STOP found the disk
        # full; the next one is refused; reads still work; i2cemu fails.
        assert (r.status, r.out) == (1, "first=0\nsecond=1\n0xab\n"), r
        assert ("disk/ee.bin: write: No space left on device; writes are "
                "refused until the image can be saved") in r.err, r
        assert "disk/ee.bin: data written to the part is not saved" in r.err


def test_image_must_be_our_own_file(emu, tmp_path):
    (tmp_path / "real.bin").write_bytes(bytes(256))
    os.symlink("real.bin", tmp_path / "link.bin")
    r = emu("-d", "24c02,addr=0x50,file=link.bin", cmd="true")
    assert r.status == 2, r
    assert "link.bin: a symbolic link" in r.err, r
    if os.geteuid() == 0:
        os.chown(tmp_path / "real.bin", 1000, 1000)
        r = emu("-d", "24c02,addr=0x50,file=real.bin", cmd="true")
        assert r.status == 2, r
        assert "real.bin: owned by user " in r.err, r
        assert "(uid 1000), not by the user i2cemu runs as (uid 0)" in r.err


def test_wrong_size_image_is_refused(emu, tmp_path):
    (tmp_path / "ee.bin").write_bytes(b"")
    r = emu("-d", "24c02,addr=0x50,file=ee.bin", cmd="true")
    assert r.status == 2, r
    assert "ee.bin: 0 bytes, but a 24c02 holds 256" in r.err, r

