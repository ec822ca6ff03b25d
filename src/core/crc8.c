/* SPDX-License-Identifier: MIT */
/* CRC-8, MSB first, for sensors with CRC-protected data words. */
#include <i2cemu/crc8.h>

uint8_t i2cemu_crc8(uint8_t poly, uint8_t init, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint8_t crc = init;
    while (len--) {
        crc ^= *p++;
        for (int bit = 0; bit < 8; bit++)
            crc = (uint8_t)(crc & 0x80 ? crc << 1 ^ poly : crc << 1);
    }
    return crc;
}
