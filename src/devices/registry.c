/* SPDX-License-Identifier: MIT */
/* The table of registered device types, built from types.def: the command
 * line, board files, `i2cemu devices` and docs/devices.md all read it. */
#include <i2cemu/board.h>

#include "devices.h"

static const struct i2cemu_device_type *const types[] = {
#define I2CEMU_DEVICE_TYPE(id) &i2cemu_##id,
#include "types.def"
#undef I2CEMU_DEVICE_TYPE
};

const struct i2cemu_type_table i2cemu_default_types = {
    .types = types,
    .count = sizeof(types) / sizeof(types[0]),
};

const struct i2cemu_device_type *i2cemu_device_type_find(const char *name)
{
    return i2cemu_type_table_find(&i2cemu_default_types, name);
}

struct i2cemu_board *i2cemu_board_new(struct i2cemu_loop *loop)
{
    return i2cemu_board_new_with_types(loop, &i2cemu_default_types);
}
