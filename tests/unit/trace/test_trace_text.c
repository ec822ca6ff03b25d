/* SPDX-License-Identifier: MIT */
/* The text trace sink (i2cemu -v): the kernel's smbus-protocol.rst
 * notation, one line per transaction, with and without its bus and time. */
#include <errno.h>
#include <stdlib.h>

#include "trace/text.h"
#include "rig.h"
#include "testdevs.h"

#define W(a, ...) {.addr = a, .len = sizeof((uint8_t[]){__VA_ARGS__}), \
                   .buf = (uint8_t[]){__VA_ARGS__}}

struct sink {
    FILE *out;
    char *text;
    size_t len;
    struct trace_text *t;
};

static void sink_open(struct sink *s, struct bench *b)
{
    s->out = open_memstream(&s->text, &s->len);
    assert_non_null(s->out);
    s->t = trace_text_new(b->b, s->out);
    assert_non_null(s->t);
}

static void sink_close(struct sink *s)
{
    trace_text_free(s->t);
    fclose(s->out);
    free(s->text);
}

/* Two transfers on bus 1, one on bus 2, at 100 kHz on the FAST clock. */
static void run_traffic(struct bench *b)
{
    uint8_t rd[1];
    struct i2c_msg wr[] = {W(0x50, 0x10),
                           {.addr = 0x50, .flags = I2C_M_RD, .len = 1,
                            .buf = rd}};
    struct i2c_msg absent[] = {W(0x60, 0x00)};
    struct i2c_msg two[] = {W(0x51, 0x07, 0x99)};

    assert_int_equal(bench_transfer(b, bench_bus(b, 1), wr, 2), 2);
    assert_int_equal(bench_transfer(b, bench_bus(b, 1), absent, 1), -ENXIO);
    assert_int_equal(bench_transfer(b, bench_bus(b, 2), two, 1), 1);
}

static void lines_carry_the_bus_and_the_time_since_the_trace_began(void **state)
{
    (void)state;
    struct bench b;
    struct sink s;
    bench_init(&b, I2CEMU_CLOCK_FAST);
    bench_add_type(&b, &test_reg, "addr=0x50,bus=1");
    bench_add_type(&b, &test_reg, "addr=0x51,bus=2");
    i2cemu_loop_advance(b.loop, 5 * MS); /* before the trace: not counted */
    sink_open(&s, &b);
    run_traffic(&b);
    fflush(s.out);
    /* A START is stamped when its address has been answered, 10 bits
     * in; the first transfer takes 10 + 9 + 10 + 9 + 1 bits, the second
     * 10 + 1, at 10 us each. */
    assert_string_equal(s.text,
                        "i2c-1 0.000100: S 50 W A 10 A Sr 50 R A 00 N P\n"
                        "i2c-1 0.000490: S 60 W N P\n"
                        "i2c-2 0.000600: S 51 W A 07 A 99 A P\n");
    sink_close(&s);
    bench_fini(&b);
}

static void a_bare_trace_leaves_out_bus_and_time(void **state)
{
    (void)state;
    struct bench b;
    struct sink s;
    bench_init(&b, I2CEMU_CLOCK_FAST);
    bench_add_type(&b, &test_reg, "addr=0x50,bus=1");
    bench_add_type(&b, &test_reg, "addr=0x51,bus=2");
    sink_open(&s, &b);
    trace_text_set_bare(s.t, true);
    run_traffic(&b);
    fflush(s.out);
    assert_string_equal(s.text, "S 50 W A 10 A Sr 50 R A 00 N P\n"
                                "S 60 W N P\n"
                                "S 51 W A 07 A 99 A P\n");
    sink_close(&s);
    bench_fini(&b);
}

/* A fault rule that acts is a line of its own, timed when it acted,
 * before the line of the transaction it changed. */
static void a_fault_is_a_line_before_its_transaction(void **state)
{
    (void)state;
    struct bench b;
    struct sink s;
    uint8_t rd[1];
    struct i2c_msg three[] = {W(0x50, 0x10, 0x20, 0x30)};
    struct i2c_msg wr[] = {W(0x50, 0x10),
                           {.addr = 0x50, .flags = I2C_M_RD, .len = 1,
                            .buf = rd}};
    bench_init(&b, I2CEMU_CLOCK_FAST);
    bench_add_type(&b, &test_reg, "addr=0x50,bus=1");
    assert_int_equal(i2cemu_fault_add(b.b, "data-nack,addr=0x50,byte=1,once",
                                      &b.err), 1);
    sink_open(&s, &b);
    assert_int_equal(bench_transfer(&b, bench_bus(&b, 1), three, 1), -EIO);
    assert_int_equal(bench_transfer(&b, bench_bus(&b, 1), three, 1), 1);
    fflush(s.out);
    /* The NACKed byte ends 10 + 9 + 9 bits in; the transfer takes 29. */
    assert_string_equal(s.text,
                        "i2c-1 0.000190: fault data-nack (rule 1) 50 W\n"
                        "i2c-1 0.000100: S 50 W A 10 A 20 N P\n"
                        "i2c-1 0.000390: S 50 W A 10 A 20 A 30 A P\n");
    sink_close(&s);

    /* Bare; an address NACK of the read message, after a repeated START. */
    assert_int_equal(i2cemu_fault_add(b.b, "addr-nack,addr=0x50,dir=read",
                                      &b.err), 2);
    sink_open(&s, &b);
    trace_text_set_bare(s.t, true);
    assert_int_equal(bench_transfer(&b, bench_bus(&b, 1), wr, 2), -ENXIO);
    fflush(s.out);
    assert_string_equal(s.text, "fault addr-nack (rule 2) 50 R\n"
                                "S 50 W A 10 A Sr 50 R N P\n");
    sink_close(&s);
    bench_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_carry_the_bus_and_the_time_since_the_trace_began),
        cmocka_unit_test(a_bare_trace_leaves_out_bus_and_time),
        cmocka_unit_test(a_fault_is_a_line_before_its_transaction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
