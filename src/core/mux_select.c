/* SPDX-License-Identifier: MIT */
/*
 * Mux channels, as Linux's i2c-mux core drives them: before a transfer on
 * a mux channel, each mux on the way selects its channel with a control
 * write on its parent adapter (master.c's start()), and devices behind a
 * selected channel answer on the parent's wire (address()).
 */
#include "core/master_internal.h"

#include <errno.h>

/* The bus whose wire carries a transfer on `bus`: a channel of a mux with
 * select_channel is its parent's wire, reached through the mux's match
 * hook once the channel is selected. */
unsigned mux_wire_of(const struct i2cemu_board *b, unsigned bus)
{
    for (;;) {
        uint16_t p = bus_rec(b, bus)->parent_dev;
        if (p == I2CEMU_NONE || !board_type(b, p)->select_channel)
            return bus;
        bus = dev_rec(b, p)->bus;
    }
}

/* A mux driver's control write, START to STOP: `ctrl` to `addr` on
 * `bus`. Devices that stretch (send_async) do not take the byte. Returns
 * 0 or -errno: the parent adapter's for an address NACK, EIO for a data
 * NACK. */
static int control_write(struct i2cemu_transfer *t, unsigned bus,
                         uint16_t addr, uint8_t ctrl)
{
    struct i2cemu_board *b = t->board;
    struct i2cemu_matches m = {0};
    unsigned wire = mux_wire_of(b, bus), acked = 0;
    i2cemu_bus_match(b, wire, addr, false, false, &m);
    for (unsigned i = 0; i < m.n; i++) {
        const struct i2cemu_device_type *ty = board_type(b, m.dev[i]);
        struct i2cemu_dev d = dev_handle(b, m.dev[i]);
        if (!ty->event || ty->event(&d, I2CEMU_EV_START_SEND) == I2CEMU_ACK)
            m.dev[acked++] = m.dev[i];
    }
    m.n = acked;
    spend_bits(t, BITS_START + BITS_BYTE);
    trace(t, I2CEMU_TRACE_START, addr, false, false, 0,
          acked ? I2CEMU_ACK : I2CEMU_NACK);
    int err = -bus_rec(b, wire)->nack_errno;
    if (acked) {
        enum i2cemu_result ack = I2CEMU_NACK;
        for (unsigned i = 0; i < m.n; i++) {
            const struct i2cemu_device_type *ty = board_type(b, m.dev[i]);
            struct i2cemu_dev d = dev_handle(b, m.dev[i]);
            if (!ty->send_async &&
                (!ty->send || ty->send(&d, ctrl) == I2CEMU_ACK))
                ack = I2CEMU_ACK;
        }
        spend_bits(t, BITS_BYTE);
        trace(t, I2CEMU_TRACE_BYTE, addr, false, false, ctrl, ack);
        err = ack == I2CEMU_ACK ? 0 : -EIO;
    }
    spend_bits(t, BITS_STOP);
    trace(t, I2CEMU_TRACE_STOP, 0, false, false, 0, I2CEMU_ACK);
    event_all(b, &m, I2CEMU_EV_FINISH);
    return err;
}

/* Select the channels leading to `bus`, outermost mux first (each mux
 * adapter's select runs on its parent adapter). 0 or -errno. */
int mux_select_path(struct i2cemu_transfer *t, unsigned bus)
{
    struct i2cemu_board *b = t->board;
    uint16_t p = bus_rec(b, bus)->parent_dev;
    if (p == I2CEMU_NONE || !board_type(b, p)->select_channel)
        return 0;
    unsigned pbus = dev_rec(b, p)->bus;
    int err = mux_select_path(t, pbus);
    struct i2cemu_dev d = dev_handle(b, p);
    uint8_t ctrl;
    if (err || !board_type(b, p)->select_channel(&d, bus, &ctrl))
        return err;
    return control_write(t, pbus, dev_rec(b, p)->addr, ctrl);
}
