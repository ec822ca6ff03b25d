/* SPDX-License-Identifier: MIT */
/*
 * inproc-bench: the in-process API's speed, with no frontend in the way.
 *
 *   inproc-bench [SECONDS]     every case for SECONDS (default 2) each
 *   inproc-bench -n CALLS [CASE]
 *                              a fixed number of calls, of one case or of
 *                              each, for instruction counts (valgrind
 *                              --tool=callgrind; bench/callgrind.sh)
 *
 * Boards, FAST clock, one core: "1 dev", a 24c02 at 0x50 alone on bus 1;
 * "64 devs", the same 24c02 after 63 regbanks on bus 1 (0x08-0x46), the
 * EEPROM last, where a walk over the devices would find it last.
 * Operations: SMBus read byte data from the EEPROM, and I2C_RDWR of a
 * 1-byte write and a 32-byte read (a typical EEPROM page read).
 * Prints ops/s and ns/op per case.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <i2cemu/i2cemu.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef int (*op_fn)(struct i2cemu_i2cdev_file *f);

static int op_read_byte_data(struct i2cemu_i2cdev_file *f)
{
    return i2cemu_smbus_read_byte_data(f, 0x10);
}

static int op_rdwr_w1_r32(struct i2cemu_i2cdev_file *f)
{
    uint8_t reg = 0x00, buf[32];
    struct i2c_msg msgs[] = {
        {.addr = 0x50, .flags = 0, .len = 1, .buf = &reg},
        {.addr = 0x50, .flags = I2C_M_RD, .len = 32, .buf = buf},
    };
    return i2cemu_rdwr(f, msgs, 2);
}

static const struct bench_case {
    const char *name; /* as typed after -n CALLS */
    const char *title;
    unsigned ndevs;
    op_fn op;
} cases[] = {
    {"byte", "smbus read byte data, 1 dev", 1, op_read_byte_data},
    {"byte64", "smbus read byte data, 64 devs", 64, op_read_byte_data},
    {"rdwr", "i2c_rdwr w1 + r32, 1 dev", 1, op_rdwr_w1_r32},
    {"rdwr64", "i2c_rdwr w1 + r32, 64 devs", 64, op_rdwr_w1_r32},
};

static void add(struct i2cemu_board *b, const char *spec)
{
    struct i2cemu_error err;
    if (i2cemu_device_add(b, spec, &err) < 0) {
        fprintf(stderr, "%s: %s\n", spec, err.msg);
        exit(1);
    }
}

static void run(const struct bench_case *c, double seconds,
                unsigned long calls)
{
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    char spec[64];
    for (unsigned i = 1; i < c->ndevs; i++) {
        snprintf(spec, sizeof(spec), "regbank,addr=0x%02x", 0x07 + i);
        add(b, spec);
    }
    add(b, "24c02,addr=0x50");
    struct i2cemu_i2cdev_file f;
    if (i2cemu_i2cdev_open(&f, b, 1, O_RDWR) < 0 ||
        i2cemu_smbus_set_addr(&f, 0x50) < 0) {
        fprintf(stderr, "cannot open bus 1\n");
        exit(1);
    }

    unsigned long n = 0;
    double t0 = now_s(), t;
    /* Check the time every 4096 calls so the clock read costs nothing. */
    do {
        for (int i = 0; i < 4096; i++) {
            if (c->op(&f) < 0) {
                fprintf(stderr, "%s failed\n", c->title);
                exit(1);
            }
        }
        n += 4096;
        t = now_s() - t0;
    } while (calls ? n < calls : t < seconds);
    printf("%-32s %12.0f ops/s %8.1f ns/op\n", c->title, (double)n / t,
           t * 1e9 / (double)n);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
}

int main(int argc, char **argv)
{
    double seconds = 2.0;
    unsigned long calls = 0;
    const char *only = NULL;
    if (argc > 2 && strcmp(argv[1], "-n") == 0) {
        calls = strtoul(argv[2], NULL, 0);
        only = argc > 3 ? argv[3] : NULL;
    } else if (argc > 1) {
        seconds = atof(argv[1]);
    }
    unsigned ran = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (!only || strcmp(only, cases[i].name) == 0) {
            run(&cases[i], seconds, calls);
            ran++;
        }
    }
    if (!ran) {
        fprintf(stderr, "unknown case '%s' (byte, byte64, rdwr, rdwr64)\n",
                only);
        return 2;
    }
    return 0;
}
