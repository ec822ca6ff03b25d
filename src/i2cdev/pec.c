// SPDX-License-Identifier: MIT
/* SMBus PEC (i2c-dev-abi.md section 4.3). */
#include "i2cdev/pec.h"

uint8_t i2cdev_pec(uint8_t crc, const uint8_t *p, size_t n)
{
    while (n--) {
        crc ^= *p++;
        for (int bit = 0; bit < 8; bit++)
            crc = (uint8_t)(crc & 0x80 ? (crc << 1) ^ 0x07 : crc << 1);
    }
    return crc;
}

uint8_t i2cdev_pec_msg(uint8_t crc, const struct i2c_msg *m, size_t len)
{
    /* The kernel always builds a 7-bit address byte, truncated to 8 bits,
     * even for an I2C_M_TEN message: a quirk we reproduce. */
    uint8_t a = (uint8_t)(m->addr << 1 | (m->flags & I2C_M_RD));

    return i2cdev_pec(i2cdev_pec(crc, &a, 1), m->buf, len);
}
