/* SPDX-License-Identifier: MIT */
/*
 * i2c-bench: time the common i2c-dev requests against any /dev/i2c-N, the
 * kernel's or an emulated one, through the plain syscalls every client uses.
 *
 *   i2c-bench [-t SECONDS | -n CALLS] [-o OP] DEVICE ADDR
 *
 * For each operation prints one line: name, mean ns per call, calls made;
 * an operation the adapter refuses prints its errno name instead of a time
 * (i2c-stub has no I2C_RDWR). -n makes CALLS calls of each (64 at least)
 * instead of timing, -o runs only the operation named OP: for counting
 * instructions (bench/callgrind.sh --shim).
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

#include "i2c-ops.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    double seconds = 0.5;
    unsigned long calls = 0;
    const char *only = NULL;
    int opt;

    while ((opt = getopt(argc, argv, "t:n:o:")) != -1) {
        if (opt == 't')
            seconds = atof(optarg);
        else if (opt == 'n')
            calls = strtoul(optarg, NULL, 0);
        else if (opt == 'o')
            only = optarg;
        else
            goto usage;
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
    for (size_t i = 0; i < NOPS; i++) {
        if (only && strcmp(only, ops[i].name))
            continue;
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
        } while (calls ? n < calls : (t = now()) - t0 < seconds);
        t = now();
        printf("%s %.0f %lu\n", ops[i].name, (t - t0) * 1e9 / n, n);
    }
    close(fd);
    return 0;

usage:
    fprintf(stderr, "usage: %s [-t SECONDS | -n CALLS] [-o OP] DEVICE ADDR\n",
            argv[0]);
    return 2;
}
