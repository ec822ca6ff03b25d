/* SPDX-License-Identifier: MIT */
/*
 * libi2cemu-preload.so's parts (docs/protocol.md has the protocol):
 *
 *   interpose_*.c  the libc functions a program calls, which hand the
 *                  emulated descriptors to the parts below (and, in
 *                  interpose_new.c, tell the table of descriptors made
 *                  elsewhere)
 *   fdtable.c      which descriptors are emulated, and their files
 *   connect.c      the daemon's socket: connect, check, HELLO (memfd)
 *   client.c       one exchange on it
 *   regions.c      what client memory a request may touch
 *   procbus.c      /proc/bus/i2c
 *   fast.c         the fast path over the daemon's shared arena
 *   efault.c       EFAULT for the fast path's copies (efault.h)
 *   loop.c         the event loop of the fast path's board (no libuv)
 */
#ifndef I2CEMU_PRELOAD_SHIM_H
#define I2CEMU_PRELOAD_SHIM_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <i2cemu/i2cdev.h>

#include "frontends/preload/regions.h"
#include "frontends/sockproto.h"

#define EXPORT __attribute__((visibility("default")))

/* The next definition of fn, libc's: REAL(read)(fd, buf, n). */
void *shim_resolve(void **slot, const char *name);
#define REAL(fn)                                                              \
    ({                                                                        \
        static void *slot_;                                                   \
        (__typeof__(fn) *)shim_resolve(&slot_, #fn);                          \
    })

/* How long the shim waits for the daemon beyond the adapter's timeout,
 * and for HELLO and OPEN, which make no bus traffic (docs/protocol.md). */
#define SHIM_MARGIN_MS 5000u
#define SHIM_DEFAULT_TIMEOUT_MS 1000u /* the kernel's default: HZ */

/*
 * One open file description of an emulated /dev/i2c-N. It lives in a
 * MAP_SHARED mapping made at open(), so that the processes that fork()
 * after it share its lock, as they share the socket: their exchanges on
 * that one stream are serialised like the kernel serialises their calls.
 */
struct efile {
    /* Robust (a holder that dies is noticed), process-shared, error
     * checking (a signal handler of the holder is noticed). */
    pthread_mutex_t lock;
    ino_t ino;           /* the socket's: tells a reused fd number */
    int number;          /* N of /dev/i2c-N; -1 if inherited across exec */
    int accmode;         /* O_RDONLY, O_WRONLY or O_RDWR */
    uint32_t timeout_ms; /* the adapter's I2C_TIMEOUT, as far as we know */
    /* The fast path (fast.c): on for a file opened here while attached to
     * the daemon's arena; lf mirrors the daemon's file (address, flags). */
    bool fast;
    struct i2cemu_i2cdev_file lf;
    /* The lock holder's buffer for one message either way, the largest
     * an IOCTL with every region it can carry (about 350 KiB; a page is
     * backed once touched). */
    uint8_t buf[sizeof(struct sockproto_hdr) + SOCKPROTO_MAX_IOCTL];
};

/* ---- fdtable.c ---- */
/* The file of an emulated fd, or NULL: fds inherited across exec are
 * recognised by their peer, and a number reused since is not ours. */
struct efile *fdt_get(int fd);
/* The fast path's look-up: what the table says, with no system call (so
 * no check that the number was not closed behind libc's back and reused:
 * docs/fastpath.md, "Descriptors"). NULL: ask fdt_get. */
struct efile *fdt_peek(int fd);
/* Records fd, a new connection to the daemon; false with errno. */
bool fdt_add(int fd, int number, int flags);
void fdt_other(int fd); /* an fd libc opened */
void fdt_forget(int fd);
void fdt_forget_range(unsigned first, unsigned last);
/* to is a new fd for from's file: false if it cannot be emulated. */
bool fdt_copy(int from, int to);

/* ---- connect.c ---- */
/* A connection to a daemon we trust, or -1 with errno: EACCES for a
 * daemon of another user (said on stderr), ENOENT when I2CEMU_SOCKET is
 * unset, anything else when it cannot be reached. */
int client_connect(bool cloexec);
/* Its HELLO: a malloc()ed array of *n buses, or NULL with errno: the
 * daemon's when it refuses the connection, ETIMEDOUT, else EPROTO.
 * *memfd: the shared arena's memfd that came with it, or -1. */
struct sockproto_bus *client_hello(int fd, unsigned *n, int *memfd);
/* Whether fd's peer is the daemon at $I2CEMU_SOCKET and trusted. */
bool client_peer_is_daemon(int fd);

/* ---- client.c ---- */
/* Time-bounded socket I/O: CLOCK_MONOTONIC in ms; waiting for fd's
 * events, and receiving len bytes, until the deadline (false with errno,
 * ETIMEDOUT when it passed). */
int64_t shim_now_ms(void);
bool shim_wait_fd(int fd, short events, int64_t deadline);
bool shim_recv_all(int fd, void *buf, size_t len, int64_t deadline);
/* One request on file f through fd, and its RESULT, checked against q:
 * the syscall's result, or -1 with errno. An IOCTL or a WRITE carries the
 * client memory of q's input regions, which client_call reads (body's
 * nin or fault are filled in), so that the daemon needs no NEED round. */
long client_call(int fd, struct efile *f, const struct shim_req *q,
                 uint32_t type, const void *body, size_t len);
/* Signal masks through the kernel, as pthread_sigmask() will not block
 * glibc's cancellation signal: up to glibc 2.36 at least, an asynchronous
 * cancel on its way when a thread disables cancellation still cancels it
 * on arrival. Blocked, it waits until the thread is done. */
#define SHIM_SIGCANCEL (1ull << (__SIGRTMIN - 1))
void shim_sigblock(uint64_t set, uint64_t *old);
void shim_sigrestore(const uint64_t *old);
/* Client memory through the kernel's checks: false where it would fault. */
bool shim_vm_copy(bool to_client, uint64_t addr, void *buf, size_t len);

/* ---- interpose_io.c ---- */
/* read() (wr false) or write() on fd, and their other forms (pread,
 * stdio's cookie): on the fast path when the table knows fd and the bus
 * is lent, else, fd checked, through the daemon; each request is decoded
 * once. true with *result as the call returns; false: fd is not ours. */
bool shim_rw(int fd, bool wr, void *buf, size_t count, ssize_t *result);

/* ---- fast.c ---- */
/* The memfd a HELLO brought: attach to it once per process (unless
 * I2CEMU_PRELOAD_FASTPATH=0), and close it. Whether this connection's
 * daemon is the one attached. */
bool fast_attach(int memfd);
/* A file just opened: its mirror, on if attached. */
void fast_open(struct efile *f, int number, int flags, bool attached);
/* After the daemon accepted ioctl cmd. */
void fast_mirror(struct efile *f, unsigned cmd, unsigned long arg);
/* true with *result (as the syscall returns: -1 with errno) if answered
 * here; false: take the slow path. */
bool fast_ioctl(struct efile *f, unsigned cmd, unsigned long arg,
                long *result);
bool fast_rw(struct efile *f, bool wr, void *buf, size_t count,
             long *result);

/* ---- loop.c ---- */
/* Whether a transfer waited on the client's loop since the last call. */
struct i2cemu_loop;
bool preload_loop_stalled(struct i2cemu_loop *l);

/* ---- procbus.c ---- */
/* /proc/bus/i2c: a memfd, -1 with errno, or SHIM_PASS without a daemon. */
#define SHIM_PASS (-2)
int procbus_open(bool cloexec);

#endif
