/* SPDX-License-Identifier: MIT */
/*
 * i2c-pair: compare two /dev/i2c-N nodes call by call, for figures that
 * hold on a loaded machine. For each operation it alternates BLOCK calls to
 * A and BLOCK to B (a turn), times every call, and prints the median call
 * of each and the median over turns of B's time / A's time: a pause of the
 * whole machine (another process on the CPU, a host preempting a guest)
 * spoils a few turns and moves a median little, where it moves a mean or a
 * best round by as much as the gap being measured. The ratio of turns is
 * that of the mean times, which the median calls are not when calls take
 * one of two times (as in a TCG guest).
 * BLOCK 1 is a client that does something else between requests (the
 * server waits for each); a larger BLOCK, one that issues them back to back.
 *
 *   i2c-pair [-n CALLS] [-b BLOCK] DEV_A ADDR_A DEV_B ADDR_B
 *
 * For each operation prints one line: name, median ns per call on A, on B,
 * and the median ratio of turns; or the errno name of the side that
 * refuses the operation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i2c-ops.h"

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static long long median(long long *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The median over turns of B's time / A's time. */
static double turn_ratio(long long *const t[2], size_t calls, size_t block,
                         double *r)
{
    size_t n = 0;

    for (size_t k0 = 0; k0 < calls; k0 += block) {
        long long sum[2] = { 0, 0 };

        for (int s = 0; s < 2; s++)
            for (size_t k = k0; k < k0 + block && k < calls; k++)
                sum[s] += t[s][k];
        r[n++] = (double)sum[1] / (double)sum[0];
    }
    qsort(r, n, sizeof(*r), cmp_double);
    return n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
}

static int open_node(const char *dev, const char *addr_s, uint16_t *addr)
{
    int fd = open(dev, O_RDWR);

    *addr = (uint16_t)strtoul(addr_s, NULL, 0);
    if (fd < 0 || ioctl(fd, I2C_SLAVE, *addr) < 0) {
        fprintf(stderr, "%s: %s\n", dev, strerror(errno));
        exit(1);
    }
    return fd;
}

/* One timed call; -1 on failure. */
static long long timed(size_t op, int fd, uint16_t addr)
{
    long long t0 = now_ns();

    if (ops[op].run(fd, addr) < 0) {
        fprintf(stderr, "%s: %s\n", ops[op].name, strerror(errno));
        return -1;
    }
    return now_ns() - t0;
}

int main(int argc, char **argv)
{
    size_t calls = 1000, block = 1;
    int opt;

    while ((opt = getopt(argc, argv, "n:b:")) != -1) {
        if (opt == 'n')
            calls = strtoul(optarg, NULL, 0);
        else if (opt == 'b')
            block = strtoul(optarg, NULL, 0);
        else
            goto usage;
    }
    if (argc - optind != 4 || calls == 0 || block == 0)
        goto usage;

    uint16_t addr[2];
    int fd[2] = { open_node(argv[optind], argv[optind + 1], &addr[0]),
                  open_node(argv[optind + 2], argv[optind + 3], &addr[1]) };
    long long *t[2] = { malloc(calls * sizeof(long long)),
                        malloc(calls * sizeof(long long)) };
    double *r = malloc(calls * sizeof(double));

    if (!t[0] || !t[1] || !r)
        return 1;
    for (size_t i = 0; i < NOPS; i++) {
        int refused = -1;

        /* One untimed call each: it also tells whether both answer. */
        for (int s = 0; s < 2 && refused < 0; s++)
            if (ops[i].run(fd[s], addr[s]) < 0)
                refused = s;
        if (refused >= 0) {
            const char *e = strerrorname_np(errno);

            printf("%s %s %s\n", ops[i].name, refused ? "-" : e,
                   refused ? e : "-");
            continue;
        }
        for (size_t k0 = 0; k0 < calls; k0 += block)
            for (int s = 0; s < 2; s++)
                for (size_t k = k0; k < k0 + block && k < calls; k++)
                    if ((t[s][k] = timed(i, fd[s], addr[s])) < 0)
                        return 1;
        double ratio = turn_ratio(t, calls, block, r);

        printf("%s %lld %lld %.3f\n", ops[i].name, median(t[0], calls),
               median(t[1], calls), ratio);
    }
    close(fd[0]);
    close(fd[1]);
    free(t[0]);
    free(t[1]);
    free(r);
    return 0;

usage:
    fprintf(stderr, "usage: %s [-n CALLS] [-b BLOCK] DEV_A ADDR_A DEV_B ADDR_B\n", argv[0]);
    return 2;
}
