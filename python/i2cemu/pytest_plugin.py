# SPDX-License-Identifier: MIT
"""pytest fixtures for tests that run against an emulated board.

    @pytest.mark.i2cemu("tmp102,addr=0x48")
    def test_alarm(i2cemu_board):
        i2cemu_board["tmp102@1-0048"].temperature = 90
        ...

i2cemu_module_board is one board for every test of a module, described by
the module's marker (pytestmark = pytest.mark.i2cemu(...)); the tests then
share its state, which board.snapshot() and board.restore() can reset.

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


def _marked_board(request, fixture, where):
    m = request.node.get_closest_marker("i2cemu")
    if m is None:
        pytest.fail(f"{fixture} needs {where}", pytrace=False)
    return Board(devices=m.args, board_file=m.kwargs.get("board_file"),
                 args=m.kwargs.get("args", ()),
                 i2cemu=request.config.getoption("--i2cemu"))


@pytest.fixture
def i2cemu_board(request):
    """A running board, for this test, as its i2cemu marker describes."""
    b = _marked_board(request, "i2cemu_board",
                      "@pytest.mark.i2cemu(DEVICE, ...)")
    b.start()
    yield b
    b.stop()


@pytest.fixture(scope="module")
def i2cemu_module_board(request):
    """One running board for every test of the module, as the module's
    i2cemu marker describes; stopped after its last test."""
    b = _marked_board(request, "i2cemu_module_board",
                      "pytestmark = pytest.mark.i2cemu(DEVICE, ...) in "
                      "the module")
    b.start()
    yield b
    b.stop()
