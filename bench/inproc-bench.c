/* SPDX-License-Identifier: MIT */
/*
 * inproc-bench: the in-process API's speed, with no frontend in the way.
 *
 *   inproc-bench [SECONDS]
 *   inproc-bench -n CALLS     a fixed number of calls per operation, for
 *                             instruction counts (valgrind --tool=callgrind)
 *
 * Board: bus 1 with a 24c02 at 0x50, a tmp102 at 0x48, an lm75 at 0x49 and
 * a regbank at 0x52 (so address matching has company), FAST clock.
 * Operations: SMBus read byte data from the EEPROM, and I2C_RDWR of a
 * 1-byte write and a 32-byte read (a typical EEPROM page read). Each runs
 * for SECONDS (default 2) on one core; prints ops/s and ns/op.
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

static void run(const char *name, op_fn op, struct i2cemu_i2cdev_file *f,
                double seconds, unsigned long calls)
{
    unsigned long n = 0;
    double t0 = now_s(), t;
    /* Check the time every 4096 calls so the clock read costs nothing. */
    do {
        for (int i = 0; i < 4096; i++) {
            if (op(f) < 0) {
                fprintf(stderr, "%s failed\n", name);
                exit(1);
            }
        }
        n += 4096;
        t = now_s() - t0;
    } while (calls ? n < calls : t < seconds);
    printf("%-24s %12.0f ops/s %8.1f ns/op\n", name, (double)n / t,
           t * 1e9 / (double)n);
}

int main(int argc, char **argv)
{
    double seconds = 2.0;
    unsigned long calls = 0;
    if (argc > 2 && strcmp(argv[1], "-n") == 0)
        calls = strtoul(argv[2], NULL, 0);
    else if (argc > 1)
        seconds = atof(argv[1]);
    struct i2cemu_error err;
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    static const char *const devs[] = {
        "24c02,addr=0x50", "tmp102,addr=0x48", "lm75,addr=0x49",
        "regbank,addr=0x52",
    };
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
        if (i2cemu_device_add(b, devs[i], &err) < 0) {
            fprintf(stderr, "%s: %s\n", devs[i], err.msg);
            return 1;
        }
    }
    struct i2cemu_i2cdev_file f;
    if (i2cemu_i2cdev_open(&f, b, 1, O_RDWR) < 0 || i2cemu_smbus_set_addr(&f, 0x50) < 0) {
        fprintf(stderr, "cannot open bus 1\n");
        return 1;
    }
    run("smbus read byte data", op_read_byte_data, &f, seconds, calls);
    run("i2c_rdwr w1 + r32", op_rdwr_w1_r32, &f, seconds, calls);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
    return 0;
}
