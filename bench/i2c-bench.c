/* SPDX-License-Identifier: MIT */
/*
 * i2c-bench: time the common i2c-dev requests against any /dev/i2c-N, the
 * kernel's or an emulated one, through the plain syscalls every client uses.
 *
 *   i2c-bench [-t SECONDS] DEVICE ADDR
 *
 * For each operation prints one line: name, mean ns per call, calls made;
 * an operation the adapter refuses prints its errno name instead of a time
 * (i2c-stub has no I2C_RDWR).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int smbus(int fd, char rw, uint8_t cmd, int size,
                 union i2c_smbus_data *data)
{
    struct i2c_smbus_ioctl_data d = {
        .read_write = rw, .command = cmd, .size = size, .data = data,
    };
    return ioctl(fd, I2C_SMBUS, &d);
}

static int op_read_byte_data(int fd, uint16_t addr)
{
    union i2c_smbus_data data;

    (void)addr;
    return smbus(fd, I2C_SMBUS_READ, 0x10, I2C_SMBUS_BYTE_DATA, &data);
}

static int op_write_byte_data(int fd, uint16_t addr)
{
    union i2c_smbus_data data = { .byte = 0x5a };

    (void)addr;
    return smbus(fd, I2C_SMBUS_WRITE, 0x10, I2C_SMBUS_BYTE_DATA, &data);
}

static int op_i2c_block_read_32(int fd, uint16_t addr)
{
    union i2c_smbus_data data = { .block = { 32 } };

    (void)addr;
    return smbus(fd, I2C_SMBUS_READ, 0x00, I2C_SMBUS_I2C_BLOCK_DATA, &data);
}

static int op_rdwr_w1_r32(int fd, uint16_t addr)
{
    uint8_t reg = 0, buf[32];
    struct i2c_msg msgs[2] = {
        { .addr = addr, .len = 1, .buf = &reg },
        { .addr = addr, .flags = I2C_M_RD, .len = sizeof(buf), .buf = buf },
    };
    struct i2c_rdwr_ioctl_data d = { .msgs = msgs, .nmsgs = 2 };

    return ioctl(fd, I2C_RDWR, &d);
}

static const struct {
    const char *name;
    int (*run)(int fd, uint16_t addr);
} ops[] = {
    { "smbus_read_byte_data", op_read_byte_data },
    { "smbus_write_byte_data", op_write_byte_data },
    { "smbus_i2c_block_read_32", op_i2c_block_read_32 },
    { "i2c_rdwr_w1_r32", op_rdwr_w1_r32 },
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    double seconds = 0.5;
    int opt;

    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't')
            goto usage;
        seconds = atof(optarg);
    }
    if (argc - optind != 2)
        goto usage;
    const char *dev = argv[optind];
    uint16_t addr = (uint16_t)strtoul(argv[optind + 1], NULL, 0);

    int fd = open(dev, O_RDWR);
    if (fd < 0 || ioctl(fd, I2C_SLAVE, addr) < 0) {
        fprintf(stderr, "%s: %s\n", dev, strerror(errno));
        return 1;
    }
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (ops[i].run(fd, addr) < 0) {
            printf("%s %s\n", ops[i].name, strerrorname_np(errno));
            continue;
        }
        /* Check the clock every 64 calls: it costs more than a stub call. */
        unsigned long n = 0;
        double t0 = now(), t;
        do {
            for (int k = 0; k < 64; k++)
                if (ops[i].run(fd, addr) < 0) {
                    fprintf(stderr, "%s: %s\n", ops[i].name, strerror(errno));
                    return 1;
                }
            n += 64;
        } while ((t = now()) - t0 < seconds);
        printf("%s %.0f %lu\n", ops[i].name, (t - t0) * 1e9 / n, n);
    }
    close(fd);
    return 0;

usage:
    fprintf(stderr, "usage: %s [-t SECONDS] DEVICE ADDR\n", argv[0]);
    return 2;
}
