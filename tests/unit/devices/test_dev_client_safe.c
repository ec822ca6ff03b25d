/* SPDX-License-Identifier: MIT */
/* The types flagged I2CEMU_TYPE_CLIENT_SAFE (docs/fastpath.md) keep to
 * the flag's promise as realized with their defaults: no priv, no timer
 * armed (a preload client runs them without either). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <i2cemu/device.h>

#include "core/board_internal.h"

static void flagged_types_realize_without_priv_or_timer(void **state)
{
    (void)state;
    const struct i2cemu_type_table *t = &i2cemu_default_types;
    unsigned flagged = 0;

    for (unsigned i = 0; i < t->count; i++) {
        const struct i2cemu_device_type *ty = t->types[i];
        struct i2cemu_bus_config cfg = I2CEMU_BUS_CONFIG_DEFAULT;
        struct i2cemu_error err = { { 0 } };
        char spec[64];

        if (!(ty->flags & I2CEMU_TYPE_CLIENT_SAFE))
            continue;
        flagged++;
        /* REALTIME: a timer pending keeps run_once's answer true. */
        struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_REALTIME);
        struct i2cemu_board *b = i2cemu_board_new(l);
        assert_int_equal(i2cemu_bus_add(b, &cfg, &err), 0);
        snprintf(spec, sizeof spec, "%s,addr=0x50", ty->name);
        int dev = i2cemu_device_add(b, spec, &err);
        if (dev < 0)
            fail_msg("%s: %s", ty->name, err.msg);
        if (b->devs[dev].priv)
            fail_msg("%s: realize left priv set", ty->name);
        /* No timer armed, nothing deferred: the loop has nothing to do. */
        if (i2cemu_loop_run_once(l, false))
            fail_msg("%s: realize armed a timer", ty->name);
        i2cemu_board_free(b);
        i2cemu_loop_free(l);
    }
    /* 24c01 to 24c512 and regbank. */
    assert_true(flagged >= 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flagged_types_realize_without_priv_or_timer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
