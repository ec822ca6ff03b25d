/* SPDX-License-Identifier: MIT */
/*
 * regbank: i2c-stub's semantics on a stub-profile bus (i2c-dev-abi.md 6.3,
 * 6.4; the C-numbers are the conformance cases of section 8), the
 * byte-level register device on a plain I2C bus, and i2cdump loading.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "devtest.h"

#define STUB 0 /* bus number of the stub-profile bus */
#define W I2C_SMBUS_WRITE
#define R I2C_SMBUS_READ

/* F-STUB: chips at 0x08, 0x33 (banks 1-7 for 0x50-0x5f, selected by
 * bits 0-2 of register 0x4e), 0x52 and 0x77. */
static void stub_bench(struct bench *t)
{
    struct i2cemu_error err = {{0}};
    bench_init(t, I2CEMU_CLOCK_FAST);
    assert_true(i2cemu_bus_add_spec(t->b, "0 profile=stub", &err) >= 0);
    bench_add(t, "regbank,addr=0x08,bus=0");
    bench_add(t, "regbank,addr=0x33,bus=0,bank_reg=0x4e,bank_mask=0x07,"
                 "bank_start=0x50,bank_end=0x5f");
    bench_add(t, "regbank,addr=0x52,bus=0");
    bench_add(t, "regbank,addr=0x77,bus=0");
}

static int xfer(struct bench *t, uint16_t addr, char rw, uint8_t cmd,
                int size, union i2c_smbus_data *d)
{
    return bench_smbus(t, STUB, addr, rw, cmd, size, d);
}

static void wr_byte_data(struct bench *t, uint16_t addr, uint8_t cmd,
                         uint8_t v)
{
    union i2c_smbus_data d = { .byte = v };
    assert_int_equal(xfer(t, addr, W, cmd, I2C_SMBUS_BYTE_DATA, &d), 0);
}

static int rd_byte_data(struct bench *t, uint16_t addr, uint8_t cmd)
{
    union i2c_smbus_data d;
    assert_int_equal(xfer(t, addr, R, cmd, I2C_SMBUS_BYTE_DATA, &d), 0);
    return d.byte;
}

static void wr_word(struct bench *t, uint8_t cmd, uint16_t v)
{
    union i2c_smbus_data d = { .word = v };
    assert_int_equal(xfer(t, 0x52, W, cmd, I2C_SMBUS_WORD_DATA, &d), 0);
}

static int rd_word(struct bench *t, uint8_t cmd)
{
    union i2c_smbus_data d;
    assert_int_equal(xfer(t, 0x52, R, cmd, I2C_SMBUS_WORD_DATA, &d), 0);
    return d.word;
}

static void send_byte(struct bench *t, uint8_t v)
{
    assert_int_equal(xfer(t, 0x52, W, v, I2C_SMBUS_BYTE, NULL), 0);
}

static int recv_byte(struct bench *t, uint16_t addr)
{
    union i2c_smbus_data d;
    assert_int_equal(xfer(t, addr, R, 0, I2C_SMBUS_BYTE, &d), 0);
    return d.byte;
}

static int block(struct bench *t, char rw, uint8_t cmd, int size,
                 union i2c_smbus_data *d)
{
    return xfer(t, 0x52, rw, cmd, size, d);
}

/* C48-C50: byte and word views of one storage. */
static void test_byte_and_word_views(void **state)
{
    (void)state;
    struct bench t;
    stub_bench(&t);
    wr_byte_data(&t, 0x52, 0x10, 0xAB);
    assert_int_equal(rd_byte_data(&t, 0x52, 0x10), 0xAB);
    assert_int_equal(rd_word(&t, 0x10), 0x00AB);
    wr_word(&t, 0x10, 0x1234);
    assert_int_equal(rd_byte_data(&t, 0x52, 0x10), 0x34);
    assert_int_equal(rd_word(&t, 0x10), 0x1234);
    /* A byte write keeps the high byte. */
    wr_byte_data(&t, 0x52, 0x10, 0x56);
    assert_int_equal(rd_word(&t, 0x10), 0x1256);
    bench_fini(&t);
}

/* C51-C55: the pointer. */
static void test_pointer(void **state)
{
    (void)state;
    struct bench t;
    stub_bench(&t);
    wr_byte_data(&t, 0x52, 0x20, 0x11);
    wr_byte_data(&t, 0x52, 0x21, 0x22);
    send_byte(&t, 0x20);
    assert_int_equal(recv_byte(&t, 0x52), 0x11);
    assert_int_equal(recv_byte(&t, 0x52), 0x22);

    wr_byte_data(&t, 0x52, 0x40, 0x44);
    wr_byte_data(&t, 0x52, 0x41, 0x45);
    assert_int_equal(rd_byte_data(&t, 0x52, 0x40), 0x44);
    assert_int_equal(recv_byte(&t, 0x52), 0x45); /* command + 1 */

    wr_byte_data(&t, 0x52, 0x60, 0x66);
    send_byte(&t, 0x60);
    wr_word(&t, 0x10, 0x1234);
    assert_int_equal(rd_word(&t, 0x10), 0x1234);
    assert_int_equal(recv_byte(&t, 0x52), 0x66); /* words leave it alone */

    wr_byte_data(&t, 0x52, 0xFF, 0xF0);
    wr_byte_data(&t, 0x52, 0x00, 0x0A);
    send_byte(&t, 0xFF);
    assert_int_equal(recv_byte(&t, 0x52), 0xF0);
    assert_int_equal(recv_byte(&t, 0x52), 0x0A); /* 8-bit wrap */
    assert_int_equal(rd_byte_data(&t, 0x52, 0xFF), 0xF0);
    assert_int_equal(recv_byte(&t, 0x52), 0x0A);
    bench_fini(&t);
}

/* QUICK, C56-C61: absent chips, process calls, PEC, chips apart. */
static void test_transactions(void **state)
{
    (void)state;
    struct bench t;
    union i2c_smbus_data d = { .word = 0x1234 };
    stub_bench(&t);
    assert_int_equal(xfer(&t, 0x52, W, 0, I2C_SMBUS_QUICK, NULL), 0);
    assert_int_equal(xfer(&t, 0x52, R, 0, I2C_SMBUS_QUICK, NULL), 0);
    assert_int_equal(xfer(&t, 0x40, W, 0, I2C_SMBUS_QUICK, NULL), -ENODEV);
    assert_int_equal(xfer(&t, 0x40, R, 0x10, I2C_SMBUS_BYTE_DATA, &d),
                     -ENODEV);
    assert_int_equal(xfer(&t, 0x52, W, 0, I2C_SMBUS_PROC_CALL, &d),
                     -EOPNOTSUPP);
    d.block[0] = 2;
    assert_int_equal(xfer(&t, 0x52, W, 0, I2C_SMBUS_BLOCK_PROC_CALL, &d),
                     -EOPNOTSUPP);

    struct i2cemu_smbus_op op = { .addr = 0x52, .flags = 0x0004 /* PEC */,
                                  .read_write = W, .command = 0x10,
                                  .size = I2C_SMBUS_BYTE_DATA, .data = &d };
    struct i2cemu_transfer x = { .smbus = &op };
    d.byte = 0x77;
    assert_int_equal(bench_run(&t, bench_bus(&t, STUB), &x), 0);
    assert_int_equal(rd_byte_data(&t, 0x52, 0x10), 0x77);
    assert_int_equal(rd_byte_data(&t, 0x77, 0x10), 0x00);
    assert_int_equal(rd_byte_data(&t, 0x08, 0x10), 0x00);
    bench_fini(&t);
}

/* C64-C70: I2C block (sizes 8 and 6). */
static void test_i2c_block(void **state)
{
    (void)state;
    struct bench t;
    union i2c_smbus_data d = { .block = { 4, 1, 2, 3, 4 } };
    stub_bench(&t);
    assert_int_equal(block(&t, W, 0x80, I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    memset(&d, 0xAA, sizeof(d));
    d.block[0] = 4;
    assert_int_equal(block(&t, R, 0x80, I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_bytes(d.block, 4, 1, 2, 3, 4, 0xAA);
    /* The length is clamped to the registers left, and rewritten. */
    d.block[0] = 32;
    assert_int_equal(block(&t, R, 0xF8, I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_int_equal(d.block[0], 8);
    memset(&d, 0x5A, sizeof(d));
    d.block[0] = 32;
    assert_int_equal(block(&t, W, 0xF0, I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_int_equal(d.block[0], 16);
    assert_int_equal(rd_byte_data(&t, 0x52, 0xFF), 0x5A);
    assert_int_equal(rd_byte_data(&t, 0x52, 0x00), 0x00); /* no wrap */
    /* The high bytes are kept; the pointer is unchanged. */
    wr_word(&t, 0x90, 0xBEEF);
    wr_byte_data(&t, 0x52, 0x20, 0x77);
    send_byte(&t, 0x20);
    d.block[0] = 1;
    d.block[1] = 0x01;
    assert_int_equal(block(&t, W, 0x90, I2C_SMBUS_I2C_BLOCK_BROKEN, &d), 0);
    assert_int_equal(rd_word(&t, 0x90), 0xBE01);
    assert_int_equal(recv_byte(&t, 0x52), 0x77);
    /* Fixed i2c-stub: lengths 0 and above 32 are refused. */
    d.block[0] = 0;
    assert_int_equal(block(&t, R, 0x00, I2C_SMBUS_I2C_BLOCK_DATA, &d),
                     -EINVAL);
    d.block[0] = 33;
    assert_int_equal(block(&t, W, 0x00, I2C_SMBUS_I2C_BLOCK_DATA, &d),
                     -EINVAL);
    bench_fini(&t);
}

/* C63, C71-C75: SMBus block buffers keyed by command. */
static void test_smbus_block(void **state)
{
    (void)state;
    struct bench t;
    union i2c_smbus_data d = { .block = { 3, 1, 2, 3 } };
    stub_bench(&t);
    assert_int_equal(block(&t, W, 0x30, I2C_SMBUS_BLOCK_DATA, &d), 0);
    memset(&d, 0, sizeof(d));
    assert_int_equal(block(&t, R, 0x30, I2C_SMBUS_BLOCK_DATA, &d), 0);
    assert_bytes(d.block, 3, 1, 2, 3);
    /* A shorter write keeps the older tail and the length. */
    d.block[0] = 1;
    d.block[1] = 9;
    assert_int_equal(block(&t, W, 0x30, I2C_SMBUS_BLOCK_DATA, &d), 0);
    assert_int_equal(block(&t, R, 0x30, I2C_SMBUS_BLOCK_DATA, &d), 0);
    assert_bytes(d.block, 3, 9, 2, 3);

    d.block[0] = 0;
    assert_int_equal(block(&t, W, 0x31, I2C_SMBUS_BLOCK_DATA, &d), -EINVAL);
    d.block[0] = 33;
    assert_int_equal(block(&t, W, 0x31, I2C_SMBUS_BLOCK_DATA, &d), -EINVAL);
    assert_int_equal(block(&t, R, 0x31, I2C_SMBUS_BLOCK_DATA, &d),
                     -EOPNOTSUPP); /* a refused write creates no buffer */
    /* Byte and word reads of the command see (first byte, length). */
    d.block[0] = 2;
    d.block[1] = 0xAA;
    d.block[2] = 0xBB;
    assert_int_equal(block(&t, W, 0x31, I2C_SMBUS_BLOCK_DATA, &d), 0);
    assert_int_equal(rd_word(&t, 0x31), 0xAA02);
    assert_int_equal(rd_byte_data(&t, 0x52, 0x31), 0x02);
    /* Block buffers are not the I2C block view. */
    d.block[0] = 2;
    assert_int_equal(block(&t, R, 0x31, I2C_SMBUS_I2C_BLOCK_DATA, &d), 0);
    assert_bytes(d.block, 2, 0x02, 0x00);
    bench_fini(&t);
}

/* C76, C77 and section 6.4: banks. */
static void test_banks(void **state)
{
    (void)state;
    struct bench t;
    union i2c_smbus_data d;
    stub_bench(&t);
    wr_byte_data(&t, 0x33, 0x55, 0x11);
    wr_byte_data(&t, 0x33, 0x4E, 0x02);
    assert_int_equal(rd_byte_data(&t, 0x33, 0x55), 0x00); /* fresh bank */
    wr_byte_data(&t, 0x33, 0x55, 0x22);
    assert_int_equal(rd_byte_data(&t, 0x33, 0x55), 0x22);
    /* Block transfers ignore banks. */
    d.block[0] = 1;
    assert_int_equal(xfer(&t, 0x33, R, 0x55, I2C_SMBUS_I2C_BLOCK_DATA, &d),
                     0);
    assert_int_equal(d.block[1], 0x11);
    /* Registers outside bank_start..bank_end are shared. */
    wr_byte_data(&t, 0x33, 0x60, 0x66);
    /* Bits outside the mask are dropped: 0xFA selects bank 2 again, and
     * the bank register keeps all of them. */
    wr_byte_data(&t, 0x33, 0x4E, 0xFA);
    assert_int_equal(rd_byte_data(&t, 0x33, 0x4E), 0xFA);
    assert_int_equal(rd_byte_data(&t, 0x33, 0x55), 0x22);
    /* Word accesses and receive byte are bank-aware too. */
    d.word = 0x7788;
    assert_int_equal(xfer(&t, 0x33, W, 0x5F, I2C_SMBUS_WORD_DATA, &d), 0);
    assert_int_equal(rd_byte_data(&t, 0x33, 0x5E), 0x00);
    assert_int_equal(recv_byte(&t, 0x33), 0x88);
    wr_byte_data(&t, 0x33, 0x4E, 0x00);
    assert_int_equal(rd_byte_data(&t, 0x33, 0x55), 0x11);
    assert_int_equal(rd_byte_data(&t, 0x33, 0x5F), 0x00);
    assert_int_equal(rd_byte_data(&t, 0x33, 0x60), 0x66);
    bench_refuse(&t, "regbank,addr=0x34,bus=0,bank_mask=0x30,bank_start=0x20,"
                     "bank_end=0x1f", "bank_end=0x1f is below bank_start");
    /* The shift: mask 0x30 numbers banks with bits 4-5. */
    bench_add(&t, "regbank,addr=0x35,bus=0,bank_reg=0x00,bank_mask=0x30,"
                  "bank_start=0x10,bank_end=0x10");
    wr_byte_data(&t, 0x35, 0x10, 0xA0);
    wr_byte_data(&t, 0x35, 0x00, 0x30);
    wr_byte_data(&t, 0x35, 0x10, 0xA3);
    wr_byte_data(&t, 0x35, 0x00, 0x0F);
    assert_int_equal(rd_byte_data(&t, 0x35, 0x10), 0xA0);
    wr_byte_data(&t, 0x35, 0x00, 0x3F);
    assert_int_equal(rd_byte_data(&t, 0x35, 0x10), 0xA3);
    bench_fini(&t);
}

/* On a plain I2C bus: a byte-level register device over the same
 * storage (C94, C96). */
static void test_byte_level(void **state)
{
    (void)state;
    struct bench t;
    uint8_t buf[3];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_add(&t, "regbank,addr=0x50,bank_reg=0x4e,bank_mask=0x07,"
                  "bank_start=0x50,bank_end=0x5f");
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x20, 1, 2, 3), NULL, 0), 1);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x20), NULL, 0), 1);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, buf, 3), 1);
    assert_bytes(buf, 1, 2, 3);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x21), buf, 2), 2);
    assert_bytes(buf, 2, 3);
    /* The pointer wraps at 8 bits. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0xFF, 0xF0, 0x0F), NULL, 0),
                     1);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0xFF), buf, 2), 2);
    assert_bytes(buf, 0xF0, 0x0F);
    /* A write to bank_reg selects a bank, as a byte-data write does. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x55, 0x11), NULL, 0), 1);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x4E, 0x01), NULL, 0), 1);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x55), buf, 1), 2);
    assert_int_equal(buf[0], 0x00);
    bench_fini(&t);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void dump_path(char *out, size_t n, const char *tag)
{
    snprintf(out, n, "/tmp/i2cemu-test-regbank-%d-%s.txt", (int)getpid(), tag);
}

/* A byte-mode dump, as i2cdump prints it (with its stderr); XX stays 0;
 * a -r range dump leaves blank cells. */
static void test_dump_byte_mode(void **state)
{
    (void)state;
    char path[128], spec[200];
    struct bench t;
    dump_path(path, sizeof(path), "byte");
    write_text(path,
        "No size specified (using byte-data access)\n"
        "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f    0123456789abcdef\n"
        "00: 12 34 XX 56 00 00 00 00 00 00 00 00 00 00 00 ff    .4?V............\n"
        "10: 41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50    ABCDEFGHIJKLMNOP\n"
        "f0:          9a bc                                        ??\n");
    snprintf(spec, sizeof(spec), "regbank,addr=0x52,bus=0,file=%s", path);
    stub_bench(&t);
    bench_refuse(&t, spec, "already has");
    snprintf(spec, sizeof(spec), "regbank,addr=0x53,bus=0,file=%s", path);
    bench_add(&t, spec);
    static const struct { uint8_t reg, val; } want[] = {
        { 0x00, 0x12 }, { 0x01, 0x34 }, { 0x02, 0x00 }, { 0x03, 0x56 },
        { 0x0F, 0xFF }, { 0x10, 0x41 }, { 0x1F, 0x50 }, { 0xF2, 0x00 },
        { 0xF3, 0x9A }, { 0xF4, 0xBC }, { 0xF5, 0x00 }, { 0x20, 0x00 },
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        assert_int_equal(rd_byte_data(&t, 0x53, want[i].reg), want[i].val);
    bench_fini(&t);
    unlink(path);
}

static void test_dump_word_mode(void **state)
{
    (void)state;
    char path[128], spec[200];
    struct bench t;
    union i2c_smbus_data d;
    dump_path(path, sizeof(path), "word");
    write_text(path,
        "     0,8  1,9  2,a  3,b  4,c  5,d  6,e  7,f\n"
        "00: 1234 XXXX beef 0000 0000 0000 0000 0000 \n"
        "\n"
        "f8:                0102 0304\n");
    snprintf(spec, sizeof(spec), "regbank,addr=0x53,bus=0,file=%s", path);
    stub_bench(&t);
    bench_add(&t, spec);
    static const struct { uint8_t reg; uint16_t val; } want[] = {
        { 0x00, 0x1234 }, { 0x01, 0x0000 }, { 0x02, 0xBEEF },
        { 0xFB, 0x0102 }, { 0xFC, 0x0304 }, { 0xFD, 0x0000 },
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        assert_int_equal(xfer(&t, 0x53, R, want[i].reg, I2C_SMBUS_WORD_DATA,
                              &d), 0);
        assert_int_equal(d.word, want[i].val);
    }
    bench_fini(&t);
    unlink(path);
}

/* Malformed dumps: "FILE:LINE: what is wrong". */
static void test_dump_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *line, *what;
    } bad[] = {
        { "", ":0:", "no i2cdump table header" },
        { "hello\n", ":1:", "no i2cdump table header" },
        { "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n"
          "00: 12 34 5\n", ":2:", "register 02: expected 2 hex digits" },
        { "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n"
          "00: 12 g4\n", ":2:", "\"g4\"" },
        { "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n"
          "00: 12\n"
          "08: 12\n", ":3:", "multiples of 16" },
        { "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f\n"
          "10: 12\n"
          "\n"
          "10: 12\n", ":4:", "row 10 appears twice" },
        { "     0,8  1,9  2,a  3,b  4,c  5,d  6,e  7,f\n"
          "00: 12 34\n", ":2:", "register 00: expected 4 hex digits" },
        { "     0,8  1,9  2,a  3,b  4,c  5,d  6,e  7,f\n"
          "No size specified (using byte-data access)\n", ":2:",
          "expected a row" },
    };
    char path[128], spec[200];
    struct bench t;
    dump_path(path, sizeof(path), "bad");
    snprintf(spec, sizeof(spec), "regbank,addr=0x53,file=%s", path);
    bench_init(&t, I2CEMU_CLOCK_FAST);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char where[200];
        write_text(path, bad[i].text);
        snprintf(where, sizeof(where), "%s%s ", path, bad[i].line);
        struct i2cemu_error err = {{0}};
        assert_int_equal(i2cemu_device_add(t.b, spec, &err), -1);
        if (strncmp(err.msg, where, strlen(where)) != 0 ||
            !strstr(err.msg, bad[i].what))
            fail_msg("case %zu: \"%s\" is not \"%s...%s...\"", i, err.msg,
                     where, bad[i].what);
    }
    unlink(path);
    bench_refuse(&t, spec, "No such file or directory");
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_byte_and_word_views),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_i2c_block),
        cmocka_unit_test(test_smbus_block),
        cmocka_unit_test(test_banks),
        cmocka_unit_test(test_byte_level),
        cmocka_unit_test(test_dump_byte_mode),
        cmocka_unit_test(test_dump_word_mode),
        cmocka_unit_test(test_dump_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
