/* SPDX-License-Identifier: MIT */
/* The registry as a whole: every registered type's tables describe its
 * state (fields and properties cover it, without overlap or gap), names
 * are unique and fit the arena, and each type can be created with its
 * defaults and its fields dumped. */
#include <stdio.h>
#include <string.h>

#include "devtest.h"

#include <i2cemu/device.h>

static void every_type_describes_its_state(void **state)
{
    (void)state;
    const struct i2cemu_type_table *tt = &i2cemu_default_types;
    assert_true(tt->count >= 13);
    for (unsigned i = 0; i < tt->count; i++) {
        struct i2cemu_error err = {{0}};
        if (i2cemu_device_type_check(tt->types[i], &err) < 0)
            fail_msg("%s", err.msg);
        for (unsigned k = 0; k < i; k++)
            assert_string_not_equal(tt->types[k]->name, tt->types[i]->name);
        assert_ptr_equal(i2cemu_device_type_find(tt->types[i]->name),
                         tt->types[i]);
    }
}

struct dumped {
    size_t bytes;
    unsigned fields;
    const char *want;      /* a field to look at */
    const uint8_t *found;
    size_t found_size;
};

static void count_field(void *opaque, const struct i2cemu_field *f,
                        const void *bytes, size_t size)
{
    struct dumped *d = opaque;
    d->bytes += size;
    d->fields++;
    if (d->want && strcmp(f->name, d->want) == 0) {
        d->found = bytes;
        d->found_size = size;
    }
}

static void every_type_dumps_its_fields(void **state)
{
    (void)state;
    const struct i2cemu_type_table *tt = &i2cemu_default_types;
    for (unsigned i = 0; i < tt->count; i++) {
        struct bench t;
        bench_init(&t, I2CEMU_CLOCK_FAST);
        /* The first of a few usual addresses the part accepts (a GPIO
         * expander's range does not include an EEPROM's). */
        static const unsigned addrs[] = { 0x50, 0x20, 0x48,
                                          0x44, 0x4A, 0x76, 0x68, 0x51,
                                          0x70, 0x74, 0x3C, 0x23, 0x0B };
        int dev = -1;
        for (unsigned a = 0; dev < 0 && a < sizeof(addrs) / sizeof(*addrs);
             a++) {
            char spec[64];
            snprintf(spec, sizeof(spec), "%s,addr=0x%02x",
                     tt->types[i]->name, addrs[a]);
            struct i2cemu_error err = {{0}};
            dev = i2cemu_device_add(t.b, spec, &err);
        }
        if (dev < 0)
            fail_msg("%s: no usual address accepted", tt->types[i]->name);
        assert_string_equal(i2cemu_device_type_name(t.b, dev),
                            tt->types[i]->name);
        struct dumped d = {0};
        i2cemu_device_fields_dump(t.b, dev, count_field, &d);
        assert_true(d.fields > 0);
        bench_fini(&t);
    }
}

static void an_eeproms_cells_are_its_tail_field(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "24c02,addr=0x50");
    struct dumped d = {.want = "mem"};
    i2cemu_device_fields_dump(t.b, dev, count_field, &d);
    assert_non_null(d.found);
    assert_int_equal(d.found_size, 256);
    for (size_t i = 0; i < 256; i++)
        assert_int_equal(d.found[i], 0xFF); /* erased */
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_type_describes_its_state),
        cmocka_unit_test(every_type_dumps_its_fields),
        cmocka_unit_test(an_eeproms_cells_are_its_tail_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
