# SPDX-License-Identifier: MIT
"""Fault injection end to end (docs/faults.md): each kind, through the
preload shim, as smbus2 and the i2c-tools see it, with its errno."""
import json
import time

import pytest

EE = ("-d", "24c02,addr=0x50,id=ee")


@pytest.fixture
def faults(emu, script):
    """faults(*specs, ops=[...], args=()) runs scripts/faults.py with the
    ops under `i2cemu -d 24c02 -F SPEC...`; returns its output lines."""

    def run(*specs, ops, args=()):
        fs = [a for s in specs for a in ("-F", s)]
        r = emu(*EE, *fs, *args, cmd=script("faults.py", *ops))
        assert r.status == 0, r
        return r.out.split("\n")[:-1]

    return run


def test_addr_nack_gives_enxio(faults):
    assert faults("addr-nack,dev=ee,once", ops=["r:0", "r:0"]) \
        == ["ENXIO", "0xff"]


def test_data_nack_gives_eio(emu):
    # The register byte is taken, the first data byte is NACKed.
    r = emu(*EE, "-F", "data-nack,dev=ee,byte=1",
            cmd="i2ctransfer -y 1 w2@0x50 0x10 0xab; i2cget -y 1 0x50 0x10")
    assert r.status == 0, r
    assert r.err == "Error: Sending messages failed: Input/output error\n"
    assert r.out == "0xff\n"


def test_lost_arbitration_gives_eagain_after_the_retries(faults):
    # Without retries the first loss fails; with one retry a rule that
    # fires once is won on the second attempt, one that always fires not.
    assert faults("arb-loss,dev=ee,reg=0x10,byte=1,once",
                  "arb-loss,dev=ee,reg=0x20",
                  ops=["w:0x10:1", "r:0x10", "retries:1", "w:0x20:2",
                       "ctl:" + json.dumps({"op": "fault", "action": "del",
                                            "fault": 2}),
                       "w:0x20:2", "r:0x20"]) \
        == ["EAGAIN", "0xff", "ok", "EAGAIN", "ok", "ok", "0x2"]


def test_arb_loss_retried_once_succeeds(faults):
    assert faults("arb-loss,dev=ee,once",
                  ops=["retries:1", "w:0x10:7", "r:0x10"]) \
        == ["ok", "ok", "0x7"]


def test_clock_stretch_past_the_timeout_gives_etimedout(faults):
    # The adapter's timeout is 1 s; a 5 ms stretch is only slower.
    assert faults("stretch,dev=ee,reg=0x10,time=2s",
                  "stretch,dev=ee,reg=0x11,byte=1,time=5ms",
                  ops=["r:0x10", "w:0x11:3", "r:0x11"]) \
        == ["ETIMEDOUT", "ok", "0x3"]


def test_stuck_sda_gives_ebusy_until_a_bus_reset(faults):
    reset = "ctl:" + json.dumps({"op": "reset", "bus": 1})
    assert faults("sda-stuck,dev=ee,reg=0x10,once",
                  ops=["r:0x00", "r:0x10", "r:0x00", reset, "r:0x00"]) \
        == ["0xff", "EBUSY", "EBUSY", "ok", "0xff"]


def test_stuck_sda_freed_by_the_recovery_clocks(faults):
    assert faults("sda-stuck,dev=ee,clocks=3,once", ops=["w:0x10:5", "r:0x10"]) \
        == ["ok", "0x5"]


def pec(*data):
    """SMBus PEC: CRC-8, polynomial x^8 + x^2 + x + 1."""
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc << 1 ^ 0x07 if crc & 0x80 else crc << 1) & 0xFF
    return crc


def test_wrong_pec_gives_ebadmsg(faults):
    # A 24c02 knows no PEC: it serves the next cell as the PEC byte, which
    # is written here to be the right one, so only the fault can fail it.
    good = pec(0xa0, 0x10, 0xa1, 0x42)
    assert faults("bad-pec,dev=ee,once",
                  ops=["w:0x10:0x42", f"w:0x11:{good}", "pec:0x10",
                       "pec:0x10"]) == ["ok", "ok", "EBADMSG", "0x42"]


def test_bitflip_changes_the_byte_read(emu):
    r = emu(*EE, "-F", "bitflip,dev=ee,bit=7,once",
            cmd="i2cset -y 1 0x50 0x10 0x21 && i2cget -y 1 0x50 0x10 && "
                "i2cget -y 1 0x50 0x10")
    assert r.status == 0, r
    assert r.out == "0xa1\n0x21\n"


def test_bad_block_count_gives_eproto(faults):
    # A 24c02 answers a block read with its bytes: 0x03 is the count.
    assert faults("block-count,dev=ee,count=0,once",
                  "block-count,dev=ee,count=40,once",
                  ops=["w:0x10:3", "block:0x10", "block:0x10", "block:0x10"]) \
        == ["ok", "EPROTO", "EPROTO", "[255, 255, 255]"]


def test_a_gone_device_nacks_for_its_time(faults):
    # Board time on the fast clock is bus time: a 100 kHz read of a byte
    # that NACKs takes 110 us, so a 1 ms absence outlasts a few of them.
    out = faults("gone,dev=ee,time=1ms,once", ops=["r:0"] * 30)
    gone = out.index("0xff")
    assert 3 <= gone < 30 and out[:gone] == ["ENXIO"] * gone
    assert out[gone:] == ["0xff"] * (30 - gone)


def test_a_slow_device_takes_longer(faults):
    t0 = time.monotonic()
    assert faults("slow,dev=ee,time=300ms", ops=["r:0", "r:0"],
                  args=("--clock", "realtime")) == ["0xff", "0xff"]
    assert time.monotonic() - t0 >= 0.6


def test_the_json_trace_shows_the_fault(emu, tmp_path):
    r = emu(*EE, "-F", "addr-nack,dev=ee", "--trace", "json:t.json",
            cmd="i2cget -y 1 0x50 0x10")
    assert r.status == 2, r
    lines = [json.loads(x) for x in (tmp_path / "t.json").read_text()
             .splitlines()]
    assert [x["kind"] for x in lines] == ["bus", "fault", "start", "stop"]
    assert {k: lines[1][k] for k in ("rule", "fault", "addr", "dir")} \
        == {"rule": 1, "fault": "addr-nack", "addr": 0x50, "dir": "write"}
    assert lines[3]["errno"] == "ENXIO"


def test_the_text_trace_shows_the_fault(emu):
    # -v: the fault's line, then the transaction it changed.
    r = emu(*EE, "-v", "-F", "data-nack,dev=ee,byte=1",
            cmd="i2ctransfer -y 1 w2@0x50 0x10 0xab")
    assert r.status == 1, r
    lines = [x.split(": ", 1)[1] for x in r.err.splitlines()
             if x.startswith("i2c-1 ")]
    assert lines == ["fault data-nack (rule 1) 50 W",
                     "S 50 W A 10 A ab N P"]


def test_a_bad_spec_is_refused_with_its_part_named(emu):
    r = emu(*EE, "-F", "data-nack,byte=two", cmd="true")
    assert r.status == 2
    assert "-F data-nack,byte=two: fault: 'byte=two': expected a byte " \
        "index" in r.err


def test_a_board_file_fault_line(emu, tmp_path):
    (tmp_path / "b.cfg").write_text("24c02,addr=0x50\n"
                                    "fault addr-nack,dev=1-0050,once\n")
    r = emu("-f", "b.cfg", cmd="i2cget -y 1 0x50 0; i2cget -y 1 0x50 0")
    assert r.out == "0xff\n", r
    assert "Read failed" in r.err
    (tmp_path / "b.cfg").write_text("fault addr-nack,dev=1-0050\n"
                                    "24c02,addr=0x50\n")
    r = emu("-f", "b.cfg", cmd="true")
    assert r.status == 2
    assert "b.cfg:1: fault: dev=1-0050: no such device" in r.err
