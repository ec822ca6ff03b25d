/* SPDX-License-Identifier: MIT */
/* `i2cemu ctl screenshot`: a display's frame as a PNG file. */
#ifndef I2CEMU_CLI_SCREENSHOT_H
#define I2CEMU_CLI_SCREENSHOT_H

#include <stddef.h>

#include <jansson.h>

/*
 * Write `frame`, a display model's text frame (rows of '#' lit and '.'
 * dark, separated by '\n', all of one length), to `path` as an 8-bit
 * greyscale PNG: a lit pixel is `level` (0-255), a dark one 0. Returns 0,
 * or -1 with the reason in err.
 */
int cli_screenshot_write(const char *path, const char *frame, unsigned level,
                         char *err, size_t errlen);

/* The reply to the get request of `i2cemu ctl screenshot` (the props
 * "frame" and "brightness") written to `path`. Returns the exit status:
 * 0, or 1 after a message on stderr. */
int cli_screenshot_save(const json_t *reply, const char *path);

#endif
