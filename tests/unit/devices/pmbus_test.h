/* SPDX-License-Identifier: MIT */
/* PMBus transactions for the device tests: SMBus byte, word and block
 * reads and writes as the bench's messages, with or without PEC. */
#ifndef I2CEMU_TESTS_PMBUS_TEST_H
#define I2CEMU_TESTS_PMBUS_TEST_H

#include <errno.h>

#include <i2cemu/crc8.h>

#include "devtest.h"

/* SMBus PEC (CRC-8, poly 0x07) over `n` bytes. */
static inline uint8_t pm_pec(const uint8_t *b, size_t n)
{
    return i2cemu_crc8(0x07, 0, b, n);
}

/* Read `n` bytes of command `cmd`: the transfer's result. */
static inline int pm_read(struct bench *t, uint8_t addr, uint8_t cmd,
                          uint8_t *buf, uint16_t n)
{
    return bench_xfer(t, addr, &cmd, 1, buf, n);
}

static inline unsigned pm_byte(struct bench *t, uint8_t addr, uint8_t cmd)
{
    uint8_t b[1];
    assert_int_equal(pm_read(t, addr, cmd, b, 1), 2);
    return b[0];
}

static inline unsigned pm_word(struct bench *t, uint8_t addr, uint8_t cmd)
{
    uint8_t b[2];
    assert_int_equal(pm_read(t, addr, cmd, b, 2), 2);
    return b[0] | (unsigned)b[1] << 8;
}

/* A word read with PEC; asserts the PEC is the transaction's CRC. */
static inline unsigned pm_word_pec(struct bench *t, uint8_t addr, uint8_t cmd)
{
    uint8_t b[3];
    assert_int_equal(pm_read(t, addr, cmd, b, 3), 2);
    uint8_t all[] = { (uint8_t)(addr << 1), cmd, (uint8_t)(addr << 1 | 1),
                      b[0], b[1] };
    assert_int_equal(b[2], pm_pec(all, sizeof(all)));
    return b[0] | (unsigned)b[1] << 8;
}

/* Write command `cmd` and `n` data bytes, with a PEC byte if `pec`:
 * the transfer's result. */
static inline int pm_write(struct bench *t, uint8_t addr, bool pec,
                           uint8_t cmd, const uint8_t *data, unsigned n)
{
    uint8_t buf[40] = { (uint8_t)(addr << 1), cmd };
    if (n)
        memcpy(buf + 2, data, n);
    buf[2 + n] = pm_pec(buf, 2 + n);
    return bench_xfer(t, addr, buf + 1, (uint16_t)(1 + n + pec), NULL, 0);
}

static inline void pm_set_byte(struct bench *t, uint8_t addr, uint8_t cmd,
                               uint8_t v)
{
    assert_int_equal(pm_write(t, addr, false, cmd, &v, 1), 1);
}

static inline void pm_set_word(struct bench *t, uint8_t addr, uint8_t cmd,
                               uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    assert_int_equal(pm_write(t, addr, false, cmd, b, 2), 1);
}

static inline void pm_send(struct bench *t, uint8_t addr, uint8_t cmd)
{
    assert_int_equal(pm_write(t, addr, false, cmd, NULL, 0), 1);
}

/* An SMBus block read: the count, and the data in buf. */
static inline unsigned pm_block(struct bench *t, uint8_t addr, uint8_t cmd,
                                char *buf)
{
    uint8_t b[34];
    assert_int_equal(pm_read(t, addr, cmd, b, 34), 2);
    memcpy(buf, b + 1, b[0]);
    buf[b[0]] = 0;
    return b[0];
}

/* The read-only smbalert property: true when released (1). */
static inline bool pm_alert_released(struct bench *t, unsigned dev)
{
    char v[8];
    assert_true(i2cemu_device_get(t->b, dev, "smbalert", v, sizeof(v),
                                  NULL) > 0);
    bool line = i2cemu_device_line(t->b, dev, 0);
    assert_int_equal(line, strcmp(v, "on") == 0);
    return line;
}

#endif
