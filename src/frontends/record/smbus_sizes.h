/* SPDX-License-Identifier: MIT */
/* The SMBus size names of a recording (docs/record-replay.md): the
 * recorder writes them (record_format.c), the replay device reads them
 * back (src/devices/replay_parse.c). The includer provides the
 * I2C_SMBUS_* sizes, from <linux/i2c.h> or <i2cemu/types.h>. */
#ifndef I2CEMU_RECORD_SMBUS_SIZES_H
#define I2CEMU_RECORD_SMBUS_SIZES_H

static const char *const record_smbus_sizes[] = {
    [I2C_SMBUS_QUICK] = "quick",
    [I2C_SMBUS_BYTE] = "byte",
    [I2C_SMBUS_BYTE_DATA] = "byte_data",
    [I2C_SMBUS_WORD_DATA] = "word_data",
    [I2C_SMBUS_PROC_CALL] = "proc_call",
    [I2C_SMBUS_BLOCK_DATA] = "block_data",
    [I2C_SMBUS_I2C_BLOCK_BROKEN] = "i2c_block_broken",
    [I2C_SMBUS_BLOCK_PROC_CALL] = "block_proc_call",
    [I2C_SMBUS_I2C_BLOCK_DATA] = "i2c_block_data",
};
#define RECORD_SMBUS_NSIZES                                                   \
    (sizeof(record_smbus_sizes) / sizeof(*record_smbus_sizes))

#endif
