/* SPDX-License-Identifier: MIT */
/* CRC-8 for sensors whose data words carry one (Sensirion SHT3x/SHT4x/SGP,
 * and others): MSB first, no reflection, no final XOR; the polynomial and
 * initial value are the part's. */
#ifndef I2CEMU_CRC8_H
#define I2CEMU_CRC8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sensirion: x^8 + x^5 + x^4 + 1, initial 0xFF; CRC of {0xBE, 0xEF} is
 * 0x92 (SHT3x datasheet, "Checksum Calculation"). */
#define I2CEMU_CRC8_SENSIRION_POLY 0x31u
#define I2CEMU_CRC8_SENSIRION_INIT 0xFFu

uint8_t i2cemu_crc8(uint8_t poly, uint8_t init, const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
