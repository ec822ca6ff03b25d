/* SPDX-License-Identifier: MIT */
/* The BMP280/BME280 trimming parameters and the datasheets' integer
 * compensation formulas, forwards (raw ADC value to physical value, as a
 * driver computes it) and inverted (the raw value a model must show). */
#ifndef I2CEMU_DEVICES_BMP280_COMP_H
#define I2CEMU_DEVICES_BMP280_COMP_H

#include <stdint.h>

struct i2cemu_bmp280_calib {
    uint16_t T1;
    int16_t T2, T3;
    uint16_t P1;
    int16_t P2, P3, P4, P5, P6, P7, P8, P9;
    uint8_t H1, H3;
    int16_t H2, H4, H5;
    int8_t H6;
};

/* The set the model's NVM holds (see bmp280_comp.c for its sources). */
extern const struct i2cemu_bmp280_calib i2cemu_bmp280_calib;

/* BMP280 datasheet 3.11.3: temperature in 0.01 °C, and t_fine. */
int32_t i2cemu_bmp280_comp_t(const struct i2cemu_bmp280_calib *c,
                             int32_t adc_t, int32_t *t_fine);
/* BMP280 datasheet 3.11.3 (64-bit): pressure in Pa as Q24.8. */
uint32_t i2cemu_bmp280_comp_p(const struct i2cemu_bmp280_calib *c,
                              int32_t adc_p, int32_t t_fine);
/* BME280 datasheet 4.2.3: humidity in %RH as Q22.10. */
uint32_t i2cemu_bme280_comp_h(const struct i2cemu_bmp280_calib *c,
                              int32_t adc_h, int32_t t_fine);

/* The raw value, a multiple of 2^shift, whose compensated value is
 * nearest to the physical one (°C, Pa, %RH). */
int32_t i2cemu_bmp280_raw_t(const struct i2cemu_bmp280_calib *c, double t,
                            unsigned shift);
int32_t i2cemu_bmp280_raw_p(const struct i2cemu_bmp280_calib *c, double p,
                            int32_t t_fine, unsigned shift);
int32_t i2cemu_bme280_raw_h(const struct i2cemu_bmp280_calib *c, double h,
                            int32_t t_fine);

/* The NVM bytes: 0x88-0xA1 (26) and 0xE1-0xE7 (7), as the part holds
 * them (little-endian words; H4/H5 packed in 12 bits). */
void i2cemu_bmp280_nvm(const struct i2cemu_bmp280_calib *c, uint8_t lo[26],
                       uint8_t hi[7]);

#endif
