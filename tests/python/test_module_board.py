# SPDX-License-Identifier: MIT
"""The per-module fixture: one board for the whole module, so a value set
by one test is still there in the next, until a snapshot restores it."""
import pytest

pytestmark = pytest.mark.i2cemu("tmp102,addr=0x48")

_seen = {}


def test_first_sets(i2cemu_module_board):
    _seen["control"] = i2cemu_module_board.env["I2CEMU_CONTROL"]
    _seen["snapshot"] = i2cemu_module_board.snapshot()
    i2cemu_module_board["tmp102@1-0048"].temperature = 60


def test_second_sees_the_same_board(i2cemu_module_board):
    assert i2cemu_module_board.env["I2CEMU_CONTROL"] == _seen["control"]
    sensor = i2cemu_module_board["tmp102@1-0048"]
    assert sensor.temperature == 60
    i2cemu_module_board.restore(_seen["snapshot"])
    assert sensor.temperature == 25
