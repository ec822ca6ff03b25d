/* SPDX-License-Identifier: MIT */
/* Each trace format's encoder, fed a made-up event sequence, against the
 * exact output it must give. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <i2cemu/board.h>
#include <i2cemu/loop.h>

#include "trace/sink.h"

/* 2023-11-14T22:13:20.123456789Z */
#define WALL 1700000000123456789ull

static uint64_t fixed_wall(void)
{
    return WALL;
}

struct rig {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    char *out;
    size_t len;
    FILE *f;
};

/* Bus 1 (index 0) at 100 kHz; bus 2 (index 1) at 400 kHz with a name
 * that needs escaping in JSON. Time starts at 0. */
static void rig_init(struct rig *r)
{
    struct i2cemu_error err;
    struct i2cemu_bus_config c1 = I2CEMU_BUS_CONFIG_DEFAULT;
    struct i2cemu_bus_config c2 = I2CEMU_BUS_CONFIG_DEFAULT;

    c1.number = 1;
    c2.number = 2;
    c2.speed_hz = 400000;
    c2.name = "a\"b\\c\x01\xc3\xa9\xff\xe2\x82";
    r->loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    assert_non_null(r->loop);
    r->b = i2cemu_board_new(r->loop);
    assert_non_null(r->b);
    assert_int_equal(i2cemu_bus_add(r->b, &c1, &err), 0);
    assert_int_equal(i2cemu_bus_add(r->b, &c2, &err), 1);
    r->f = open_memstream(&r->out, &r->len);
    assert_non_null(r->f);
}

/* Close the sink (which closes the stream) and keep what it wrote. */
static void rig_close(struct trace_sink *s)
{
    assert_int_equal(s->close(s), 0);
}

static void rig_fini(struct rig *r)
{
    free(r->out);
    i2cemu_board_free(r->b);
    i2cemu_loop_free(r->loop);
}

static void ev(struct trace_sink *s, unsigned bus, struct i2cemu_trace_ev e)
{
    s->event(s, bus, &e);
}

#define START(t, a, rd, nack, rep)                                            \
    ((struct i2cemu_trace_ev){ .kind = I2CEMU_TRACE_START, .t_ns = (t),     \
                               .addr = (a), .read = (rd),                     \
                               .ack = (nack) ? I2CEMU_NACK : I2CEMU_ACK,      \
                               .repeated = (rep) })
#define BYTE(t, a, rd, v, nack, st)                                           \
    ((struct i2cemu_trace_ev){ .kind = I2CEMU_TRACE_BYTE, .t_ns = (t),      \
                               .addr = (a), .read = (rd), .byte = (v),        \
                               .ack = (nack) ? I2CEMU_NACK : I2CEMU_ACK,      \
                               .stretch_ns = (st) })
#define STOP(t, res)                                                          \
    ((struct i2cemu_trace_ev){ .kind = I2CEMU_TRACE_STOP, .t_ns = (t),      \
                               .result = (res) })

/* A register read (write the pointer, Sr, read one byte) and an absent
 * address, as the core reports them at 100 kHz. */
static void session(struct trace_sink *s)
{
    ev(s, 0, START(100000, 0x50, false, false, false));
    ev(s, 0, BYTE(190000, 0x50, false, 0x10, false, 0));
    ev(s, 0, START(290000, 0x50, true, false, true));
    ev(s, 0, BYTE(380000, 0x50, true, 0xab, true, 0));
    ev(s, 0, STOP(390000, 2));
    ev(s, 0, START(490000, 0x60, false, true, false));
    ev(s, 0, STOP(500000, -6));
}

static void text_one_line_per_transaction(void **state)
{
    struct rig r;

    (void)state;
    rig_init(&r);
    struct trace_sink *s = trace_text_sink_new(r.b, r.f);
    assert_non_null(s);
    session(s);
    /* Unfinished at the end: printed as far as it went. */
    ev(s, 1, START(1000000, 0x0c, true, false, false));
    rig_close(s);
    assert_string_equal(r.out,
        "i2c-1 0.000100: S 50 W A 10 A Sr 50 R A ab N P\n"
        "i2c-1 0.000490: S 60 W N P\n"
        "i2c-2 0.001000: S 0c R A\n");
    rig_fini(&r);
}

static void json_one_line_per_event(void **state)
{
    struct rig r;

    (void)state;
    rig_init(&r);
    struct trace_sink *s = trace_json_new(r.b, r.f, fixed_wall);
    assert_non_null(s);
    session(s);
    ev(s, 1, START(600000, 0x0c, false, false, false));
    ev(s, 1, BYTE(650000, 0x0c, false, 0x00, false, 27500));
    ev(s, 1, STOP(655000, -110));
    rig_close(s);
#define HEAD(t, bus) "{\"t_ns\":" #t ",\"wall\":\"2023-11-14T22:13:20." \
                     "123456789Z\",\"bus\":" #bus ","
    assert_string_equal(r.out,
        HEAD(0, 1) "\"kind\":\"bus\",\"name\":\"i2cemu adapter\","
            "\"speed_hz\":100000}\n"
        HEAD(100000, 1) "\"kind\":\"start\",\"addr\":80,\"tenbit\":false,"
            "\"dir\":\"write\",\"ack\":true}\n"
        HEAD(190000, 1) "\"kind\":\"byte\",\"addr\":80,\"dir\":\"write\","
            "\"byte\":16,\"ack\":true,\"stretch_ns\":0}\n"
        HEAD(290000, 1) "\"kind\":\"restart\",\"addr\":80,\"tenbit\":false,"
            "\"dir\":\"read\",\"ack\":true}\n"
        HEAD(380000, 1) "\"kind\":\"byte\",\"addr\":80,\"dir\":\"read\","
            "\"byte\":171,\"ack\":false,\"stretch_ns\":0}\n"
        HEAD(390000, 1) "\"kind\":\"stop\",\"result\":2}\n"
        HEAD(490000, 1) "\"kind\":\"start\",\"addr\":96,\"tenbit\":false,"
            "\"dir\":\"write\",\"ack\":false}\n"
        HEAD(500000, 1) "\"kind\":\"stop\",\"result\":-6,"
            "\"errno\":\"ENXIO\"}\n"
        /* Quotes, backslashes and control characters escaped, UTF-8
         * kept, other bytes (and a cut sequence) replaced. */
        HEAD(0, 2) "\"kind\":\"bus\",\"name\":\"a\\\"b\\\\c\\u0001\xc3\xa9"
            "\\ufffd\\ufffd\\ufffd\",\"speed_hz\":400000}\n"
        HEAD(600000, 2) "\"kind\":\"start\",\"addr\":12,\"tenbit\":false,"
            "\"dir\":\"write\",\"ack\":true}\n"
        HEAD(650000, 2) "\"kind\":\"byte\",\"addr\":12,\"dir\":\"write\","
            "\"byte\":0,\"ack\":true,\"stretch_ns\":27500}\n"
        HEAD(655000, 2) "\"kind\":\"stop\",\"result\":-110,"
            "\"errno\":\"ETIMEDOUT\"}\n");
#undef HEAD
    rig_fini(&r);
}

/* A transfer's client on its first START and its STOP (not on an Sr);
 * runtime property changes, the device named as the control plane names
 * it. */
static void json_client_and_property_changes(void **state)
{
    struct rig r;
    struct i2cemu_error err;

    (void)state;
    rig_init(&r);
    assert_int_equal(i2cemu_device_add(r.b, "24c02,addr=0x50", &err), 0);
    assert_int_equal(i2cemu_device_add(r.b, "24c02,addr=0x51,id=fru", &err),
                     1);
    struct trace_sink *s = trace_json_new(r.b, r.f, fixed_wall);
    assert_non_null(s);
    struct i2cemu_trace_ev e = START(100000, 0x50, false, false, false);
    e.pid = 77;
    ev(s, 0, e);
    e = START(200000, 0x50, true, false, true);
    e.pid = 77;
    ev(s, 0, e);
    e = STOP(300000, 2);
    e.pid = 77;
    ev(s, 0, e);
    ev(s, 0, (struct i2cemu_trace_ev){ .kind = I2CEMU_TRACE_SET,
                                       .t_ns = 400000, .addr = 0x50,
                                       .dev = 0, .prop = "wp",
                                       .value = "on" });
    ev(s, 0, (struct i2cemu_trace_ev){ .kind = I2CEMU_TRACE_SET,
                                       .t_ns = 500000, .addr = 0x51,
                                       .dev = 1, .prop = "wp",
                                       .value = "a\"b" });
    rig_close(s);
#define HEAD(t) "{\"t_ns\":" #t ",\"wall\":\"2023-11-14T22:13:20." \
                "123456789Z\",\"bus\":1,"
    assert_string_equal(r.out,
        HEAD(0) "\"kind\":\"bus\",\"name\":\"i2cemu adapter\","
            "\"speed_hz\":100000}\n"
        HEAD(100000) "\"kind\":\"start\",\"addr\":80,\"tenbit\":false,"
            "\"dir\":\"write\",\"ack\":true,\"pid\":77}\n"
        HEAD(200000) "\"kind\":\"restart\",\"addr\":80,\"tenbit\":false,"
            "\"dir\":\"read\",\"ack\":true}\n"
        HEAD(300000) "\"kind\":\"stop\",\"result\":2,\"pid\":77}\n"
        HEAD(400000) "\"kind\":\"set\",\"dev\":\"24c02@1-0050\","
            "\"addr\":80,\"prop\":\"wp\",\"value\":\"on\"}\n"
        HEAD(500000) "\"kind\":\"set\",\"dev\":\"fru\",\"addr\":81,"
            "\"prop\":\"wp\",\"value\":\"a\\\"b\"}\n");
#undef HEAD
    rig_fini(&r);
}

#define VCD_HEAD(bus, hz)                                                     \
    "$version i2cemu $end\n"                                                  \
    "$comment i2c-" #bus " at " #hz " Hz $end\n"                              \
    "$timescale 1 ns $end\n"                                                  \
    "$scope module i2c" #bus " $end\n"                                        \
    "$var wire 1 ! scl $end\n"                                                \
    "$var wire 1 \" sda $end\n"                                               \
    "$upscope $end\n"                                                         \
    "$enddefinitions $end\n"                                                  \
    "#0\n1!\n1\"\n"

/* START, 0x50 write (1010 0000), ACK, STOP at 100 kHz: T = 10 us, and
 * each change falls on a quarter of T. */
static void vcd_draws_start_address_ack_stop(void **state)
{
    struct rig r;

    (void)state;
    rig_init(&r);
    struct trace_sink *s = trace_vcd_new(r.b, r.f, 0);
    assert_non_null(s);
    ev(s, 0, START(100000, 0x50, false, false, false));
    ev(s, 1, START(100000, 0x51, false, false, false)); /* not this bus */
    ev(s, 0, STOP(110000, 1));
    rig_close(s);
    assert_string_equal(r.out, VCD_HEAD(1, 100000)
        "#7500\n0\"\n#10000\n0!\n"                        /* START */
        "#12500\n1\"\n#15000\n1!\n#20000\n0!\n"           /* 1 */
        "#22500\n0\"\n#25000\n1!\n#30000\n0!\n"           /* 0 */
        "#32500\n1\"\n#35000\n1!\n#40000\n0!\n"           /* 1 */
        "#42500\n0\"\n#45000\n1!\n#50000\n0!\n"           /* 0 */
        "#55000\n1!\n#60000\n0!\n#65000\n1!\n#70000\n0!\n" /* 0 0 */
        "#75000\n1!\n#80000\n0!\n#85000\n1!\n#90000\n0!\n" /* 0 0 */
        "#95000\n1!\n#100000\n0!\n"                       /* ACK */
        "#105000\n1!\n#107500\n1\"\n"                     /* STOP */
        "#117500\n");
    rig_fini(&r);
}

/* A device stretching 30 us before the ACK of a written 0x00: SCL stays
 * low from the 8th bit's falling edge to the ACK clock. A repeated START
 * after it raises SDA while SCL is low. */
static void vcd_draws_stretch_and_repeated_start(void **state)
{
    struct rig r;

    (void)state;
    rig_init(&r);
    struct trace_sink *s = trace_vcd_new(r.b, r.f, 0);
    assert_non_null(s);
    ev(s, 0, BYTE(50000, 0x50, false, 0x00, false, 0)); /* before a START */
    ev(s, 0, START(100000, 0x50, false, false, false));
    ev(s, 0, BYTE(220000, 0x50, false, 0x00, false, 30000));
    ev(s, 0, START(320000, 0x50, true, true, true));
    rig_close(s);
    const char *want = "#175000\n1!\n#180000\n0!\n" /* bit 7 */
                       "#215000\n1!\n#220000\n0!\n" /* ACK after 35 us */
                       "#222500\n1\"\n#225000\n1!\n#227500\n0\"\n"
                       "#230000\n0!\n";             /* Sr */
    assert_non_null(strstr(r.out, want));
    /* The stray byte before any START drew nothing. */
    assert_memory_equal(r.out + strlen(VCD_HEAD(1, 100000)), "#7500\n0\"\n",
                        9);
    rig_fini(&r);
}

/* The pcap bytes: file header, then one record per message with the
 * 5-byte LINKTYPE_I2C_LINUX pseudo-header. */
static void pcap_one_record_per_message(void **state)
{
    struct rig r;

    (void)state;
    rig_init(&r);
    struct trace_sink *s = trace_pcap_new(r.b, r.f, fixed_wall);
    assert_non_null(s);
    session(s);
    rig_close(s);
    static const uint8_t want[] = {
        0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x06, 0x00, 0x01, 0x00, /* snaplen 5 + 65537 */
        209, 0, 0, 0,
        /* S 50 W A 10 A, at 1700000000 s + 123556789 ns */
        0x00, 0xf1, 0x53, 0x65, 0xb5, 0x53, 0x5d, 0x07, 7, 0, 0, 0, 7, 0, 0, 0,
        1, 0, 0, 0, 0, 0xa0, 0x10,
        /* Sr 50 R A ab N: I2C_M_RD */
        0x00, 0xf1, 0x53, 0x65, 0xe5, 0x39, 0x60, 0x07, 7, 0, 0, 0, 7, 0, 0, 0,
        1, 0, 0, 0, 1, 0xa1, 0xab,
        /* S 60 W N: the address byte alone */
        0x00, 0xf1, 0x53, 0x65, 0x25, 0x47, 0x63, 0x07, 6, 0, 0, 0, 6, 0, 0, 0,
        1, 0, 0, 0, 0, 0xc0,
    };
    assert_int_equal(r.len, sizeof(want));
    assert_memory_equal(r.out, want, sizeof(want));
    rig_fini(&r);
}

/* A 10-bit read: both address bytes, 11110xx1 and the low byte, and the
 * flags I2C_M_RD | I2C_M_TEN; on bus 2, the bus byte says so. */
static void pcap_ten_bit_message(void **state)
{
    struct rig r;

    (void)state;
    rig_init(&r);
    struct trace_sink *s = trace_pcap_new(r.b, r.f, fixed_wall);
    assert_non_null(s);
    struct i2cemu_trace_ev start = START(0, 0x150, true, false, false);
    start.tenbit = true;
    ev(s, 1, start);
    ev(s, 1, BYTE(0, 0x150, true, 0x5a, true, 0));
    ev(s, 1, STOP(0, 1));
    rig_close(s);
    static const uint8_t want[] = { 8, 0, 0, 0, 8, 0, 0, 0,
                                    2, 0, 0, 0, 0x11, 0xf3, 0x50, 0x5a };
    assert_int_equal(r.len, 24 + 8 + sizeof(want));
    assert_memory_equal(r.out + 24 + 8, want, sizeof(want));
    rig_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_one_line_per_transaction),
        cmocka_unit_test(json_one_line_per_event),
        cmocka_unit_test(json_client_and_property_changes),
        cmocka_unit_test(vcd_draws_start_address_ack_stop),
        cmocka_unit_test(vcd_draws_stretch_and_repeated_start),
        cmocka_unit_test(pcap_one_record_per_message),
        cmocka_unit_test(pcap_ten_bit_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
