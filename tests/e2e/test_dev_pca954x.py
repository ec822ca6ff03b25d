# SPDX-License-Identifier: MIT
"""PCA954x I2C switches and muxes through the real i2c-tools: each
channel is its own /dev/i2c-N, and a transfer on it selects the channel
through the parent first, as Linux's i2c-mux core does."""
import pytest

BOARD = ["-d", "pca9548,addr=0x70",
         "-d", "lm75,addr=0x48,bus=4,temperature=25",
         "-d", "lm75,addr=0x48,bus=5,temperature=30"]  # channels 2, 3


@pytest.mark.preload  # the bus listing: CUSE nodes show no adapter names
def test_i2cdetect_lists_the_channels(emu):
    r = emu(*BOARD, cmd="i2cdetect -l")
    assert r.status == 0, r
    lines = [ln.split("\t") for ln in r.out.splitlines()]
    # Bus 1, then channels 0-7 on the next free numbers, 2-9.
    assert [ln[0] for ln in lines] == [f"i2c-{n}" for n in range(1, 10)], r
    assert [ln[2].strip() for ln in lines[1:]] == [
        f"i2c-1-mux (chan_id {c})" for c in range(8)], r


def test_lm75_behind_a_channel(emu):
    """The probe's plain read of the control register, then word reads on
    channels 2 and 3 (/dev/i2c-4, -5): each selects its channel, which the
    control register shows; a channel with nothing at 0x48 NACKs."""
    r = emu(*BOARD,
            cmd="i2cget -y 1 0x70 && i2cget -y 4 0x48 0 w && "
                "i2cget -y 1 0x70 && i2cget -y 5 0x48 0 w && "
                "i2cget -y 1 0x70 && i2cget -y 1 0x48 0 w; "
                "i2cget -y 2 0x48 0 w; i2cget -y 1 0x70")
    assert (r.status, r.out) == (
        0, "0x00\n0x0019\n0x04\n0x001e\n0x08\n0x001e\n0x01\n"), r
    assert "Read failed" in r.err, r


def test_two_channels_collide(emu):
    """Channels 2 and 3 connected by hand: both LM75s answer 0x48 on the
    parent, their bytes wired-AND (0x19 & 0x1e)."""
    r = emu(*BOARD, cmd="i2cset -y 1 0x70 0x0c && i2cget -y 1 0x48 0 w")
    assert (r.status, r.out, r.err) == (0, "0x0018\n", ""), r


def test_pca9547_and_runtime_value(emu, i2cemu_bin):
    """A multiplexer's channel numbered from first_bus; a temperature set
    through the control plane is read back through the channel."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "pca9547,addr=0x71,first_bus=10",
            "-d", "lm75,addr=0x48,bus=16",
            cmd=f"{ctl} set 16-0048 temperature=41.5 && "
                f"i2cget -y 16 0x48 0 w && i2cget -y 1 0x71")
    assert (r.status, r.out, r.err) == (0, "0x8029\n0x0e\n", ""), r
