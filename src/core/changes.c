/* SPDX-License-Identifier: MIT */
/*
 * Runtime property changes reach the model's `changed` hook between
 * transfers (device.h states the contract): at once when the device's bus
 * is free, else after the transfer in progress has ended, from the loop.
 * Hot-unplug waits for the bus the same way: a device being removed
 * answers until the transfer in flight has ended, then is unrealized.
 */
#include "core/board_internal.h"

static void call_hooks(struct i2cemu_board *b, unsigned dev)
{
    const struct i2cemu_device_type *t = board_type(b, dev);
    while (b->devs[dev].changed) {
        unsigned i = (unsigned)__builtin_ctzll(b->devs[dev].changed);
        b->devs[dev].changed &= b->devs[dev].changed - 1;
        struct i2cemu_dev d = dev_handle(b, dev);
        t->changed(&d, &t->props[i]);
    }
}

/* Unrealize (backing files are flushed) and leave a tombstone. */
static void remove_now(struct i2cemu_board *b, unsigned dev)
{
    const struct i2cemu_device_type *t = board_type(b, dev);
    b->devs[dev].changed = 0;
    if (t->unrealize) {
        struct i2cemu_dev d = dev_handle(b, dev);
        t->unrealize(&d);
    }
    b->devs[dev].priv = NULL;
    dev_rec(b, dev)->gone = DEV_REMOVED;
    addr_tables_invalidate(b);
}

bool changes_remove(struct i2cemu_board *b, unsigned dev)
{
    dev_rec(b, dev)->gone = DEV_REMOVING;
    if (bus_mid_transfer(b, dev_rec(b, dev)->bus)) {
        b->changes_waiting = true;
        return false;
    }
    remove_now(b, dev);
    return true;
}

void changes_notify(struct i2cemu_board *b, unsigned dev, unsigned prop)
{
    if (!board_type(b, dev)->changed || prop >= I2CEMU_MAX_PROPS)
        return;
    b->devs[dev].changed |= 1ull << prop;
    if (bus_mid_transfer(b, dev_rec(b, dev)->bus))
        b->changes_waiting = true;
    else
        call_hooks(b, dev);
}

static bool waits(const struct i2cemu_board *b, unsigned dev)
{
    return b->devs[dev].changed || dev_rec(b, dev)->gone == DEV_REMOVING;
}

static void run_waiting(struct i2cemu_timer *tm)
{
    struct i2cemu_board *b = tm->opaque;
    bool left = false;
    for (unsigned i = 0; i < b->a->ndevs; i++) {
        if (bus_mid_transfer(b, dev_rec(b, i)->bus))
            continue;
        if (dev_rec(b, i)->gone == DEV_REMOVING)
            remove_now(b, i);
        else if (b->devs[i].changed && dev_live(b, i))
            call_hooks(b, i);
    }
    for (unsigned i = 0; i < b->a->ndevs && !left; i++)
        left = waits(b, i);
    b->changes_waiting = left;
}

void changes_init(struct i2cemu_board *b)
{
    i2cemu_timer_init(&b->changes_timer, run_waiting, b);
}

void changes_bus_idle(struct i2cemu_board *b, unsigned root)
{
    /* Most transfers end with nothing waiting: no walk over the devices. */
    if (!b->changes_waiting)
        return;
    for (unsigned i = 0; i < b->a->ndevs; i++) {
        if (waits(b, i) && bus_root(b, dev_rec(b, i)->bus) == root) {
            /* Not from here: the transfer's end may be inside a model's
             * own callback (i2cemu_dev_ack). Deferred calls run in order,
             * so this runs before the next queued transfer starts. */
            i2cemu_loop_defer(b->loop, &b->changes_timer);
            return;
        }
    }
}
