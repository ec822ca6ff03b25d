# SPDX-License-Identifier: MIT
"""The i2cemu command itself: help, devices, exit statuses, bad input,
the demo board, `run` and the trace."""
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import time

import pytest

import expect
from conftest import environment


def test_acceptance_line(emu):
    r = emu("-d", "24c02,addr=0x50",
            cmd="i2cset -y 1 0x50 0x10 0xab && i2cget -y 1 0x50 0x10")
    assert (r.status, r.out, r.err) == (0, "0xab\n", ""), r


def test_help_and_version(emu):
    r = emu("--help")
    assert r.status == 0 and r.out.startswith("Usage: i2cemu "), r
    r = emu("-V")
    assert r.status == 0 and re.fullmatch(r"i2cemu \d+\.\d+\.\d+\n", r.out), r


def test_devices_lists_types_and_properties(emu):
    r = emu("devices")
    assert r.status == 0, r
    for name in ("24c02", "24c512", "lm75", "tmp102", "regbank"):
        assert re.search(rf"^{name}: \S", r.out, re.M), name
    # name (* = runtime), type, default, range, help
    assert re.search(r"^  wp\* +bool +off +on\|off +write-protect", r.out,
                     re.M), r
    tmp102 = r.out[r.out.index("\ntmp102: "):]
    assert re.search(r"^  temperature\* +float +25 +-55\.\.150 +\S", tmp102,
                     re.M), r
    # masks and register numbers in hex
    assert re.search(r"^  bank_mask +uint +0x0 +0x0\.\.0xff +bank number", r.out,
                     re.M), r


def test_command_exit_status_is_passed_on(emu):
    assert emu(cmd="exit 3").status == 3


def test_command_killed_by_a_signal(emu):
    assert emu(cmd="kill -TERM $$").status == 128 + signal.SIGTERM


def test_command_not_found(emu):
    r = emu(cmd=["i2cemu-no-such-command"])
    assert r.status == 127, r
    assert r.err == ("i2cemu: cannot run i2cemu-no-such-command: "
                     "No such file or directory\n")


@pytest.mark.preload
def test_command_gets_the_shim_and_the_socket(emu, tmp_path):
    r = emu(cmd='echo "$LD_PRELOAD"; echo "$I2CEMU_SOCKET"; '
                'test -S "$I2CEMU_SOCKET"')
    assert r.status == 0, r
    preload, sock = r.out.splitlines()
    assert preload.endswith("/libi2cemu-preload.so") and os.path.isfile(
        preload), r
    # Default: in a new directory under $XDG_RUNTIME_DIR, gone at exit.
    assert re.fullmatch(rf"{tmp_path}/i2cemu-\w{{6}}/sock", sock), r
    assert not os.path.exists(os.path.dirname(sock))


@pytest.mark.preload
def test_socket_option(emu, tmp_path):
    path = tmp_path / "bus.sock"
    r = emu("--socket", str(path), cmd='echo "$I2CEMU_SOCKET"')
    assert (r.status, r.out) == (0, f"{path}\n"), r
    assert not path.exists()


@pytest.mark.preload
def test_preload_override(emu, tmp_path):
    shim = emu(cmd='echo "$LD_PRELOAD"').out.strip()
    shutil.copy(shim, tmp_path / "shim.so")
    # Relative to where i2cemu starts, and made absolute for the command.
    r = emu("-d", "24c02,addr=0x50", env={"I2CEMU_PRELOAD": "shim.so"},
            cmd='cd / && echo "$LD_PRELOAD" && i2cget -y 1 0x50 0x00')
    assert (r.status, r.out) == (0, f"{tmp_path}/shim.so\n0xff\n"), r
    r = emu(env={"I2CEMU_PRELOAD": "nowhere.so"}, cmd="touch ran")
    assert (r.status, r.err) == (
        1, "i2cemu: I2CEMU_PRELOAD=nowhere.so: No such file or directory\n")
    assert not (tmp_path / "ran").exists()


@pytest.mark.parametrize("args, message", [
    (["-d", "bogus,addr=0x50"],
     "-d bogus,addr=0x50: unknown device type 'bogus' (see: i2cemu "
     "devices)"),
    (["-d", "24c02,addr=0x50,colour=red"],
     "-d 24c02,addr=0x50,colour=red: 24c02 has no property 'colour' (it "
     "has: addr, bus, claim, id, tenbit, size, pagesize, twr_us, wp, file, "
     "image, sync, interval)"),
    (["-d", "tmp102,addr=0x48,temperature=hot"],
     "-d tmp102,addr=0x48,temperature=hot: temperature=hot: expected a "
     "number"),
    (["-d", "tmp102,addr=0x48,temperature=200"],
     "-d tmp102,addr=0x48,temperature=200: temperature=200: out of range "
     "(-55 to 150)"),
    (["-d", "24c02,addr=0x80"],
     "-d 24c02,addr=0x80: addr=0x80: a 7-bit device address must be 0x03 "
     "to 0x77"),
    (["-d", "24c02,addr=0x50", "-d", "lm75,addr=0x50"],
     "-d lm75,addr=0x50: addr=0x50: bus 1 already has 24c02 there"),
    (["-d", "24c02"], "-d 24c02: 24c02: addr= is required"),
    (["-f", "missing.cfg"], "missing.cfg: No such file or directory"),
    (["-f", "."], ".: Is a directory"),
    (["--bogus"],
     "unknown option '--bogus'\nTry 'i2cemu --help' for more information."),
    (["run", "devices"], "unexpected argument 'devices'\nTry 'i2cemu "
                         "--help' for more information."),
    (["--clock", "slow"], "--clock slow: unknown mode (fast or realtime)\n"
                          "Try 'i2cemu --help' for more information."),
])
def test_bad_input_exits_2_and_starts_nothing(emu, tmp_path, args, message):
    r = emu(*args, cmd="touch ran")
    assert (r.status, r.out, r.err) == (2, "", f"i2cemu: {message}\n"), r
    assert not (tmp_path / "ran").exists()
    assert not list(tmp_path.glob("*.sock"))


def test_board_file_error_names_file_and_line(emu, tmp_path):
    (tmp_path / "board.cfg").write_text(
        "# a sensor where the EEPROM is\n"
        "bus 1 speed=400k\n"
        "24c02,addr=0x50\n"
        "\n"
        "tmp102,addr=0x50\n")
    r = emu("-f", "board.cfg", cmd="touch ran")
    assert (r.status, r.err) == (
        2, "i2cemu: board.cfg:5: addr=0x50: bus 1 already has 24c02 "
           "there\n"), r
    assert not (tmp_path / "ran").exists()


def test_board_file_and_devices_in_order(emu, tmp_path):
    (tmp_path / "board.cfg").write_text(
        "bus 1 speed=400k name=main   # the main bus\n"
        "tmp102,addr=0x48\n"
        "bus 3 profile=stub\n"
        "regbank,addr=0x52,bus=3\n")
    r = emu("-f", "board.cfg", "-d", "lm75,addr=0x4f",
            cmd="i2cdetect -y 1 0x40 0x4f; i2cdetect -y 3 0x50 0x5f")
    assert r.status == 0, r
    assert r.out == (expect.detect({0x48, 0x4f}, 0x40, 0x4f) +
                     expect.detect({0x52}, 0x50, 0x5f)), r


def test_demo_board(emu):
    r = emu(cmd="i2cdetect -y 1; i2cdump -y -r 0x00-0x0f 1 0x52 b")
    assert r.status == 0, r
    text = list(b"i2cemu demo bank") + [0] * 240
    assert r.out == (expect.detect({0x48, 0x49, 0x50, 0x52}) +
                     expect.dump_bytes(text, 0x00, 0x0f)), r


def test_trace_shows_each_transaction(emu, image):
    r = emu("-v", "-d", "24c02,addr=0x50,file=ee.bin",
            cmd="i2ctransfer -y 1 w1@0x50 0x10 r2; i2cget -y 1 0x60 0")
    assert r.out == "0x10 0x11\n", r
    # One combined transaction with a repeated START; then an absent
    # address, NACKed at once.
    lines = r.err.splitlines()
    assert re.fullmatch(r"i2c-1 \d+\.\d{6}: S 50 W A 10 A Sr 50 R A 10 A "
                        r"11 N P", lines[0]), r
    assert re.fullmatch(r"i2c-1 \d+\.\d{6}: S 60 W N P", lines[1]), r
    assert lines[2:] == ["Error: Read failed"], r


def _read_until(proc, text, timeout=10):
    """Read proc's stdout until it ends with `text`."""
    out = b""
    while not out.endswith(text.encode()):
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        chunk = os.read(proc.stdout.fileno(), 4096) if ready else b""
        if not chunk:
            raise AssertionError(f"no {text!r} in {out!r}")
        out += chunk
    return out.decode()


@pytest.mark.preload
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_run_serves_until_a_signal(spawn, image, tmp_path, sig):
    (tmp_path / "board.cfg").write_text("24c02,addr=0x50,file=ee.bin\n")
    p = spawn("-f", "board.cfg", "run")
    banner = _read_until(p, "Stop with Ctrl-C.\n").splitlines()
    m = re.fullmatch(r"  export LD_PRELOAD=(\S+) I2CEMU_SOCKET=(\S+) "
                     r"I2CEMU_CONTROL=(\S+)", banner[2])
    assert m, banner
    preload, sock, control = m.groups()
    assert control == sock + ".ctl"
    assert banner == [
        "i2c-1 (i2cemu adapter): 24c02@0x50",
        f"Clients connect to {sock}. In another shell:",
        f"  export LD_PRELOAD={preload} I2CEMU_SOCKET={sock} "
        f"I2CEMU_CONTROL={control}",
        "  i2cdetect -y 1",
        "Stop with Ctrl-C.",
    ]
    env = dict(os.environ, LD_PRELOAD=preload, I2CEMU_SOCKET=sock,
               PATH=os.environ["PATH"] + ":/usr/sbin")
    for cmd, out in (("i2cset -y 1 0x50 0x10 0xab", ""),
                     ("i2cget -y 1 0x50 0x10", "0xab\n")):
        c = subprocess.run(cmd.split(), env=env, capture_output=True,
                           text=True, timeout=30)
        assert (c.returncode, c.stdout, c.stderr) == (0, out, ""), c
    p.send_signal(sig)
    assert p.wait(timeout=10) == 0
    err = p.stderr.read().decode()
    assert "Sanitizer" not in err and "runtime error" not in err, err
    assert image()[0x10] == 0xab
    assert not os.path.exists(sock)
    assert not os.path.exists(control)


def test_signal_to_i2cemu_reaches_the_command(spawn, tmp_path):
    # The command traps SIGTERM and exits 7; i2cemu waits and passes it on.
    p = spawn("-d", "24c02,addr=0x50", "--", "sh", "-c",
              "trap 'exit 7' TERM; touch ready; while :; do sleep 0.1; done")
    for _ in range(100):
        if (tmp_path / "ready").exists() or p.poll() is not None:
            break
        time.sleep(0.1)
    assert (tmp_path / "ready").exists()
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=10) == 7


def test_ctrl_c_reaches_the_command_once(i2cemu_bin, tmp_path):
    """Ctrl-C signals the whole foreground process group: i2cemu must not
    pass its copy on, and must serve until the command is done."""
    script = ("trap 'echo INT >> ints' INT; touch ready; "
              "while [ ! -e stop ]; do sleep 0.05; done; i2cget -y 1 0x50 0")
    pid, tty = pty.fork()
    if pid == 0:  # in a new session, with the pty as controlling terminal
        os.chdir(tmp_path)
        # A shell started with SIGINT ignored cannot trap it (POSIX), and a
        # test run started in the background ignores it: start from the
        # default, as a terminal's foreground job does.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.execve(i2cemu_bin, [str(i2cemu_bin), "-d", "24c02,addr=0x50",
                               "--", "sh", "-c", script],
                  environment(tmp_path))
    try:
        for _ in range(100):
            if (tmp_path / "ready").exists():
                break
            time.sleep(0.1)
        os.write(tty, b"\x03")  # VINTR
        for _ in range(100):
            if (tmp_path / "ints").exists():
                break
            time.sleep(0.1)
        time.sleep(0.3)  # room for a second, forwarded SIGINT
        (tmp_path / "stop").touch()
        _, status = os.waitpid(pid, 0)
        out = b""
        while select.select([tty], [], [], 0)[0]:
            try:
                chunk = os.read(tty, 4096)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(tty)
    assert os.waitstatus_to_exitcode(status) == 0, out
    assert (tmp_path / "ints").read_text() == "INT\n"
    assert out.endswith(b"0xff\r\n"), out
