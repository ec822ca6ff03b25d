/* SPDX-License-Identifier: MIT */
/* Device-model tests use the unit tests' one rig. */
#include "rig.h"
