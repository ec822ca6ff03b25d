/* SPDX-License-Identifier: MIT */
/*
 * The wire protocol between the preload shim (libi2cemu-preload.so) and
 * the daemon's socket server (sock_server.c). docs/protocol.md has the
 * sequence diagrams and the reasoning.
 *
 * One unix stream connection is one open file description of /dev/i2c-N.
 * Every message is a header and `len` bytes of body. Both ends run on one
 * machine, so fields are in host byte order; fixed-width fields with
 * explicit padding make the layouts the same for 32- and 64-bit builds.
 *
 *   server: HELLO
 *   client: OPEN                          server: RESULT
 *   client: IOCTL | READ | WRITE          server: [NEED ...] RESULT
 *   client (for each NEED): MEM | MEMFAULT
 *
 * A request carries every region of client memory the kernel would copy
 * in, so the server needs no NEED for any request of the i2c-dev ABI; NEED
 * stays for what a client did not send.
 *
 * Anything else, or a message over its limit, and the server closes the
 * connection.
 */
#ifndef I2CEMU_SOCKPROTO_H
#define I2CEMU_SOCKPROTO_H

#include <stdint.h>

#define SOCKPROTO_MAGIC   0x45433249u /* "I2CE" in memory on little-endian */
#define SOCKPROTO_VERSION 2

/* Limits. A region is at most one I2C message (the kernel's 8192). */
#define SOCKPROTO_MAX_REGION 8192u
#define SOCKPROTO_MAX_BUSES  256u
#define SOCKPROTO_MAX_OUT    43u /* I2CEMU_I2CDEV_MAX_OUT */
/* Regions an IOCTL carries: I2C_RDWR's argument, message array and 42
 * buffers. */
#define SOCKPROTO_MAX_IN     44u
#define SOCKPROTO_NAME_LEN   48u /* struct i2c_adapter's name[48] */

enum sockproto_type {
    /* server -> client */
    SOCKPROTO_HELLO = 1,  /* sockproto_hello + nbuses x sockproto_bus */
    SOCKPROTO_NEED = 2,   /* sockproto_need */
    SOCKPROTO_RESULT = 3, /* sockproto_result + nout x (sockproto_out + data) */
    /* client -> server */
    SOCKPROTO_OPEN = 16,     /* sockproto_open */
    SOCKPROTO_IOCTL = 17,    /* sockproto_ioctl + nin x sockproto_in + data */
    SOCKPROTO_READ = 18,     /* sockproto_read */
    SOCKPROTO_WRITE = 19,    /* sockproto_write + the bytes, unless fault */
    SOCKPROTO_MEM = 20,      /* exactly need.len bytes */
    SOCKPROTO_MEMFAULT = 21, /* empty: the region cannot be read */
};

struct sockproto_hdr {
    uint32_t type;
    uint32_t len; /* body bytes after this header */
};

struct sockproto_hello {
    uint32_t magic;
    uint16_t version;
    uint16_t nbuses;
};

#define SOCKPROTO_PROFILE_I2C  0u
#define SOCKPROTO_PROFILE_STUB 1u

struct sockproto_bus {
    int32_t number; /* N of /dev/i2c-N */
    uint32_t funcs; /* I2C_FUNCS */
    uint32_t profile;
    char name[SOCKPROTO_NAME_LEN]; /* NUL-terminated */
};

struct sockproto_open {
    int32_t number;
    int32_t flags; /* open(2) flags; only O_ACCMODE matters */
};

struct sockproto_ioctl {
    uint32_t cmd; /* the syscall takes an unsigned int */
    uint32_t compat; /* 1: a 32-bit caller */
    uint64_t arg;
    uint32_t nin; /* 0 .. SOCKPROTO_MAX_IN regions of client memory */
    uint32_t pad;
};

/* One region of client memory an IOCTL carries. The len bytes of each one
 * not faulted follow the last of them, in order. */
struct sockproto_in {
    uint64_t addr;
    uint32_t len;   /* 1 .. SOCKPROTO_MAX_REGION */
    uint32_t fault; /* 1: the client cannot read it (copy_from_user fails) */
};

/* The largest IOCTL body. */
#define SOCKPROTO_MAX_IOCTL                                                   \
    (sizeof(struct sockproto_ioctl) +                                         \
     SOCKPROTO_MAX_IN * (sizeof(struct sockproto_in) + SOCKPROTO_MAX_REGION))

struct sockproto_read {
    uint64_t addr; /* the caller's buffer */
    uint64_t count;
};

/* The first min(count, SOCKPROTO_MAX_REGION) bytes at addr follow, unless
 * the client could not read them (fault = 1): the server serves them as
 * client memory, so EBADF still wins over EFAULT. */
struct sockproto_write {
    uint64_t addr;
    uint64_t count;
    uint32_t fault;
    uint32_t pad;
};

struct sockproto_need {
    uint64_t addr;
    uint32_t len; /* 1 .. SOCKPROTO_MAX_REGION */
    uint32_t pad;
};

struct sockproto_result {
    int64_t result; /* the syscall's return value, or -errno */
    uint32_t nout;  /* regions to write to client memory, in order */
    uint32_t pad;
};

struct sockproto_out {
    uint64_t addr;
    uint32_t len; /* 1 .. SOCKPROTO_MAX_REGION data bytes follow */
    uint32_t pad;
};

_Static_assert(sizeof(struct sockproto_hdr) == 8, "hdr");
_Static_assert(sizeof(struct sockproto_hello) == 8, "hello");
_Static_assert(sizeof(struct sockproto_bus) == 60, "bus");
_Static_assert(sizeof(struct sockproto_open) == 8, "open");
_Static_assert(sizeof(struct sockproto_ioctl) == 24, "ioctl");
_Static_assert(sizeof(struct sockproto_in) == 16, "in");
_Static_assert(sizeof(struct sockproto_read) == 16, "read");
_Static_assert(sizeof(struct sockproto_write) == 24, "write");
_Static_assert(sizeof(struct sockproto_need) == 16, "need");
_Static_assert(sizeof(struct sockproto_result) == 16, "result");
_Static_assert(sizeof(struct sockproto_out) == 16, "out");

#endif
