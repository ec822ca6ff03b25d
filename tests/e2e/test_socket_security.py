# SPDX-License-Identifier: MIT
"""Who can reach the daemon's socket: its private directory and modes,
--socket-mode and --socket-group, the peer credential check, and the
checks on a --socket PATH (issue 7, items 1c and 1d)."""
import os
import re
import socket
import stat

import pytest

NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
STAT = 'stat -c "%a %U %G" "$(dirname "$I2CEMU_SOCKET")" "$I2CEMU_SOCKET"'

pytestmark = pytest.mark.preload

root_only = pytest.mark.skipif(os.geteuid() != 0,
                               reason="needs root to act as another user")


def umask0(emu, *args, **kw):
    """emu(...) with umask 0, which must change nothing."""
    old = os.umask(0)
    try:
        return emu(*args, **kw)
    finally:
        os.umask(old)


def test_default_socket_is_in_a_private_directory_in_tmp(emu):
    r = umask0(emu, "-d", "24c02,addr=0x50", env={"XDG_RUNTIME_DIR": ""},
               cmd=f'echo "$I2CEMU_SOCKET"; {STAT}; i2cget -y 1 0x50 0')
    assert r.status == 0, r
    sock, dirmode, sockmode, value = r.out.splitlines()
    # Not a name another user could guess and bind first.
    assert re.fullmatch(r"/tmp/i2cemu-\w{6}/sock", sock), r
    assert (dirmode, sockmode, value) == ("700 root root", "600 root root",
                                          "0xff"), r
    assert not os.path.exists(os.path.dirname(sock)), r


def test_default_socket_under_xdg_runtime_dir(emu, tmp_path):
    r = umask0(emu, cmd=f'echo "$I2CEMU_SOCKET"; {STAT}')
    assert r.status == 0, r
    sock, dirmode, sockmode = r.out.splitlines()
    assert re.fullmatch(rf"{tmp_path}/i2cemu-\w{{6}}/sock", sock), r
    assert (dirmode, sockmode) == ("700 root root", "600 root root"), r
    assert os.listdir(tmp_path) == [], r


@root_only
def test_another_users_runtime_dir_is_not_used(emu, tmp_path):
    theirs = tmp_path / "run-nobody"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 65534, 65534)
    r = emu(env={"XDG_RUNTIME_DIR": str(theirs)}, cmd='echo "$I2CEMU_SOCKET"')
    assert r.status == 0, r
    assert re.fullmatch(r"/tmp/i2cemu-\w{6}/sock\n", r.out), r


@root_only
def test_socket_mode_and_group(emu):
    r = umask0(emu, "--socket-mode", "0660", "--socket-group", "nogroup",
               cmd=STAT)
    assert r.status == 0, r
    # The directory lets the group search it, no more.
    assert r.out == "710 root nogroup\n660 root nogroup\n", r


@root_only
def test_peers_are_checked_whatever_the_mode(emu):
    # 0666 lets every user reach the socket; the credentials still decide.
    cmd = [*NOBODY, "i2cget", "-y", "1", "0x50", "0"]
    r = emu("-d", "24c02,addr=0x50", "--socket-mode", "0666",
            env={"XDG_RUNTIME_DIR": ""}, cmd=cmd)
    assert r.status != 0 and r.out == "", r
    assert re.search(r"^i2cemu: /tmp/i2cemu-\w{6}/sock: refused a client of "
                     r"uid 65534 \(serving only uid 0, root\)$", r.err,
                     re.M), r

    r = emu("-d", "24c02,addr=0x50", "--socket-group", "nogroup",
            env={"XDG_RUNTIME_DIR": ""}, cmd=cmd)
    assert (r.status, r.out, r.err) == (0, "0xff\n", ""), r


# ---- --socket PATH ---------------------------------------------------------

def test_socket_in_a_directory_others_can_write_is_refused(emu, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    r = emu("--socket", str(shared / "s"), cmd="true")
    assert r.status == 2, r
    assert r.err == (f"i2cemu: {shared}/s: its directory {shared} is "
                     "writable by others and not sticky (mode 0777), so "
                     "they could replace the socket\n"), r

    # Sticky, as /tmp: others cannot remove or rename what is ours.
    shared.chmod(0o1777)
    r = umask0(emu, "-d", "24c02,addr=0x50", "--socket", str(shared / "s"),
               cmd='stat -c %a "$I2CEMU_SOCKET"; i2cget -y 1 0x50 0')
    assert (r.status, r.out) == (0, "600\n0xff\n"), r
    assert not (shared / "s").exists()


@root_only
def test_socket_in_another_users_directory_is_refused(emu, tmp_path):
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    os.chown(theirs, 65534, 65534)
    r = emu("--socket", str(theirs / "s"), cmd="true")
    assert r.status == 2, r
    assert "belongs to another user (uid 65534)" in r.err, r


def test_stale_socket_is_replaced(emu, tmp_path):
    path = tmp_path / "bus.sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))  # what a daemon killed with SIGKILL leaves
    s.close()
    r = emu("-d", "24c02,addr=0x50", "--socket", str(path),
            cmd="i2cget -y 1 0x50 0")
    assert (r.status, r.out, r.err) == (0, "0xff\n", ""), r
    assert not path.exists()


def test_live_socket_is_an_error(emu, tmp_path):
    path = tmp_path / "bus.sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        s.listen()
        r = emu("--socket", str(path), cmd="true")
        assert r.status == 2, r
        assert r.err == (f"i2cemu: {path}: in use: a server is listening "
                         "there\n"), r
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_not_a_socket_is_an_error(emu, tmp_path):
    path = tmp_path / "bus.sock"
    path.write_text("precious\n")
    r = emu("--socket", str(path), cmd="true")
    assert (r.status, r.err) == (2, f"i2cemu: {path}: exists and is not a "
                                 "socket\n"), r
    assert path.read_text() == "precious\n"


@root_only
def test_another_users_socket_is_an_error(emu, tmp_path):
    path = tmp_path / "bus.sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    s.close()
    os.chown(path, 65534, 65534)
    r = emu("--socket", str(path), cmd="true")
    assert (r.status, r.err) == (2, f"i2cemu: {path}: a socket of another "
                                 "user (uid 65534)\n"), r


def test_bad_socket_options(emu):
    r = emu("--socket-mode", "0066", cmd="true")
    assert r.status == 2 and "--socket-mode 0066: expected" in r.err, r
    r = emu("--socket-group", "no-such-group-here", cmd="true")
    assert (r.status, r.err) == (2, "i2cemu: --socket-group "
                                 "no-such-group-here: no such group\n"), r
