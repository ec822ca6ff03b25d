/* SPDX-License-Identifier: MIT */
/* What test_core_master.c and test_core_master_timing.c share. */
#ifndef I2CEMU_TESTS_MASTER_TESTS_H
#define I2CEMU_TESTS_MASTER_TESTS_H

#include "rig.h"
#include "testdevs.h"

/* An i2c_msg writing these bytes to a. */
#define W(a, ...) {.addr = a, .flags = 0, .len = sizeof((uint8_t[]){__VA_ARGS__}), \
                   .buf = (uint8_t[]){__VA_ARGS__}}

/* The test_reg state of device dev. */
static inline struct reg_state *reg(struct bench *r, int dev)
{
    return i2cemu_device_state(r->b, (unsigned)dev);
}

#endif
