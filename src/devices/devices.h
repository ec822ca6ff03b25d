/* SPDX-License-Identifier: MIT */
/* The device types the model files define (types.def lists them). */
#ifndef I2CEMU_DEVICES_DEVICES_H
#define I2CEMU_DEVICES_DEVICES_H

#include <i2cemu/device.h>

/* A field a part fixes when it is added (a port count, a variant), as a
 * snapshot's state holds it (state_check, device.h): 0 if it is the
 * part's own, else -1 with the message. */
static inline int state_own(const char *field, unsigned got, unsigned own,
                            struct i2cemu_error *err)
{
    if (got == own)
        return 0;
    i2cemu_error_set(err, "%s %u is not this part's (%u)", field, got, own);
    return -1;
}

#define I2CEMU_DEVICE_TYPE(id) extern const struct i2cemu_device_type i2cemu_##id;
#include "types.def"
#undef I2CEMU_DEVICE_TYPE

#endif
