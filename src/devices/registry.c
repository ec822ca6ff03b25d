/* SPDX-License-Identifier: MIT */
/* The table of device types: the command line, board files, `i2cemu
 * devices` and the docs all read it. */
#include <string.h>

#include "devices.h"

const struct i2cemu_device_type *const i2cemu_device_types[] = {
    &i2cemu_24c01,  &i2cemu_24c02,  &i2cemu_24c04,  &i2cemu_24c08,
    &i2cemu_24c16,  &i2cemu_24c32,  &i2cemu_24c64,  &i2cemu_24c128,
    &i2cemu_24c256, &i2cemu_24c512, &i2cemu_lm75,   &i2cemu_tmp102,
    &i2cemu_regbank, &i2cemu_pca9555,
};

const unsigned i2cemu_device_type_count =
    sizeof(i2cemu_device_types) / sizeof(i2cemu_device_types[0]);

const struct i2cemu_device_type *i2cemu_device_type_find(const char *name)
{
    for (unsigned i = 0; i < i2cemu_device_type_count; i++)
        if (strcmp(i2cemu_device_types[i]->name, name) == 0)
            return i2cemu_device_types[i];
    return NULL;
}
