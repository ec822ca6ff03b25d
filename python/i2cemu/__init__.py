# SPDX-License-Identifier: MIT
"""Start an i2cemu board from Python and steer it through its control
socket (docs/control.md). Standard library only."""
from .board import Board
from .control import Control, ControlError, Device, Trace

__all__ = ["Board", "Control", "ControlError", "Device", "Trace"]
