/* SPDX-License-Identifier: MIT */
/* Address matching, the bus trace and fault injection. */
#include "core/board_internal.h"

bool i2cemu_matches_add(struct i2cemu_matches *m, unsigned dev)
{
    for (unsigned i = 0; i < m->n; i++)
        if (m->dev[i] == dev)
            return true;
    if (m->n == I2CEMU_MAX_MATCHES)
        return false;
    m->dev[m->n++] = (uint16_t)dev;
    return true;
}

void i2cemu_bus_match(struct i2cemu_board *b, unsigned bus, uint16_t addr,
                      bool tenbit, bool broadcast, struct i2cemu_matches *m)
{
    for (unsigned i = 0; i < b->a->ndevs; i++) {
        const struct i2cemu_dev_rec *r = dev_rec(b, i);
        if (r->bus != bus)
            continue;
        const struct i2cemu_device_type *t = board_type(b, i);
        if (t->match) {
            /* A mux answers for itself and for its selected channels. */
            struct i2cemu_dev d = dev_handle(b, i);
            t->match(&d, addr, tenbit, broadcast, m);
        } else if (broadcast) {
            if (t->flags & I2CEMU_TYPE_GENERAL_CALL)
                i2cemu_matches_add(m, i);
        } else if (r->addr == addr && (bool)r->tenbit == tenbit) {
            i2cemu_matches_add(m, i);
        }
    }
}

void i2cemu_bus_set_trace(struct i2cemu_board *b, unsigned bus,
                          i2cemu_trace_fn fn, void *opaque)
{
    b->rt[bus].trace = fn;
    b->rt[bus].trace_opaque = opaque;
}

uint64_t i2cemu_bus_bit_time_ns(const struct i2cemu_board *b, unsigned bus,
                                unsigned bits)
{
    return (uint64_t)bits * 1000000000u / bus_rec(b, bus)->speed_hz;
}

/* Arbitration and a held bus happen on the wire: a mux channel shares its
 * root's, which is where the master looks. */
void i2cemu_bus_inject_arbitration_loss(struct i2cemu_board *b, unsigned bus,
                                        unsigned n)
{
    bus_rec(b, bus_root(b, bus))->arb_loss = n;
}

void i2cemu_bus_inject_hold(struct i2cemu_board *b, unsigned bus, uint64_t ns)
{
    bus_rec(b, bus_root(b, bus))->hold_until_ns = i2cemu_loop_now(b->loop) + ns;
}
