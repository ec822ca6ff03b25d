/* SPDX-License-Identifier: MIT */
/* The board served when neither -d nor -f is given. */
#ifndef I2CEMU_CLI_DEMO_H
#define I2CEMU_CLI_DEMO_H

#include <i2cemu/board.h>

/* Bus 1: a 24c02 at 0x50, a tmp102 at 0x48, an lm75 at 0x49 and a regbank
 * at 0x52 whose first row spells "i2cemu demo bank". 0, or -1 with err. */
int cli_demo_add(struct i2cemu_board *b, struct i2cemu_error *err);

#endif
