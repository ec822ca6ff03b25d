/* SPDX-License-Identifier: MIT */
/* SSD1306 OLED controller: the I2C control byte, the commands of the
 * datasheet's Table 9-1, GDDRAM addressing (10.1.3) and what the panel
 * shows. */
#include <stddef.h>

#include "devtest.h"
#include "devices/ssd1306.h"

#define ADDR 0x3C
#define W 128

/* Commands in one message: control byte 00h (Co = 0, D/C# = 0). */
#define cmd(t, ...) bench_write(t, ADDR, 0x00, __VA_ARGS__)
/* GDDRAM data in one message: control byte 40h. */
#define data(t, ...) bench_write(t, ADDR, 0x40, __VA_ARGS__)

struct panel {
    char frame[64 * (W + 1)];
    unsigned height;
};

static void look(struct bench *t, unsigned dev, struct panel *p)
{
    int n = i2cemu_device_get(t->b, dev, "frame", p->frame, sizeof p->frame,
                              NULL);
    assert_in_range(n, 1, sizeof p->frame - 1);
    p->height = ((unsigned)n + 1) / (W + 1);
    assert_int_equal(p->height * (W + 1) - 1, n);
}

static bool lit(const struct panel *p, unsigned x, unsigned y)
{
    assert_true(x < W && y < p->height);
    char c = p->frame[y * (W + 1) + x];
    assert_true(c == '#' || c == '.');
    return c == '#';
}

static unsigned count_lit(const struct panel *p)
{
    unsigned n = 0;
    for (unsigned y = 0; y < p->height; y++)
        for (unsigned x = 0; x < W; x++)
            n += lit(p, x, y);
    return n;
}

static unsigned prop(struct bench *t, unsigned dev, const char *name)
{
    char buf[32];
    assert_in_range(i2cemu_device_get(t->b, dev, name, buf, sizeof buf, NULL),
                    1, sizeof buf - 1);
    return (unsigned)strtoul(buf, NULL, 0);
}

static uint8_t status(struct bench *t)
{
    uint8_t v;
    assert_int_equal(bench_xfer(t, ADDR, NULL, 0, &v, 1), 1);
    return v;
}

/* A device switched on (charge pump, display on), horizontal mode. */
static unsigned powered(struct bench *t, const char *spec)
{
    bench_init(t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(t, spec);
    cmd(t, 0x8D, 0x14, 0xAF, 0x20, 0x00);
    return dev;
}

/* Reset: display off (status D6), panel dark, contrast 7Fh. */
static void test_power_on(void **state)
{
    (void)state;
    struct bench t;
    struct panel p;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ssd1306,addr=0x3c");
    look(&t, dev, &p);
    assert_int_equal(p.height, 64);
    assert_int_equal(count_lit(&p), 0);
    assert_int_equal(prop(&t, dev, "brightness"), 0);
    assert_int_equal(status(&t), 0x40);
    /* Entire display on, display on: still dark without the charge
     * pump (8Dh reset 10h: off). */
    cmd(&t, 0xA5, 0xAF);
    look(&t, dev, &p);
    assert_int_equal(count_lit(&p), 0);
    assert_int_equal(status(&t), 0x00);
    cmd(&t, 0x8D, 0x14);
    look(&t, dev, &p);
    assert_int_equal(count_lit(&p), W * 64);
    assert_int_equal(prop(&t, dev, "brightness"), 128); /* 7Fh */
    cmd(&t, 0xAE);
    look(&t, dev, &p);
    assert_int_equal(count_lit(&p), 0);
    assert_int_equal(prop(&t, dev, "brightness"), 0);
    bench_fini(&t);
}

/* With external VCC the charge pump is not needed. */
static void test_external_vcc(void **state)
{
    (void)state;
    struct bench t;
    struct panel p;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ssd1306,addr=0x3c,external_vcc=on");
    cmd(&t, 0xA5, 0xAF);
    look(&t, dev, &p);
    assert_int_equal(count_lit(&p), W * 64);
    bench_fini(&t);
}

/* Co = 1: one byte, then a control byte again; command arguments may
 * come in messages of their own (Linux sends `00 cmd` per byte). */
static void test_control_byte(void **state)
{
    (void)state;
    struct bench t;
    struct panel p;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    unsigned dev = bench_add(&t, "ssd1306,addr=0x3c,rotation=0");
    /* Command 8Dh, argument 14h, command AFh, data 81h, command 81h:
     * the data byte 81h is GDDRAM, not the contrast command. */
    bench_write(&t, ADDR, 0x80, 0x8D, 0x80, 0x14, 0x80, 0xAF, 0xC0, 0x81,
                0x00, 0x81);
    look(&t, dev, &p);
    assert_true(lit(&p, 0, 0));  /* 81h at column 0, page 0: D0 */
    assert_true(lit(&p, 0, 7));  /* and D7 */
    assert_false(lit(&p, 0, 1));
    assert_int_equal(prop(&t, dev, "brightness"), 128);
    cmd(&t, 0xFF); /* the contrast's argument, a message later */
    assert_int_equal(prop(&t, dev, "brightness"), 255);
    cmd(&t, 0x81);
    cmd(&t, 0x00);
    assert_int_equal(prop(&t, dev, "brightness"), 1);
    /* Co = 0, D/C# = 1: every further byte is data. */
    data(&t, 0x81, 0x81);
    look(&t, dev, &p);
    assert_true(lit(&p, 1, 0) && lit(&p, 2, 7) && !lit(&p, 3, 0));
    bench_fini(&t);
}

/* 10.1.3 horizontal mode: along the column range, next page, wrap. */
static void test_horizontal(void **state)
{
    (void)state;
    struct bench t;
    struct panel p;
    unsigned dev = powered(&t, "ssd1306,addr=0x3c,rotation=0");
    cmd(&t, 0x21, 2, 4, 0x22, 1, 2);
    data(&t, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40);
    look(&t, dev, &p);
    assert_int_equal(count_lit(&p), 6);
    assert_true(lit(&p, 3, 8 + 1) && lit(&p, 4, 8 + 2));  /* page 1 */
    assert_true(lit(&p, 2, 16 + 3) && lit(&p, 3, 16 + 4) &&
                lit(&p, 4, 16 + 5));                       /* page 2 */
    assert_true(lit(&p, 2, 8 + 6)); /* wrapped: overwrote 01h */
    assert_false(lit(&p, 2, 8 + 0));
    bench_fini(&t);
}

/* 10.1.4 vertical mode: down the page range, next column, wrap. */
static void test_vertical(void **state)
{
    (void)state;
    struct bench t;
    struct panel p;
    unsigned dev = powered(&t, "ssd1306,addr=0x3c,rotation=0");
    cmd(&t, 0x20, 0x01, 0x21, 16, 17, 0x22, 6, 7);
    data(&t, 0x01, 0x02, 0x04, 0x08, 0x10);
    look(&t, dev, &p);
    assert_int_equal(count_lit(&p), 4);
    assert_true(lit(&p, 16, 48 + 4)); /* wrapped: 10h at (16, page 6) */
    assert_false(lit(&p, 16, 48));            /* overwrote 01h */
    assert_true(lit(&p, 16, 56 + 1));         /* (16, page 7) bit 1 */
    assert_true(lit(&p, 17, 48 + 2) && lit(&p, 17, 56 + 3));
    bench_fini(&t);
}

/* 10.1.3 page mode: the column start (00h-1Fh), the page (B0h-B7h);
 * after column 127 back to the column start, on the same page. */
static void test_page_mode(void **state)
{
    (void)state;
    struct bench t;
    struct panel p;
    unsigned dev = powered(&t, "ssd1306,addr=0x3c,rotation=0");
    cmd(&t, 0xB3, 0x0E, 0x17); /* ignored in horizontal mode */
    data(&t, 0x01);
    cmd(&t, 0x20, 0x02);
    cmd(&t, 0xB3, 0x0E, 0x17); /* page 3, column 7Eh */
    data(&t, 0x01, 0x02, 0x04);
    look(&t, dev, &p);
    assert_int_equal(count_lit(&p), 3);
    assert_true(lit(&p, 0, 0));          /* horizontal mode: at 0, 0 */
    assert_true(lit(&p, 127, 24 + 1));
    assert_true(lit(&p, 126, 24 + 2));   /* wrapped to 7Eh, page 3 */
    assert_false(lit(&p, 126, 24 + 0));
    bench_fini(&t);
}

/* A0h/A1h, C0h/C8h, A6h/A7h, start line, offset, multiplex ratio. */
static void test_mapping(void **state)
{
    (void)state;
    struct bench t;
    struct panel p;
    unsigned dev = powered(&t, "ssd1306,addr=0x3c,rotation=0");
    data(&t, 0x01, 0x02); /* (0,0) and (1,1) */
    cmd(&t, 0xA1);        /* column 127 at SEG0 */
    look(&t, dev, &p);
    assert_true(lit(&p, 127, 0) && lit(&p, 126, 1));
    assert_int_equal(count_lit(&p), 2);
    cmd(&t, 0xA0, 0xC8); /* COM63 first: row 0 at the bottom */
    look(&t, dev, &p);
    assert_true(lit(&p, 0, 63) && lit(&p, 1, 62));
    cmd(&t, 0xC0, 0x41); /* start line 1: GDDRAM row 1 at the top */
    look(&t, dev, &p);
    assert_true(lit(&p, 1, 0) && lit(&p, 0, 63));
    cmd(&t, 0x40, 0xD3, 0x01); /* offset 1: COM0 shows row 1 */
    look(&t, dev, &p);
    assert_true(lit(&p, 1, 0) && lit(&p, 0, 63));
    cmd(&t, 0xD3, 0x00, 0xA8, 0x00); /* multiplex 1: invalid, ignored */
    look(&t, dev, &p);
    assert_true(lit(&p, 0, 0) && lit(&p, 1, 1));
    cmd(&t, 0xA8, 0x1F, 0xA7); /* 32 rows scanned; inverse */
    look(&t, dev, &p);
    assert_int_equal(count_lit(&p), W * 32 - 2);
    assert_false(lit(&p, 0, 0));
    assert_false(lit(&p, 5, 40)); /* not scanned: dark even inverted */
    cmd(&t, 0xA6, 0xA5); /* entire display on: every scanned pixel */
    look(&t, dev, &p);
    assert_int_equal(count_lit(&p), W * 32);
    bench_fini(&t);
}

/* Table 10-3: a 128x64 module is wired for the alternative COM pins
 * configuration (reset 12h); sequential (02h) interleaves the halves. */
static void test_com_pins(void **state)
{
    (void)state;
    struct bench t;
    struct panel p;
    unsigned dev = powered(&t, "ssd1306,addr=0x3c,rotation=0");
    data(&t, 0x02); /* row 1 */
    cmd(&t, 0xDA, 0x02);
    look(&t, dev, &p);
    assert_true(lit(&p, 0, 32)); /* COM1 drives the second half's top */
    assert_int_equal(count_lit(&p), 1);
    cmd(&t, 0xDA, 0x32); /* alternative, left/right swapped */
    look(&t, dev, &p);
    assert_true(lit(&p, 0, 33)); /* COM1 on the odd rows */
    assert_int_equal(count_lit(&p), 1);
    bench_fini(&t);

    /* 128x32: wired for sequential; the alternative one doubles rows. */
    dev = powered(&t, "ssd1306,addr=0x3c,height=32,rotation=0");
    cmd(&t, 0xA8, 0x1F, 0xDA, 0x02);
    data(&t, 0x03); /* rows 0 and 1 */
    look(&t, dev, &p);
    assert_int_equal(p.height, 32);
    assert_true(lit(&p, 0, 0) && lit(&p, 0, 1));
    cmd(&t, 0xDA, 0x12);
    look(&t, dev, &p);
    assert_true(lit(&p, 0, 0) && lit(&p, 0, 2) && !lit(&p, 0, 1));
    bench_fini(&t);
}

/* rotation: 0 is the datasheet's view; the default, 180, the common
 * modules', where A1h C8h show GDDRAM upright. */
static void test_rotation(void **state)
{
    (void)state;
    struct bench t;
    struct panel p;
    unsigned dev = powered(&t, "ssd1306,addr=0x3c,rotation=0");
    data(&t, 0x01, 0x02);
    look(&t, dev, &p);
    assert_true(lit(&p, 0, 0) && lit(&p, 1, 1));
    bench_fini(&t);
    dev = powered(&t, "ssd1306,addr=0x3c");
    data(&t, 0x01, 0x02);
    look(&t, dev, &p);
    assert_true(lit(&p, 127, 63) && lit(&p, 126, 62));
    cmd(&t, 0xA1, 0xC8);
    look(&t, dev, &p);
    assert_true(lit(&p, 0, 0) && lit(&p, 1, 1));
    assert_int_equal(count_lit(&p), 2);
    bench_fini(&t);
}

/* A snapshot of garbage (every register and the frame 0xFF) is brought
 * back in range: the panel renders, writes land in GDDRAM. */
static void test_restore_garbage(void **state)
{
    (void)state;
    struct bench t;
    struct panel p;
    struct ssd1306_state g;
    unsigned dev = powered(&t, "ssd1306,addr=0x3c,rotation=0");
    size_t from = offsetof(struct ssd1306_state, phase);
    assert_int_equal(i2cemu_device_state_size(t.b, dev), sizeof(g));
    memcpy(&g, i2cemu_device_state(t.b, dev), sizeof(g));
    memset(g.frame, 0xFF, sizeof(g.frame));
    memset((char *)&g + from, 0xFF, sizeof(g) - from);
    i2cemu_device_restore(t.b, dev, &g, 0);
    look(&t, dev, &p);
    uint8_t w[1 + 1100] = { 0x40 };
    assert_int_equal(bench_xfer(&t, ADDR, w, sizeof(w), NULL, 0), 1);
    bench_write(&t, ADDR, 0x80, 0xFF); /* any pending command ends */
    cmd(&t, 0xA0, 0xC0, 0xA6, 0xA4, 0x40, 0xD3, 0x00, 0xA8, 0x3F, 0xDA,
        0x12, 0x20, 0x00, 0x21, 0, 127, 0x22, 0, 7);
    assert_int_equal(bench_xfer(&t, ADDR, w, 1 + 1024, NULL, 0), 1);
    cmd(&t, 0x21, 5, 5, 0x22, 0, 0);
    data(&t, 0x01);
    look(&t, dev, &p);
    assert_true(lit(&p, 5, 0));
    assert_int_equal(count_lit(&p), 1);
    bench_fini(&t);
}

static void test_refused(void **state)
{
    (void)state;
    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_VIRTUAL);
    bench_add(&t, "ssd1306,addr=0x3d"); /* SA0 high */
    bench_refuse(&t, "ssd1306,addr=0x3e", "0x3c or 0x3d");
    bench_refuse(&t, "ssd1306,addr=0x3c,height=48", "64 or 32");
    bench_refuse(&t, "ssd1306,addr=0x3c,rotation=90", "0 or 180");
    bench_refuse(&t, "ssd1306,addr=0x3c,frame=x", "read-only");
    /* The fbdev driver's name for the same part. */
    struct panel p;
    unsigned fb = bench_add(&t, "ssd1306fb,addr=0x3c");
    cmd(&t, 0x8D, 0x14, 0xA5, 0xAF);
    look(&t, fb, &p);
    assert_int_equal(count_lit(&p), W * 64);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_on),
        cmocka_unit_test(test_external_vcc),
        cmocka_unit_test(test_control_byte),
        cmocka_unit_test(test_horizontal),
        cmocka_unit_test(test_vertical),
        cmocka_unit_test(test_page_mode),
        cmocka_unit_test(test_mapping),
        cmocka_unit_test(test_com_pins),
        cmocka_unit_test(test_rotation),
        cmocka_unit_test(test_restore_garbage),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
