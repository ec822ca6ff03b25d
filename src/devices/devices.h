/* SPDX-License-Identifier: MIT */
/* The device types the model files define (types.def lists them). */
#ifndef I2CEMU_DEVICES_DEVICES_H
#define I2CEMU_DEVICES_DEVICES_H

#include <i2cemu/device.h>

#define I2CEMU_DEVICE_TYPE(id) extern const struct i2cemu_device_type i2cemu_##id;
#include "types.def"
#undef I2CEMU_DEVICE_TYPE

#endif
