/* SPDX-License-Identifier: MIT */
/*
 * Device types as the core sees them, linked without the device models: a
 * board takes its type table, records each device's type by name (so an
 * arena means the same under a table in another order), dumps a device's
 * fields, and i2cemu_device_type_check() refuses a table that does not
 * describe its state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/board_internal.h"

struct a_state {
    double level; /* property */
    uint8_t flags;
    /* 1 byte of padding */
    uint16_t count;
    uint32_t total;
    uint8_t tail[];
};

static const struct i2cemu_prop a_props[] = {
    I2CEMU_PROP_FLOAT_("level", struct a_state, level, 1.5, 0, 10,
                       I2CEMU_PROP_RUNTIME, "level"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field a_fields[] = {
    I2CEMU_FIELD("flags", struct a_state, flags, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("count", struct a_state, count, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("total", struct a_state, total, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_TAIL("tail", struct a_state, tail, I2CEMU_FIELD_PERSISTENT),
    I2CEMU_FIELD_END,
};

static size_t a_tail_size(const void *state)
{
    (void)state;
    return 3;
}

static int a_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct a_state *s = d->state;
    (void)err;
    s->flags = 0x5a;
    s->count = 0x1234;
    s->total = 7;
    memcpy(s->tail, "xyz", 3);
    return 0;
}

static const struct i2cemu_device_type type_a = {
    .name = "test-a",
    .help = "fields of every sort",
    .props = a_props,
    .fields = a_fields,
    .state_size = sizeof(struct a_state),
    .tail_size = a_tail_size,
    .realize = a_realize,
};

static const struct i2cemu_device_type type_b = {
    .name = "test-b",
    .help = "no state",
};

static const struct i2cemu_device_type *const ab[] = {&type_a, &type_b};
static const struct i2cemu_device_type *const ba[] = {&type_b, &type_a};
static const struct i2cemu_type_table table_ab = {ab, 2};
static const struct i2cemu_type_table table_ba = {ba, 2};
static const struct i2cemu_type_table table_b = {ba, 1};

static void boards_know_the_types_they_are_given(void **state)
{
    (void)state;
    struct i2cemu_error err;
    struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new_with_types(l, &table_ab);
    assert_int_equal(i2cemu_device_add(b, "test-b,addr=0x10", &err), 0);
    assert_int_equal(i2cemu_device_add(b, "test-a,addr=0x11", &err), 1);
    assert_int_equal(i2cemu_device_add(b, "24c02,addr=0x50", &err), -1);
    assert_string_equal(err.msg, "unknown device type '24c02' (see: i2cemu "
                                 "devices)");
    assert_ptr_equal(i2cemu_device_type_of(b, 1), &type_a);
    assert_string_equal(i2cemu_device_type_name(b, 0), "test-b");
    /* One name, one type: a custom type cannot take a table type's name. */
    static const struct i2cemu_device_type impostor = {.name = "test-a"};
    assert_int_equal(i2cemu_device_add_custom(b, &impostor, "addr=0x12", &err),
                     -1);
    assert_string_equal(err.msg, "another type is already named 'test-a'");
    /* The arena holds 31 characters of a name. */
    static const struct i2cemu_device_type longname = {
        .name = "a-type-name-of-thirty-two-chars!"};
    assert_int_equal(i2cemu_device_add_custom(b, &longname, "addr=0x14", &err),
                     -1);
    assert_string_equal(err.msg, "type name 'a-type-name-of-thirty-two-chars!' "
                                 "is longer than 31 characters");
    assert_int_equal(i2cemu_device_type_check(&longname, &err), -1);
    /* The table's own type, given as custom, is the same type. */
    assert_int_equal(i2cemu_device_add_custom(b, &type_b, "addr=0x13", &err),
                     2);
    i2cemu_board_free(b);
    i2cemu_loop_free(l);
}

/* Copy one board's arena into another, as a restore or a second process
 * mapping it would. */
static void adopt_arena(struct i2cemu_board *to, const struct i2cemu_board *from)
{
    size_t size;
    const void *a = i2cemu_board_arena(from, &size);
    free(to->a);
    to->a = malloc(size);
    memcpy(to->a, a, size);
    to->cap = size;
}

static void the_arena_names_types_not_indices(void **state)
{
    (void)state;
    struct i2cemu_error err;
    struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b1 = i2cemu_board_new_with_types(l, &table_ab);
    assert_int_equal(i2cemu_device_add(b1, "test-a,addr=0x11", &err), 0);
    assert_int_equal(i2cemu_device_add(b1, "test-b,addr=0x12", &err), 1);
    const struct i2cemu_arena *a = i2cemu_board_arena(b1, NULL);
    assert_string_equal(a->dev[0].type, "test-a");
    assert_string_equal(a->dev[1].type, "test-b");

    /* A board whose table lists the types in the other order reads the
     * same devices from it. */
    struct i2cemu_board *b2 = i2cemu_board_new_with_types(l, &table_ba);
    adopt_arena(b2, b1);
    assert_int_equal(board_bind_types(b2, &err), 0);
    assert_ptr_equal(i2cemu_device_type_of(b2, 0), &type_a);
    assert_ptr_equal(i2cemu_device_type_of(b2, 1), &type_b);
    char out[16];
    assert_int_equal(i2cemu_device_get(b2, 0, "level", out, sizeof(out), &err),
                     3);
    assert_string_equal(out, "1.5");

    /* A board that lacks a type says which, and binds nothing. */
    struct i2cemu_board *b3 = i2cemu_board_new_with_types(l, &table_b);
    adopt_arena(b3, b1);
    assert_int_equal(board_bind_types(b3, &err), -1);
    assert_string_equal(err.msg, "device 0: unknown type 'test-a'");
    b3->a->ndevs = 0; /* nothing to unrealize */

    i2cemu_board_free(b3);
    i2cemu_board_free(b2);
    i2cemu_board_free(b1);
    i2cemu_loop_free(l);
}

struct dump {
    char s[256];
};

static void dump_field(void *opaque, const struct i2cemu_field *f,
                       const void *bytes, size_t size)
{
    struct dump *d = opaque;
    size_t n = strlen(d->s);
    n += (size_t)snprintf(d->s + n, sizeof(d->s) - n, "%s[%zu]", f->name, size);
    for (size_t i = 0; i < size; i++)
        n += (size_t)snprintf(d->s + n, sizeof(d->s) - n, " %02x",
                              ((const uint8_t *)bytes)[i]);
    snprintf(d->s + n, sizeof(d->s) - n, "; ");
}

static void fields_dump_gives_each_fields_bytes(void **state)
{
    (void)state;
    struct i2cemu_error err;
    struct i2cemu_loop *l = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new_with_types(l, &table_ab);
    int dev = i2cemu_device_add(b, "test-a,addr=0x11", &err);
    assert_int_equal(dev, 0);
    struct dump d = {""};
    i2cemu_device_fields_dump(b, 0, dump_field, &d);
    assert_string_equal(d.s, "flags[1] 5a; count[2] 34 12; "
                             "total[4] 07 00 00 00; tail[3] 78 79 7a; ");
    i2cemu_board_free(b);
    i2cemu_loop_free(l);
}

static void no_recv_buf(struct i2cemu_dev *d, uint8_t *buf, size_t n)
{
    (void)d;
    (void)buf;
    (void)n;
}

static void check_fails(const struct i2cemu_device_type *t, const char *msg)
{
    struct i2cemu_error err = {{0}};
    if (i2cemu_device_type_check(t, &err) != -1)
        fail_msg("passed, expected: %s", msg);
    assert_string_equal(err.msg, msg);
}

static void type_check_refuses_tables_that_miss_state(void **state)
{
    (void)state;
    struct i2cemu_error err;
    /* The right table passes: the byte after `flags` is padding. */
    assert_int_equal(i2cemu_device_type_check(&type_a, &err), 0);
    assert_int_equal(i2cemu_device_type_check(&type_b, &err), 0);

    /* A field left out. (A member smaller than the next one's alignment
     * left out looks like padding: the check cannot see that.) */
    static const struct i2cemu_field no_flags[] = {
        I2CEMU_FIELD("count", struct a_state, count, 0),
        I2CEMU_FIELD("total", struct a_state, total, 0),
        I2CEMU_FIELD_TAIL("tail", struct a_state, tail, 0),
        I2CEMU_FIELD_END,
    };
    struct i2cemu_device_type t = type_a;
    t.fields = no_flags;
    check_fails(&t, "test-a: bytes 8 to 9 (before count) are in no field");

    /* A field at the wrong offset. */
    static const struct i2cemu_field bad_offset[] = {
        I2CEMU_FIELD("flags", struct a_state, flags, 0),
        {.name = "count", .offset = offsetof(struct a_state, count) + 1,
         .size = 2},
        I2CEMU_FIELD("total", struct a_state, total, 0),
        I2CEMU_FIELD_TAIL("tail", struct a_state, tail, 0),
        I2CEMU_FIELD_END,
    };
    t.fields = bad_offset;
    check_fails(&t, "test-a: bytes 9 to 10 (before count) are in no field");

    /* Two names for one member. */
    static const struct i2cemu_field twice[] = {
        I2CEMU_FIELD("flags", struct a_state, flags, 0),
        I2CEMU_FIELD("count", struct a_state, count, 0),
        {.name = "count_lo", .offset = offsetof(struct a_state, count),
         .size = 1},
        I2CEMU_FIELD("total", struct a_state, total, 0),
        I2CEMU_FIELD_TAIL("tail", struct a_state, tail, 0),
        I2CEMU_FIELD_END,
    };
    t.fields = twice;
    check_fails(&t, "test-a: count_lo overlaps count");

    /* The last member missing. */
    static const struct i2cemu_field no_tail[] = {
        I2CEMU_FIELD("flags", struct a_state, flags, 0),
        I2CEMU_FIELD("count", struct a_state, count, 0),
        I2CEMU_FIELD("total", struct a_state, total, 0),
        I2CEMU_FIELD_END,
    };
    t.fields = no_tail;
    t.tail_size = NULL;
    assert_int_equal(i2cemu_device_type_check(&t, &err), 0); /* no tail: ok */

    t.tail_size = a_tail_size;
    check_fails(&t, "test-a: a tail_size but no tail field");

    /* No table at all for a state with members. */
    t = type_a;
    t.fields = NULL;
    t.tail_size = NULL;
    check_fails(&t, "test-a: bytes 8 to 15 (after level) are in no field");

    /* A default its own range refuses. */
    static const struct i2cemu_prop bad_default[] = {
        I2CEMU_PROP_FLOAT_("level", struct a_state, level, 11, 0, 10, 0, "l"),
        I2CEMU_PROP_END,
    };
    t = type_a;
    t.props = bad_default;
    check_fails(&t, "test-a: level's default 11 is outside 0 to 10");

    /* A sequential read without the byte one the master also uses. */
    t = type_a;
    t.recv_buf = no_recv_buf;
    check_fails(&t, "test-a: recv_buf without recv");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boards_know_the_types_they_are_given),
        cmocka_unit_test(the_arena_names_types_not_indices),
        cmocka_unit_test(fields_dump_gives_each_fields_bytes),
        cmocka_unit_test(type_check_refuses_tables_that_miss_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
