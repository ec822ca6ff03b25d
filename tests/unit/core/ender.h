/* SPDX-License-Identifier: MIT */
/* test-ender: a device that resets the bus or aborts the transfer it is
 * in from one of its callbacks (device.h allows both), for the tests of
 * the master's straight-line path (test_core_fastpath_events.c) and of
 * its generic machine (test_core_master_reentry.c). */
#ifndef TEST_CORE_ENDER_H
#define TEST_CORE_ENDER_H

#include <stdbool.h>
#include <stdint.h>

#include <i2cemu/device.h>

/* Where it ends the transfer: once, so that the FINISH a reset sends
 * does not start it again. */
enum ender_site { AT_NEVER, AT_START_SEND, AT_START_RECV, AT_DESELECT,
                  AT_SEND, AT_SEND_ASYNC, AT_RECV, AT_NACK, AT_FINISH,
                  AT_SMBUS };

struct ender_state {
    uint8_t at;      /* enum ender_site */
    uint8_t count;   /* what recv returns */
    bool abort;      /* i2cemu_transfer_abort, else i2cemu_bus_reset */
    bool fired;
    uint32_t calls;  /* callbacks seen, the one that ended included */
    uint32_t after;  /* callbacks but FINISH after it fired */
};

/* Count the callback; end the transfer if this is the site. The state
 * must start with a struct ender_state. */
void ender_at(struct i2cemu_dev *d, enum ender_site here);
/* Its event callback: ender_at() at the event's site. */
enum i2cemu_result ender_event(struct i2cemu_dev *d, enum i2cemu_event ev);

/* event, send, recv, smbus_xfer (a byte read: 0x42). */
extern const struct i2cemu_device_type test_ender;
/* event, and send_async that stretches and never lets the clock go. */
extern const struct i2cemu_device_type test_ender_async;

#endif
