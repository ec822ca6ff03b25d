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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_carry_the_bus_and_the_time_since_the_trace_began),
        cmocka_unit_test(a_bare_trace_leaves_out_bus_and_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
