# SPDX-License-Identifier: MIT
"""pytest fixtures for tests that run against an emulated board.

    @pytest.mark.i2cemu("tmp102,addr=0x48")
    def test_alarm(i2cemu_board):
        i2cemu_board["tmp102@1-0048"].temperature = 90
        ...

Loaded by its entry point once installed, or with -p i2cemu.pytest_plugin.
The i2cemu binary: --i2cemu PATH, else $I2CEMU_BIN, else i2cemu on PATH.
"""
import pytest

from .board import Board


def pytest_addoption(parser):
    parser.addoption("--i2cemu", metavar="PATH", default=None,
                     help="the i2cemu binary for the i2cemu_board fixture")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "i2cemu(*devices, board_file=None, args=()): the board "
        "the i2cemu_board fixture starts (-d strings, a -f file)")


@pytest.fixture
def i2cemu_board_factory(request):
    """Start boards of your own: i2cemu_board_factory(devices=[...],
    board_file=...). Each is stopped at the end of the test."""
    boards = []

    def start(devices=(), board_file=None, args=()):
        b = Board(devices=devices, board_file=board_file, args=args,
                  i2cemu=request.config.getoption("--i2cemu"))
        boards.append(b.start())
        return b

    yield start
    for b in reversed(boards):
        b.stop()


@pytest.fixture
def i2cemu_board(request, i2cemu_board_factory):
    """A running board, for this test, as its i2cemu marker describes."""
    m = request.node.get_closest_marker("i2cemu")
    if m is None:
        pytest.fail("i2cemu_board needs @pytest.mark.i2cemu(DEVICE, ...)",
                    pytrace=False)
    return i2cemu_board_factory(devices=m.args,
                                board_file=m.kwargs.get("board_file"),
                                args=m.kwargs.get("args", ()))
