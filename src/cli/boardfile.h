/* SPDX-License-Identifier: MIT */
/*
 * Board files: the buses and devices of a board, one per line.
 *
 *   # an EEPROM and a sensor on a fast-mode bus
 *   bus 1 speed=400k
 *   24c02,addr=0x50,file=eeprom.bin
 *   tmp102,addr=0x48,temperature=41.5
 *
 * A `bus` line takes what i2cemu_bus_add_spec() takes; any other line is a
 * device string for i2cemu_device_add(). `#` starts a comment at the
 * beginning of a line or after a blank; blank lines are skipped.
 */
#ifndef I2CEMU_CLI_BOARDFILE_H
#define I2CEMU_CLI_BOARDFILE_H

#include <stdio.h>

#include <i2cemu/board.h>

/* Add what the file at `path` describes to b. Returns 0, or -1 with
 * "PATH:LINE: what is wrong" (or "PATH: why it cannot be read") in err;
 * the lines before the bad one have been added. */
int cli_boardfile_load(struct i2cemu_board *b, const char *path,
                       struct i2cemu_error *err);
/* The same from an open stream; `name` stands for it in messages. */
int cli_boardfile_read(struct i2cemu_board *b, FILE *f, const char *name,
                       struct i2cemu_error *err);

#endif
