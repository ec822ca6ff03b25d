/* SPDX-License-Identifier: MIT */
/*
 * The Bosch BMP280/BME280 compensation formulas (BMP280 datasheet
 * BST-BMP280-DS001 3.11.3 and 8.2, BME280 datasheet BST-BME280-DS002
 * 4.2.3 and 8.2), and their inverse by binary search: each is monotonic
 * in its raw value over the 20-bit (16-bit for humidity) range.
 *
 * Left shifts of signed values are written as multiplications: the
 * datasheet's code shifts negative numbers, which C leaves undefined.
 */
#include <math.h>

#include "bmp280_comp.h"

/*
 * T and P: the BMP280 datasheet's worked example (3.12). H: the BME280
 * datasheet gives no example; this set (H1 75, H2 362, H3 0, H4 313,
 * H5 50, H6 30) is one read from a production BME280 and widely used as
 * test data by open-source drivers. It maps 0-100 %RH monotonically.
 */
const struct i2cemu_bmp280_calib i2cemu_bmp280_calib = {
    .T1 = 27504, .T2 = 26435, .T3 = -1000,
    .P1 = 36477, .P2 = -10685, .P3 = 3024, .P4 = 2855, .P5 = 140, .P6 = -7,
    .P7 = 15500, .P8 = -14600, .P9 = 6000,
    .H1 = 75, .H2 = 362, .H3 = 0, .H4 = 313, .H5 = 50, .H6 = 30,
};

int32_t i2cemu_bmp280_comp_t(const struct i2cemu_bmp280_calib *c,
                             int32_t adc_t, int32_t *t_fine)
{
    int32_t var1 = (((adc_t >> 3) - (int32_t)c->T1 * 2) * c->T2) >> 11;
    int32_t d = (adc_t >> 4) - (int32_t)c->T1;
    int32_t var2 = (((d * d) >> 12) * c->T3) >> 14;
    *t_fine = var1 + var2;
    return (*t_fine * 5 + 128) >> 8;
}

uint32_t i2cemu_bmp280_comp_p(const struct i2cemu_bmp280_calib *c,
                              int32_t adc_p, int32_t t_fine)
{
    int64_t var1 = (int64_t)t_fine - 128000;
    int64_t var2 = var1 * var1 * c->P6;
    var2 += var1 * c->P5 * ((int64_t)1 << 17);
    var2 += (int64_t)c->P4 * ((int64_t)1 << 35);
    var1 = ((var1 * var1 * c->P3) >> 8) + var1 * c->P2 * ((int64_t)1 << 12);
    var1 = ((((int64_t)1 << 47) + var1) * c->P1) >> 33;
    if (var1 == 0)
        return 0; /* the datasheet's guard against dividing by zero */
    int64_t p = 1048576 - adc_p;
    p = ((p * ((int64_t)1 << 31) - var2) * 3125) / var1;
    var1 = ((int64_t)c->P9 * (p >> 13) * (p >> 13)) >> 25;
    var2 = ((int64_t)c->P8 * p) >> 19;
    p = ((p + var1 + var2) >> 8) + (int64_t)c->P7 * 16;
    return (uint32_t)p;
}

uint32_t i2cemu_bme280_comp_h(const struct i2cemu_bmp280_calib *c,
                              int32_t adc_h, int32_t t_fine)
{
    int32_t v = t_fine - 76800;
    v = (((adc_h * 16384) - ((int32_t)c->H4 * 1048576) - (c->H5 * v) +
          16384) >> 15) *
        (((((((v * c->H6) >> 10) * (((v * c->H3) >> 11) + 32768)) >> 10) +
           2097152) * c->H2 + 8192) >> 14);
    v -= ((((v >> 15) * (v >> 15)) >> 7) * c->H1) >> 4;
    v = v < 0 ? 0 : v > 419430400 ? 419430400 : v;
    return (uint32_t)(v >> 12);
}

/* The k in [0, n) whose f(k) is nearest to target, f monotonic
 * (increasing, or decreasing if `down`). */
static int32_t search(double (*f)(const void *ctx, int32_t k),
                      const void *ctx, int32_t n, double target, int down)
{
    int32_t lo = 0, hi = n - 1;
    /* The first k with f(k) at or past target. */
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        double v = f(ctx, mid);
        if (down ? v <= target : v >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo > 0 && fabs(f(ctx, lo - 1) - target) <= fabs(f(ctx, lo) - target))
        lo--;
    return lo;
}

struct ctx {
    const struct i2cemu_bmp280_calib *c;
    int32_t t_fine;
    unsigned shift;
};

static double f_t(const void *p, int32_t k)
{
    const struct ctx *x = p;
    int32_t tf;
    return i2cemu_bmp280_comp_t(x->c, k << x->shift, &tf);
}

static double f_p(const void *p, int32_t k)
{
    const struct ctx *x = p;
    return i2cemu_bmp280_comp_p(x->c, k << x->shift, x->t_fine);
}

static double f_h(const void *p, int32_t k)
{
    const struct ctx *x = p;
    return i2cemu_bme280_comp_h(x->c, k, x->t_fine);
}

int32_t i2cemu_bmp280_raw_t(const struct i2cemu_bmp280_calib *c, double t,
                            unsigned shift)
{
    struct ctx x = { c, 0, shift };
    return search(f_t, &x, 1 << (20 - shift), round(t * 100), 0) << shift;
}

int32_t i2cemu_bmp280_raw_p(const struct i2cemu_bmp280_calib *c, double p,
                            int32_t t_fine, unsigned shift)
{
    struct ctx x = { c, t_fine, shift };
    return search(f_p, &x, 1 << (20 - shift), p * 256, 1) << shift;
}

int32_t i2cemu_bme280_raw_h(const struct i2cemu_bmp280_calib *c, double h,
                            int32_t t_fine)
{
    struct ctx x = { c, t_fine, 0 };
    return search(f_h, &x, 1 << 16, h * 1024, 0);
}

static void le16(uint8_t *b, unsigned v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}

void i2cemu_bmp280_nvm(const struct i2cemu_bmp280_calib *c, uint8_t lo[26],
                       uint8_t hi[7])
{
    const int16_t sw[] = { c->T2, c->T3 };
    const int16_t pw[] = { c->P2, c->P3, c->P4, c->P5,
                           c->P6, c->P7, c->P8, c->P9 };
    le16(lo, c->T1);
    for (unsigned i = 0; i < 2; i++)
        le16(lo + 2 + 2 * i, (uint16_t)sw[i]);
    le16(lo + 6, c->P1);
    for (unsigned i = 0; i < 8; i++)
        le16(lo + 8 + 2 * i, (uint16_t)pw[i]);
    lo[24] = 0; /* 0xA0: reserved */
    lo[25] = c->H1;
    le16(hi, (uint16_t)c->H2);
    hi[2] = c->H3;
    /* 0xE4: H4[11:4]; 0xE5: H5[3:0] H4[3:0]; 0xE6: H5[11:4] */
    hi[3] = (uint8_t)((uint16_t)c->H4 >> 4);
    hi[4] = (uint8_t)(((uint16_t)c->H5 & 0xF) << 4 | ((uint16_t)c->H4 & 0xF));
    hi[5] = (uint8_t)((uint16_t)c->H5 >> 4);
    hi[6] = (uint8_t)c->H6;
}
