/* SPDX-License-Identifier: MIT */
/*
 * A test frontend for the i2c-dev layer, and the fixtures of
 * i2c-dev-abi.md section 8.0.
 *
 * Client memory is our own, except that addresses below 4096 fault (like
 * (void *)1 under the kernel) and one range may be made read-only (a
 * PROT_READ page). In FETCH mode the harness behaves like CUSE: the umem
 * has nothing until the layer asks for it (I2CEMU_I2CDEV_NEED), then the harness
 * "fetches" every region asked for, or fails with EFAULT as the kernel
 * would, and calls prepare again on the same request (which continues
 * it); it also checks that the output regions listed
 * at NEED are those of the final answer. FETCH1 mode fetches `need` alone
 * each time, like the preload shim. So every test also checks the NEED
 * protocol, both ways.
 *
 * Calls return the syscall's result, or -errno. The board is a bench
 * (rig.h) whose trace is on: bench_trace(&h->bench).
 */
#ifndef TEST_I2CDEV_HARNESS_H
#define TEST_I2CDEV_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/i2c-dev.h>

#include <i2cemu/i2cemu.h>

#include "rig.h"
#include "testdevs.h"

#define MAX_FETCHED 64

struct h {
    struct bench bench;
    struct i2cemu_i2cdev_file f;
    unsigned bus;
    bool fetch;
    bool fetch_one; /* fetch `need` only */
    bool compat;
    struct i2cemu_umem umem;
    struct { uintptr_t addr; size_t len; } fetched[MAX_FETCHED];
    unsigned nfetched;
    unsigned passes; /* prepare calls of the last request */
    unsigned copies; /* client regions the layer copied for it */
    uintptr_t ro_addr;
    size_t ro_len;
};

/* Fixture devices on the i2c bus (section 8.0, F-I2C): T is test-reg,
 * P test-pec, K test-block (testdevs.h). */
#define T_ADDR 0x50
#define P_ADDR 0x51
#define K_ADDR 0x53
#define ABSENT_I2C 0x60

/* Setups for cmocka: the bus, its devices and an open fd. */
int setup_i2c(void **state);       /* F-I2C, bus 1, fd on it */
int setup_i2c_fetch(void **state);
int setup_i2c_fetch1(void **state);
int setup_stub(void **state);      /* F-STUB, bus 3, fd with I2C_SLAVE 0x52 */
int setup_stub_fetch(void **state);
int setup_stub_fetch1(void **state);
int setup_busy(void **state);      /* F-STUB + F-BUSY, no I2C_SLAVE */
int setup_busy_fetch(void **state);
int setup_busy_fetch1(void **state);
int teardown(void **state);

/* Run each test directly, as CUSE would and as the preload shim would. */
#define H_TEST(fn, fx)                                                        \
    { #fn, fn, setup_##fx, teardown, NULL },                                  \
    { #fn "_fetch", fn, setup_##fx##_fetch, teardown, NULL },                 \
    { #fn "_fetch1", fn, setup_##fx##_fetch1, teardown, NULL }

long h_ioctl(struct h *h, unsigned long cmd, uintptr_t arg);
long h_ioctl_on(struct h *h, struct i2cemu_i2cdev_file *f, unsigned long cmd,
                uintptr_t arg);
long h_read(struct h *h, void *buf, size_t count);
long h_write(struct h *h, const void *buf, size_t count);
/* I2C_SMBUS on the fd. */
long h_smbus(struct h *h, uint8_t rw, uint8_t cmd, uint32_t size, void *data);
/* I2C_RDWR on the fd. */
long h_rdwr(struct h *h, struct i2c_msg *msgs, uint32_t nmsgs);

/* libi2c-style helpers over h_smbus: value or -errno. */
long h_read_byte_data(struct h *h, uint8_t reg);
long h_write_byte_data(struct h *h, uint8_t reg, uint8_t v);
long h_read_word(struct h *h, uint8_t reg);
long h_write_word(struct h *h, uint8_t reg, uint16_t v);
long h_send_byte(struct h *h, uint8_t v);
long h_recv_byte(struct h *h);

void *h_dev_state(struct h *h, uint16_t addr);
/* Re-open the fixture's bus on another file. */
void h_open(struct h *h, struct i2cemu_i2cdev_file *f);

#endif
