# SPDX-License-Identifier: MIT
"""PCF8574/PCF8575 quasi-bidirectional expanders through the real
i2c-tools."""
import expect


def test_power_on_dump(emu):
    """No registers: i2cdump's command byte is written to the latch, and
    the read-back is latch AND the (pulled-up, high) pins, so register c
    reads c; a plain read then sees the last latch, 0xff."""
    r = emu("-d", "pcf8574,addr=0x20",
            cmd="i2cdump -y 1 0x20 b && i2cget -y 1 0x20")
    assert (r.status, r.out) == (
        0, expect.dump_bytes(list(range(256))) + "0xff\n"), r


def test_pcf8575_reads_both_ports(emu, i2cemu_bin):
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "pcf8575,addr=0x21",
            cmd=f"i2ctransfer -y 1 r2@0x21 && "
                f"{ctl} set 1-0021 inputs=0x12f0 && "
                f"i2ctransfer -y 1 w2@0x21 0x3f 0xff r2 && "
                f"{ctl} get 1-0021 outputs")
    assert (r.status, r.out, r.err) == (
        0, "0xff 0xff\n0x30 0x12\noutputs = 0xff3f\n", ""), r
