/* SPDX-License-Identifier: MIT */
/* The device types each family file defines, for the registry. */
#ifndef I2CEMU_DEVICES_DEVICES_H
#define I2CEMU_DEVICES_DEVICES_H

#include <i2cemu/device.h>

/* at24.c */
extern const struct i2cemu_device_type i2cemu_24c01, i2cemu_24c02,
    i2cemu_24c04, i2cemu_24c08, i2cemu_24c16, i2cemu_24c32, i2cemu_24c64,
    i2cemu_24c128, i2cemu_24c256, i2cemu_24c512;
/* lm75.c */
extern const struct i2cemu_device_type i2cemu_lm75, i2cemu_tmp102;
/* pca9555.c */
extern const struct i2cemu_device_type i2cemu_pca9555;
/* regbank.c */
extern const struct i2cemu_device_type i2cemu_regbank;

#endif
