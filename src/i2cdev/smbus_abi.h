/* SPDX-License-Identifier: MIT */
/*
 * The kernel's rules for an I2C_SMBUS call's arguments (i2c-dev-abi.md
 * 2.8; checklist items 2-4 and 9): which sizes and directions it takes,
 * whether it looks at `data`, and which bytes of the union it copies which
 * way. The i2c-dev layer reproduces them (smbus.c); the preload shim
 * applies them to the caller's own arguments, to bound what the daemon may
 * touch (regions.c) and on its fast path (fast.c).
 */
#ifndef I2CEMU_I2CDEV_SMBUS_ABI_H
#define I2CEMU_I2CDEV_SMBUS_ABI_H

#include <linux/i2c.h>
#include <stdbool.h>
#include <stdint.h>

static inline bool i2cdev_smbus_is_proc_call(uint32_t size)
{
    return size == I2C_SMBUS_PROC_CALL || size == I2C_SMBUS_BLOCK_PROC_CALL;
}

/* 2, 3. Sizes 0..8 (6 included); the direction, for QUICK too. */
static inline bool i2cdev_smbus_args_ok(uint8_t rw, uint32_t size)
{
    return size <= I2C_SMBUS_I2C_BLOCK_DATA &&
           (rw == I2C_SMBUS_READ || rw == I2C_SMBUS_WRITE);
}

/* 4. QUICK and send byte never look at `data`. */
static inline bool i2cdev_smbus_uses_data(uint8_t rw, uint32_t size)
{
    return size != I2C_SMBUS_QUICK &&
           !(size == I2C_SMBUS_BYTE && rw == I2C_SMBUS_WRITE);
}

/* Copied in before the transaction. */
static inline bool i2cdev_smbus_data_in(uint8_t rw, uint32_t size)
{
    return i2cdev_smbus_is_proc_call(size) ||
           size == I2C_SMBUS_I2C_BLOCK_DATA || rw == I2C_SMBUS_WRITE;
}

/* 9. Copied out on success. */
static inline bool i2cdev_smbus_data_out(uint8_t rw, uint32_t size)
{
    return i2cdev_smbus_is_proc_call(size) || rw == I2C_SMBUS_READ;
}

/* How many bytes of the union move, in and out, for a size. */
static inline uint32_t i2cdev_smbus_data_size(uint32_t size)
{
    switch (size) {
    case I2C_SMBUS_BYTE:
    case I2C_SMBUS_BYTE_DATA:
        return sizeof(uint8_t);
    case I2C_SMBUS_WORD_DATA:
    case I2C_SMBUS_PROC_CALL:
        return sizeof(uint16_t);
    default:
        return sizeof(union i2c_smbus_data);
    }
}

#endif
