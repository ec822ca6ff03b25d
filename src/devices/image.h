/* SPDX-License-Identifier: MIT */
/* Read-only memory images (`image=`) for the EEPROM models. */
#ifndef I2CEMU_DEVICES_IMAGE_H
#define I2CEMU_DEVICES_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include <i2cemu/types.h>

/* Fill mem (size bytes) from the regular file at path, of at most size
 * bytes; the rest is erased (0xFF). `what` names the part in messages.
 * Returns 0, or -1 with err set ("image=PATH: ..."). */
int dev_image_load(const char *path, uint8_t *mem, size_t size,
                   const char *what, struct i2cemu_error *err);

#endif
