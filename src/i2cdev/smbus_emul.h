/* SPDX-License-Identifier: MIT */
/* SMBus emulated with I2C messages on a plain I2C adapter, as the kernel's
 * i2c_smbus_xfer_emulated() does (i2c-dev-abi.md sections 4.2 to 4.4). */
#ifndef I2CDEV_SMBUS_EMUL_H
#define I2CDEV_SMBUS_EMUL_H

#include <i2cemu/types.h>

/* One emulated transaction. The messages point into buf0/buf1, so the
 * struct must stay where it was built. */
struct i2cdev_smbus_emul {
    struct i2c_msg msg[2];
    unsigned nmsgs;
    int size;
    bool read;        /* data comes back: READ, or a process call */
    bool pec;
    uint8_t pec_part; /* PEC over the write message of a write+read pair */
    uint8_t buf0[I2C_SMBUS_BLOCK_MAX + 3]; /* c, n, 32 bytes, PEC */
    uint8_t buf1[I2C_SMBUS_BLOCK_MAX + 2]; /* n, 32 bytes, PEC */
};

/* Build the messages; `flags` holds I2C_M_TEN and I2C_CLIENT_PEC; `data`
 * may be NULL for QUICK and send byte. 0, or -EINVAL for a bad block
 * length (no bus traffic then). */
int i2cdev_smbus_emul_build(struct i2cdev_smbus_emul *e, uint16_t addr,
                            uint16_t flags, char read_write, uint8_t command,
                            int size, const union i2c_smbus_data *data);
/* Turn the transfer's result (messages sent, or -errno) into the SMBus
 * result, and fill `data` on a read: 0 or -errno. */
int i2cdev_smbus_emul_finish(struct i2cdev_smbus_emul *e, int result,
                             union i2c_smbus_data *data);

#endif
