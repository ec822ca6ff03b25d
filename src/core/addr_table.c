/* SPDX-License-Identifier: MIT */
/*
 * Per-bus address tables: who answers a 7-bit START, and which chip
 * answers a native SMBus transaction, without walking every device.
 *
 * An entry gives exactly the answer the linear scan would give, or
 * ADDR_SCAN where only the scan can: on a bus with a device whose match
 * hook decides (a mux follows its channels, a 24c16 answers eight
 * addresses), and where two devices share an address. The tables are
 * derived from the device records (bus, address, 10-bit flag, removed)
 * and types, so whatever changes those marks them stale
 * (addr_tables_invalidate) and the next lookup rebuilds every bus's:
 * O(buses * 128 + devices), once per change of the device set.
 */
#include "core/board_internal.h"

void addr_tables_build(struct i2cemu_board *b)
{
    unsigned nbuses = b->a->nbuses;
    for (unsigned bus = 0; bus < nbuses; bus++) {
        struct addr_table *tb = &b->rt[bus].addrs;
        for (unsigned a = 0; a < 128; a++)
            tb->dev[a] = tb->smbus[a] = ADDR_NOBODY;
    }
    for (unsigned i = 0; i < b->a->ndevs; i++) {
        const struct i2cemu_dev_rec *r = dev_rec(b, i);
        const struct i2cemu_device_type *t = board_type(b, i);
        if (!dev_live(b, i) || r->bus >= nbuses)
            continue;
        struct addr_table *tb = &b->rt[r->bus].addrs;
        /* Native SMBus compares the raw address, whatever the flag. */
        if (t->smbus_xfer && r->addr < 128 && tb->smbus[r->addr] == ADDR_NOBODY)
            tb->smbus[r->addr] = (uint16_t)i;
        if (t->match) {
            for (unsigned a = 0; a < 128; a++)
                tb->dev[a] = ADDR_SCAN;
        } else if (!r->tenbit && r->addr < 128) {
            uint16_t *e = &tb->dev[r->addr];
            *e = *e == ADDR_NOBODY ? (uint16_t)i : ADDR_SCAN;
        }
    }
    b->addr_tables_stale = false;
}
