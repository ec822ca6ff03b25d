/* SPDX-License-Identifier: MIT */
/* 24Cxx EEPROMs driven through the bus master. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "devtest.h"

/* Past the write cycle of a short write: tWR (5 ms) runs from its STOP,
 * which comes less than 2 ms after its START at 100 kHz. */
#define AFTER_TWR (7 * MS)

/* Random read: the word address (1 or 2 bytes), then n bytes. */
static void ee_read(struct bench *t, uint16_t addr, unsigned word,
                    unsigned abytes, uint8_t *buf, uint16_t n)
{
    uint8_t w[2] = { (uint8_t)(word >> 8), (uint8_t)word };
    assert_int_equal(bench_xfer(t, addr, abytes == 2 ? w : w + 1,
                                (uint16_t)abytes, buf, n), 2);
}

static void test_fresh_part_is_erased(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "24c02,addr=0x50");
    uint8_t buf[4];
    ee_read(&t, 0x50, 0x00, 1, buf, 4);
    assert_bytes(buf, 0xFF, 0xFF, 0xFF, 0xFF);
    bench_fini(&t);
}

static void test_byte_write_and_random_read(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "24c02,addr=0x50");
    bench_write(&t, 0x50, 0x10, 0xA1, 0xA2, 0xA3);
    i2cemu_loop_advance(t.loop, AFTER_TWR);
    uint8_t buf[5];
    ee_read(&t, 0x50, 0x0F, 1, buf, 5);
    assert_bytes(buf, 0xFF, 0xA1, 0xA2, 0xA3, 0xFF);
    /* Current-address read continues where the last read stopped. */
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, buf, 1), 1);
    assert_int_equal(buf[0], 0xFF);
    ee_read(&t, 0x50, 0x11, 1, buf, 1);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, buf, 2), 1);
    assert_bytes(buf, 0xA3, 0xFF);
    bench_fini(&t);
}

/* 24c02, 8-byte pages: ten bytes from 0x06 roll over within 0x00-0x07,
 * the last two overwriting the first two; 0x08 is untouched. */
static void test_page_write_rolls_over(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "24c02,addr=0x50");
    bench_write(&t, 0x50, 0x06, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    i2cemu_loop_advance(t.loop, AFTER_TWR);
    uint8_t buf[9];
    /* The counter rolled over too: it is past the last byte, at 0x00. */
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, buf, 1), 1);
    assert_int_equal(buf[0], 2);
    ee_read(&t, 0x50, 0x00, 1, buf, 9);
    assert_bytes(buf, 2, 3, 4, 5, 6, 7, 8, 9, 0xFF);
    bench_fini(&t);
}

/* Sequential reads roll over from the last byte to address 0. */
static void test_sequential_read_wraps(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "24c02,addr=0x50");
    bench_write(&t, 0x50, 0x00, 0x11, 0x22);
    i2cemu_loop_advance(t.loop, AFTER_TWR);
    bench_write(&t, 0x50, 0xFE, 0xEE, 0xEF);
    i2cemu_loop_advance(t.loop, AFTER_TWR);
    uint8_t buf[4];
    ee_read(&t, 0x50, 0xFE, 1, buf, 4);
    assert_bytes(buf, 0xEE, 0xEF, 0x11, 0x22);
    bench_fini(&t);
}

/* A read longer than the memory rolls over again and again, and reads the
 * same, counter included, whether the master takes it whole (recv_buf) or
 * byte by byte (as it does while tracing). */
static void long_read(enum i2cemu_clock_mode mode)
{
    struct bench t;
    bench_init(&t, mode);
    bench_add(&t, "24c01,addr=0x50");
    bench_write(&t, 0x50, 0x00, 0x11, 0x22);
    i2cemu_loop_advance(t.loop, AFTER_TWR);
    bench_write(&t, 0x50, 0x7E, 0xEE, 0xEF);
    i2cemu_loop_advance(t.loop, AFTER_TWR);
    /* 0x7E + 259 bytes: twice round 128 bytes, ending past 0x00. */
    uint8_t whole[259], bytewise[259], next[2];
    ee_read(&t, 0x50, 0x7E, 1, whole, sizeof(whole));
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, &next[0], 1), 1);
    bench_trace_on(&t);
    ee_read(&t, 0x50, 0x7E, 1, bytewise, sizeof(bytewise));
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, &next[1], 1), 1);
    assert_memory_equal(whole, bytewise, sizeof(whole));
    assert_bytes(whole, 0xEE, 0xEF, 0x11, 0x22, 0xFF);
    assert_bytes(whole + 128, 0xEE, 0xEF, 0x11, 0x22, 0xFF);
    assert_bytes(whole + 256, 0xEE, 0xEF, 0x11);
    assert_int_equal(next[0], 0x22);
    assert_int_equal(next[1], 0x22);
    bench_fini(&t);
}

static void test_long_read_whole_or_bytewise(void **state)
{
    (void)state;
    long_read(I2CEMU_CLOCK_VIRTUAL);
    long_read(I2CEMU_CLOCK_FAST); /* the master's straight-line path */
}

/* During tWR the part does not answer its address (acknowledge polling). */
static void test_write_cycle_nacks_until_twr(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "24c02,addr=0x50");
    bench_write(&t, 0x50, 0x20, 0x5A); /* STOP at 29 bits: 0.29 ms */
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, NULL, 0), -ENXIO);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, &b, 1), -ENXIO);
    i2cemu_loop_advance(t.loop, 290000 + 5 * MS - 1);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x20), &b, 1), -ENXIO);
    i2cemu_loop_advance(t.loop, 1);
    ee_read(&t, 0x50, 0x20, 1, &b, 1);
    assert_int_equal(b, 0x5A);
    bench_fini(&t);
}

static void test_twr_property(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "24c64,addr=0x50,twr_us=10000");
    bench_write(&t, 0x50, 0x00, 0x00, 0x01); /* STOP at 0.38 ms */
    i2cemu_loop_advance(t.loop, 5 * MS);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, NULL, 0), -ENXIO);
    i2cemu_loop_advance(t.loop, 5 * MS + 380000);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, NULL, 0), 1);
    bench_fini(&t);
}

/* FAST mode skips the write cycle. */
static void test_fast_clock_has_no_busy_time(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "24c02,addr=0x50");
    bench_write(&t, 0x50, 0x30, 0x42);
    ee_read(&t, 0x50, 0x30, 1, &b, 1);
    assert_int_equal(b, 0x42);
    bench_fini(&t);
}

/* Only STOP starts a write cycle: no data bytes, or a repeated START
 * instead of STOP, programs nothing and leaves the part ready. */
static void test_only_stop_programs(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "24c02,addr=0x50");
    bench_write(&t, 0x50, 0x40);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, &b, 1), 1);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x40, 0x77), &b, 1), 2);
    ee_read(&t, 0x50, 0x40, 1, &b, 1);
    assert_int_equal(b, 0xFF);
    bench_fini(&t);
}

/* A repeated START abandons the page write even when it addresses another
 * device: the EEPROM sees the START condition all the same. */
static void test_repeated_start_to_another_device_programs_nothing(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "24c02,addr=0x50");
    bench_add(&t, "lm75,addr=0x48");
    struct i2c_msg m[] = {
        { .addr = 0x50, .len = 2, .buf = (uint8_t[]){ 0x40, 0x77 } },
        { .addr = 0x48, .len = 1, .buf = (uint8_t[]){ 0x00 } },
    };
    struct i2cemu_transfer x = { .msgs = m, .nmsgs = 2 };
    assert_int_equal(bench_run(&t, bench_bus(&t, 1), &x), 2);
    ee_read(&t, 0x50, 0x40, 1, &b, 1); /* and no write cycle: it answers */
    assert_int_equal(b, 0xFF);
    bench_fini(&t);
}

/* WP high (AT24C02C "Write Protection"): everything is acknowledged, no
 * write cycle starts, nothing is programmed. WP is sampled at STOP. */
static void test_write_protect(void **state)
{
    (void)state;
    struct bench t;
    uint8_t b;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "24c02,addr=0x50,wp=on");
    bench_write(&t, 0x50, 0x50, 0x12, 0x34);
    ee_read(&t, 0x50, 0x50, 1, &b, 1); /* no busy time either */
    assert_int_equal(b, 0xFF);
    bench_set(&t, dev, "wp", "off");
    bench_write(&t, 0x50, 0x50, 0x12);
    i2cemu_loop_advance(t.loop, AFTER_TWR);
    ee_read(&t, 0x50, 0x50, 1, &b, 1);
    assert_int_equal(b, 0x12);
    bench_fini(&t);
}

/* 24c04/08/16: the low address bits are A8-A10 of the word address. */
static void test_block_select_addresses(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[2];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "24c16,addr=0x50");
    bench_write(&t, 0x57, 0xFF, 0x77);
    bench_write(&t, 0x53, 0x10, 0x33);
    ee_read(&t, 0x50, 0x10, 1, buf, 1);
    assert_int_equal(buf[0], 0xFF);
    ee_read(&t, 0x53, 0x10, 1, buf, 1);
    assert_int_equal(buf[0], 0x33);
    /* 0x7FF is the last byte: the read rolls over to 0x000. */
    bench_write(&t, 0x50, 0x00, 0x01, 0x99);
    ee_read(&t, 0x57, 0xFF, 1, buf, 2);
    assert_bytes(buf, 0x77, 0x01);
    /* The block bits are taken into the counter by a word-address write
     * only: a current-address read through 0x55 continues at 0x001. */
    assert_int_equal(bench_xfer(&t, 0x55, NULL, 0, buf, 1), 1);
    assert_int_equal(buf[0], 0x99);
    bench_refuse(&t, "24c02,addr=0x54", "already has 24c16");
    bench_fini(&t);

    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "24c04,addr=0x52");
    assert_int_equal(bench_xfer(&t, 0x53, BYTES(0x00), NULL, 0), 1);
    assert_int_equal(bench_xfer(&t, 0x51, BYTES(0x00), NULL, 0), -ENXIO);
    assert_int_equal(bench_xfer(&t, 0x54, BYTES(0x00), NULL, 0), -ENXIO);
    bench_refuse(&t, "24c08,addr=0x5A", "from a multiple of 4");
    bench_fini(&t);
}

/* From the 24c32 on the word address is two bytes; bits above the size
 * are ignored. */
/* With a driver bound, every address a 24c04/08/16 answers is busy for
 * I2C_SLAVE: Linux's at24 claims the extra ones with dummy clients. */
static void test_claimed_part_makes_every_address_busy(void **state)
{
    struct bench t;
    (void)state;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "24c08,addr=0x54,claim=driver");
    bench_add(&t, "24c04,addr=0x50");
    for (uint16_t a = 0x50; a <= 0x59; a++)
        assert_int_equal(i2cemu_bus_addr_busy(t.b, 0, a), a >= 0x54 && a <= 0x57);
    bench_fini(&t);
}

static void test_two_byte_address(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[3];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "24c32,addr=0x50");
    /* 0xFFF ends both the memory and its 32-byte page (0xFE0-0xFFF). */
    bench_write(&t, 0x50, 0x0F, 0xFF, 0xAA, 0xBB);
    ee_read(&t, 0x50, 0x0FE0, 2, buf, 1);
    assert_int_equal(buf[0], 0xBB);
    ee_read(&t, 0x50, 0xFFFF, 2, buf, 2); /* A15-A12: don't care */
    assert_bytes(buf, 0xAA, 0xFF);
    bench_fini(&t);

    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "24c512,addr=0x57");
    uint8_t page[2 + 130] = { 0x12, 0x80 };
    for (unsigned i = 0; i < 130; i++)
        page[2 + i] = (uint8_t)i;
    assert_int_equal(bench_xfer(&t, 0x57, page, sizeof(page), NULL, 0), 1);
    ee_read(&t, 0x57, 0x1280, 2, buf, 3);
    assert_bytes(buf, 128, 129, 2); /* 128-byte page */
    ee_read(&t, 0x57, 0x12FF, 2, buf, 2);
    assert_bytes(buf, 127, 0xFF);
    bench_fini(&t);
}

/* Each part's size, page, word address and device addresses, from the
 * datasheets: a page write one byte too long rolls over onto its first
 * byte, a read of the last byte rolls over to byte 0, and the part answers
 * exactly its block-select addresses. */
static void test_every_part_geometry(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        unsigned size, page, naddr;
    } parts[] = {
        { "24c01", 128, 8, 1 },      { "24c02", 256, 8, 1 },
        { "24c04", 512, 16, 2 },     { "24c08", 1024, 16, 4 },
        { "24c16", 2048, 16, 8 },    { "24c32", 4096, 32, 1 },
        { "24c64", 8192, 32, 1 },    { "24c128", 16384, 64, 1 },
        { "24c256", 32768, 64, 1 },  { "24c512", 65536, 128, 1 },
    };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        unsigned size = parts[i].size, page = parts[i].page;
        unsigned ab = size > 2048 ? 2 : 1;
        uint8_t msg[2 + 129] = { 0 }, buf[2];
        char spec[64];
        struct bench t;

        bench_init(&t, I2CEMU_CLOCK_FAST);
        snprintf(spec, sizeof(spec), "%s,addr=0x50", parts[i].name);
        bench_add(&t, spec);
        for (unsigned k = 0; k <= page; k++)
            msg[ab + k] = (uint8_t)k;
        assert_int_equal(bench_xfer(&t, 0x50, msg, (uint16_t)(ab + page + 1),
                                    NULL, 0), 1);
        ee_read(&t, 0x50, 0, ab, buf, 2);
        assert_bytes(buf, (uint8_t)page, 1);
        ee_read(&t, 0x50, page, ab, buf, 1);
        assert_int_equal(buf[0], 0xFF);

        unsigned last = size - 1;
        uint16_t dev = (uint16_t)(ab == 1 ? 0x50 | (last >> 8 & 7) : 0x50);
        uint8_t w[3] = { (uint8_t)(last >> 8), (uint8_t)last, 0xAB };
        assert_int_equal(bench_xfer(&t, dev, ab == 2 ? w : w + 1,
                                    (uint16_t)(ab + 1), NULL, 0), 1);
        ee_read(&t, dev, last, ab, buf, 2);
        assert_bytes(buf, 0xAB, (uint8_t)page);

        uint16_t past = (uint16_t)(0x50 + parts[i].naddr);
        assert_int_equal(bench_xfer(&t, past - 1, NULL, 0, NULL, 0), 1);
        assert_int_equal(bench_xfer(&t, past, NULL, 0, NULL, 0), -ENXIO);
        bench_fini(&t);
    }
}

/* Address lookups that are not a START (a device add that fails, the
 * I2C_SLAVE busy check) leave the EEPROM's state alone: only a START may
 * latch the block bits of the address it matched. Found by fuzzing. */
static void test_lookups_change_nothing(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "24c04,addr=0x50,claim=driver");
    size_t size;
    const void *arena = i2cemu_board_arena(t.b, &size);
    void *before = malloc(size);
    memcpy(before, arena, size);
    /* Each block in turn, checking after every lookup, so that a latch of
     * either block shows whatever the last START left. */
    for (uint16_t addr = 0x50; addr <= 0x51; addr++) {
        char spec[32];
        snprintf(spec, sizeof(spec), "lm75,addr=0x%02x", addr);
        bench_refuse(&t, spec, "already has 24c04");
        assert_memory_equal(i2cemu_board_arena(t.b, NULL), before, size);
        assert_true(i2cemu_bus_addr_busy(t.b, 0, addr));
        assert_memory_equal(i2cemu_board_arena(t.b, NULL), before, size);
    }
    free(before);
    bench_fini(&t);
}

/* The field `name` of device `dev`'s state (a byte). */
static uint8_t state_byte(struct bench *t, unsigned dev, const char *name)
{
    const struct i2cemu_field *f = i2cemu_device_type_of(t->b, dev)->fields;
    while (f->name && strcmp(f->name, name))
        f++;
    assert_non_null(f->name);
    return *((const uint8_t *)i2cemu_device_state(t->b, dev) + f->offset);
}

/* The match hook is pure: lookups of every address a 24c16 answers leave
 * it as it was, and the START event latches the block select bits of the
 * address it was matched for, even with no byte after it. */
static void test_start_latches_block(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = bench_add(&t, "24c16,addr=0x50,claim=driver");
    bench_write(&t, 0x53); /* block 3 */
    assert_int_equal(state_byte(&t, dev, "block"), 3);
    size_t size;
    const void *arena = i2cemu_board_arena(t.b, &size);
    void *before = malloc(size);
    memcpy(before, arena, size);
    for (uint16_t addr = 0x50; addr <= 0x57; addr++) {
        char spec[32];
        snprintf(spec, sizeof(spec), "24c02,addr=0x%02x", addr);
        bench_refuse(&t, spec, "already has 24c16");
        assert_true(i2cemu_bus_addr_busy(t.b, 0, addr));
        struct i2cemu_matches m = {0};
        i2cemu_bus_match(t.b, 0, addr, false, false, &m);
        i2cemu_bus_match(t.b, 0, addr, false, false, &m); /* no duplicate */
        assert_int_equal(m.n, 1);
        assert_int_equal(m.dev[0], dev);
        assert_memory_equal(i2cemu_board_arena(t.b, NULL), before, size);
    }
    free(before);
    bench_write(&t, 0x56);
    assert_int_equal(state_byte(&t, dev, "block"), 6);
    /* ...and that block is where the next word address points. */
    bench_write(&t, 0x55, 0x20, 0x5B);
    uint8_t b;
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x20), &b, 1), 2);
    assert_int_equal(b, 0xFF);
    assert_int_equal(bench_xfer(&t, 0x55, BYTES(0x20), &b, 1), 2);
    assert_int_equal(b, 0x5B);
    bench_fini(&t);
}

/* tWR starts at the STOP that ends the write (AT24C datasheets: "the
 * write cycle time tWR is the time from a valid stop condition of a write
 * sequence to the end of the internal clear/write cycle"): a 64-byte page
 * with its 2 address bytes at 100 kHz is 1 + 67 x 9 + 1 bits, 6.05 ms on
 * the wire, so the part stays busy until 11.05 ms after its START. */
static void test_write_cycle_starts_at_stop(void **state)
{
    (void)state;
    struct bench t;
    uint8_t msg[2 + 64] = { 0x01, 0x00 }, b;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    struct i2cemu_error err = {{0}};
    assert_int_equal(i2cemu_bus_add_spec(t.b, "1 speed=100k", &err), 0);
    bench_add(&t, "24c256,addr=0x50");
    memset(msg + 2, 0xA5, 64);
    assert_int_equal(bench_xfer(&t, 0x50, msg, sizeof(msg), NULL, 0), 1);
    const uint64_t stop_ns = 605ull * 10000; /* 605 bits of 10 us */
    i2cemu_loop_advance(t.loop, stop_ns + 5 * MS - 1);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, NULL, 0), -ENXIO);
    i2cemu_loop_advance(t.loop, 1);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x01, 0x3F), &b, 1), 2);
    assert_int_equal(b, 0xA5);
    bench_fini(&t);
}

static void test_bad_properties(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_refuse(&t, "24c02,addr=0x50,pagesize=12", "power of two");
    bench_refuse(&t, "24c02,addr=0x50,size=512", "size");
    bench_add(&t, "24c02,addr=0x50,pagesize=16"); /* ST's M24C02 */
    bench_write(&t, 0x50, 0x06, 1, 2, 3); /* 8-byte pages would roll */
    uint8_t buf[3];
    ee_read(&t, 0x50, 0x06, 1, buf, 3);
    assert_bytes(buf, 1, 2, 3);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_part_is_erased),
        cmocka_unit_test(test_byte_write_and_random_read),
        cmocka_unit_test(test_page_write_rolls_over),
        cmocka_unit_test(test_sequential_read_wraps),
        cmocka_unit_test(test_long_read_whole_or_bytewise),
        cmocka_unit_test(test_write_cycle_nacks_until_twr),
        cmocka_unit_test(test_twr_property),
        cmocka_unit_test(test_fast_clock_has_no_busy_time),
        cmocka_unit_test(test_only_stop_programs),
        cmocka_unit_test(test_repeated_start_to_another_device_programs_nothing),
        cmocka_unit_test(test_write_protect),
        cmocka_unit_test(test_block_select_addresses),
        cmocka_unit_test(test_claimed_part_makes_every_address_busy),
        cmocka_unit_test(test_two_byte_address),
        cmocka_unit_test(test_every_part_geometry),
        cmocka_unit_test(test_bad_properties),
        cmocka_unit_test(test_lookups_change_nothing),
        cmocka_unit_test(test_start_latches_block),
        cmocka_unit_test(test_write_cycle_starts_at_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
