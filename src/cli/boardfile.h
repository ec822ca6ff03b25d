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
 *
 * A relative file= is relative to the board file's directory. A board
 * file is text of at most CLI_BOARDFILE_MAX_SIZE bytes in lines of at most
 * CLI_BOARDFILE_MAX_LINE; two buses may not share a name=; a file with no
 * bus or device line is refused unless allow_empty.
 */
#ifndef I2CEMU_CLI_BOARDFILE_H
#define I2CEMU_CLI_BOARDFILE_H

#include <stdbool.h>
#include <stdio.h>

#include <i2cemu/board.h>
#include <i2cemu/fault.h>

#define CLI_BOARDFILE_MAX_SIZE (1 << 20)
#define CLI_BOARDFILE_MAX_LINE 512

/* 0 if spec (a -d argument) could be a board file line: text, at most
 * CLI_BOARDFILE_MAX_LINE bytes; else -1 with err set. */
int cli_check_spec(const char *spec, struct i2cemu_error *err);

/* Add what the file at `path` ("-": standard input) describes to b.
 * Returns 0, or -1 with "PATH:LINE: what is wrong" (or "PATH: why it
 * cannot be read") in err; the lines before the bad one have been added. */
int cli_boardfile_load(struct i2cemu_board *b, const char *path,
                       bool allow_empty, struct i2cemu_error *err);
/* The same from an open stream; `name` stands for it in messages, and
 * relative paths are relative to `dir` (NULL: the current directory). */
int cli_boardfile_read(struct i2cemu_board *b, FILE *f, const char *name,
                       const char *dir, bool allow_empty,
                       struct i2cemu_error *err);

#endif
