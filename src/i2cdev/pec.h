/* SPDX-License-Identifier: MIT */
/* SMBus Packet Error Code: CRC-8, polynomial 0x07, initial value 0, no
 * reflection ("CRC-8/SMBUS", i2c-dev-abi.md section 4.3). */
#ifndef I2CDEV_PEC_H
#define I2CDEV_PEC_H

#include <i2cemu/types.h>

/* Continue the CRC `crc` over n bytes. */
uint8_t i2cdev_pec(uint8_t crc, const uint8_t *p, size_t n);
/* Continue it over a message's address byte and its first `len` bytes. */
uint8_t i2cdev_pec_msg(uint8_t crc, const struct i2c_msg *m, size_t len);

#endif
