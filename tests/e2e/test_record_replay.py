# SPDX-License-Identifier: MIT
"""Record and replay end to end (docs/record-replay.md): `i2cemu record`
stacked in front of the emulation shim records a session of the real
i2c-tools and smbus2 against a board standing in for the hardware; a
board of `replay` devices then gives the same session the same output,
byte for byte, and reports a request that differs."""
import os

import pytest

pytestmark = pytest.mark.preload

# A scripted smbus2 session: writes, reads of every SMBus kind a sensor
# driver uses, a combined I2C_RDWR, and an absent address.
SMBUS2 = r"""
from smbus2 import SMBus, i2c_msg
with SMBus(1) as bus:
    bus.write_byte_data(0x50, 0x10, 0x5a)
    bus.write_i2c_block_data(0x50, 0x20, [1, 2, 3, 4])
    print(hex(bus.read_byte_data(0x50, 0x10)))
    print(bus.read_i2c_block_data(0x50, 0x1e, 8))
    w, r = i2c_msg.write(0x50, [0x21]), i2c_msg.read(0x50, 3)
    bus.i2c_rdwr(w, r)
    print(list(r))
    print(hex(bus.read_word_data(0x48, 0)))
    bus.write_byte(0x50, 0x22)
    print(hex(bus.read_byte(0x50)))
    try:
        bus.read_byte(0x33)
    except OSError as e:
        print("absent:", e.errno)
"""

SESSION = """\
set -e
/usr/bin/python3 smbus2_session.py
sleep 0.1
i2cdump -y 1 0x50 b
i2cdump -y 1 0x48 w
i2cget -y 1 0x50 0x10
i2ctransfer -y 1 w1@0x50 0x20 r4
"""

# The i2cemu under test runs `i2cemu record` under the emulation shim: an
# ASan build must not insist on coming first there.
RECORD = ('ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" '
          '"$I2CEMU" record -o rec.txt -- sh session.sh')


@pytest.fixture
def session(tmp_path):
    (tmp_path / "smbus2_session.py").write_text(SMBUS2)
    (tmp_path / "session.sh").write_text(SESSION)


def record(emu, i2cemu_bin, tmp_path):
    r = emu("-d", "24c02,addr=0x50", "-d", "tmp102,addr=0x48", cmd=RECORD,
            env={"I2CEMU": str(i2cemu_bin)})
    assert r.status == 0, r
    return r, (tmp_path / "rec.txt").read_text()


def test_a_recorded_session_replays_byte_for_byte(emu, i2cemu_bin, tmp_path,
                                                   session):
    live, rec = record(emu, i2cemu_bin, tmp_path)
    lines = rec.splitlines()
    assert lines[0] == "# i2cemu-recording 1"
    # What each kind of call looks like in the file.
    assert "i2c-1 smbus 50:w byte_data 10 5a>- = 0" in lines
    assert "i2c-1 smbus 50:r byte_data 10 ->5a = 0" in lines
    assert "i2c-1 rdwr 50:w:21 50:r:020304 = 2" in lines
    assert "i2c-1 smbus 33:r byte 00 ->- = -1 ENXIO" in lines
    assert "i2c-1 rdwr 50:w:20 50:r:01020304 = 2" in lines
    # Every transfer, each on its line: the byte dump's 256 reads too.
    assert sum(line.startswith("i2c-1 smbus 50:r byte_data ")
               for line in lines) == 1 + 256 + 1

    replayed = emu("-d", "replay,addr=0x50,file=rec.txt",
                   "-d", "replay,addr=0x48,file=rec.txt", cmd="sh session.sh")
    assert replayed.status == 0, replayed
    assert replayed.out == live.out
    assert "0x5a\n" in live.out and "absent: 6\n" in live.out
    assert "mismatch" not in replayed.err


def test_a_request_that_differs_is_reported(emu, i2cemu_bin, tmp_path,
                                            session):
    record(emu, i2cemu_bin, tmp_path)
    # The session reads register 0x10 first; this reads 0x11.
    r = emu("-d", "replay,addr=0x50,file=rec.txt",
            "-d", "replay,addr=0x48,file=rec.txt",
            cmd="i2cset -y 1 0x50 0x11 0x5a; echo status $?")
    assert r.out == "status 1\n", r
    assert ("i2cemu: replay@1-0050: mismatch in transfer 1 (rec.txt line 2): "
            "expected \"W 10 5a\", got \"W 11\": another byte\n") in r.err, r


def test_register_mode_answers_in_any_order(emu, i2cemu_bin, tmp_path,
                                            session):
    live, _ = record(emu, i2cemu_bin, tmp_path)
    # Backwards through the registers the session read, one at a time.
    cmd = "; ".join(f"i2cget -y 1 0x50 0x{reg:02x}"
                    for reg in range(0x23, 0x1d, -1))
    r = emu("-d", "replay,addr=0x50,file=rec.txt,mode=register", cmd=cmd)
    assert r.status == 0, r
    assert r.out.split() == ["0x04", "0x03", "0x02", "0x01", "0xff", "0xff"]
    dump = emu("-d", "replay,addr=0x50,file=rec.txt,mode=register",
               cmd="i2cdump -y 1 0x50 b")
    assert dump.out in live.out


# Transfers that fail: a NACK mid-transfer (EIO), a stretch past the
# adapter's timeout (ETIMEDOUT), nothing at the address (ENXIO).
FAILING = """\
i2ctransfer -y 1 w2@0x50 0x10 0xab; echo "status $?"
i2ctransfer -y 1 w2@0x50 0x11 0xcd; echo "status $?"
i2cget -y 1 0x51 0x00; echo "status $?"
i2ctransfer -y 1 w1@0x51 0x00 r1; echo "status $?"
i2cget -y 1 0x50 0x12; echo "status $?"
"""


def test_failed_transfers_replay_with_their_errno(emu, i2cemu_bin, tmp_path):
    (tmp_path / "session.sh").write_text(FAILING)
    live = emu("-d", "24c02,addr=0x50,id=ee",
               "-F", "data-nack,dev=ee,reg=0x10,byte=1",
               "-F", "stretch,dev=ee,reg=0x11,byte=0,time=2s", cmd=RECORD,
               env={"I2CEMU": str(i2cemu_bin)})
    assert live.status == 0, live
    rec = (tmp_path / "rec.txt").read_text().splitlines()
    assert rec[1:] == ["i2c-1 rdwr 50:w:10ab = -1 EIO",
                       "i2c-1 rdwr 50:w:11cd = -1 ETIMEDOUT",
                       "i2c-1 smbus 51:r byte_data 00 ->- = -1 ENXIO",
                       "i2c-1 rdwr 51:w:00 51:r:?1 = -1 ENXIO",
                       "i2c-1 smbus 50:r byte_data 12 ->ff = 0"]
    assert live.err == ("Error: Sending messages failed: Input/output error\n"
                        "Error: Sending messages failed: Connection timed "
                        "out\n"
                        "Error: Read failed\n"
                        "Error: Sending messages failed: No such device or "
                        "address\n")

    replayed = emu("-d", "replay,addr=0x50,file=rec.txt",
                   "-d", "replay,addr=0x51,file=rec.txt", cmd="sh session.sh")
    assert replayed.status == 0, replayed
    assert (replayed.out, replayed.err) == (live.out, live.err)
    assert live.out == ("status 1\nstatus 1\nstatus 2\nstatus 1\n"
                        "0xff\nstatus 0\n")


def test_a_bad_recording_stops_the_board(emu, tmp_path):
    (tmp_path / "bad.txt").write_text("# i2cemu-recording 1\n"
                                      "i2c-1 rdwr 50:w:1g = 1\n")
    r = emu("-d", "replay,addr=0x50,file=bad.txt", cmd="true")
    assert r.status == 2, r
    assert "bad.txt:2: 50:w:1g: \"1g\" is not hex" in r.err, r
    r = emu("record", "-o", "x.txt")
    assert r.status == 2 and "expected -o FILE -- COMMAND" in r.err, r
    assert not os.path.exists(tmp_path / "x.txt")


# A daemon-like program: closes every other descriptor, the recording's
# included, behind libc's back (close_range), and opens a file that may
# get the recording's number.
CLOSER = r"""
import os
from smbus2 import SMBus
with SMBus(1) as bus:
    print(hex(bus.read_byte_data(0x50, 0x10)))
    os.closerange(bus.fd + 1, 1024)
    with open("other.txt", "w") as other:
        print(hex(bus.read_byte_data(0x50, 0x11)))
"""


def test_the_recording_never_goes_to_another_file(emu, i2cemu_bin,
                                                  tmp_path):
    (tmp_path / "closer.py").write_text(CLOSER)
    r = emu("-d", "24c02,addr=0x50",
            cmd=RECORD.replace("sh session.sh", "/usr/bin/python3 closer.py"),
            env={"I2CEMU": str(i2cemu_bin)})
    assert (r.status, r.out) == (0, "0xff\n0xff\n"), r
    assert (tmp_path / "other.txt").read_text() == ""
    assert (tmp_path / "rec.txt").read_text().splitlines()[1:] == [
        "i2c-1 smbus 50:r byte_data 10 ->ff = 0",
        "i2c-1 smbus 50:r byte_data 11 ->ff = 0"]
