/* SPDX-License-Identifier: MIT */
/*
 * The threads that read CUSE sessions (cuse.c, docs/cuse.md): one per
 * session, blocked in read() as a plain CUSE server is, running each
 * request with the loop's engine entered (loop.h, "Sharing the engine").
 */
#ifndef I2CEMU_CUSE_READER_H
#define I2CEMU_CUSE_READER_H

#define FUSE_USE_VERSION 35
#include <fuse_lowlevel.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <i2cemu/loop.h>

struct cuse_readers;

/* Answers a message itself: true, or false to leave it to libfuse. */
typedef bool cuse_reader_own_fn(void *opaque, const struct fuse_buf *buf);

struct cuse_reader {
    struct cuse_readers *set;
    struct fuse_session *se;
    cuse_reader_own_fn *own;
    void *opaque;
    const char *name; /* for messages */
    struct fuse_buf buf;
    pthread_t thread;
    struct cuse_reader *next; /* started readers */
};

/* Every reader of a frontend: all are stopped together. */
struct cuse_readers {
    struct i2cemu_loop *loop;
    struct cuse_reader *started;
    bool stopping;
    int gone_fd; /* each reader adds 1 as it exits */
    struct i2cemu_watch *gone_watch;
    uint64_t gone;
};

/* From the loop's thread. 0, or -1 (no resources). */
int cuse_readers_init(struct cuse_readers *rs, struct i2cemu_loop *l);
/* Serve `se` from a thread of its own, each message by `own` first.
 * 0, or -1 (no thread). */
int cuse_reader_start(struct cuse_readers *rs, struct cuse_reader *r,
                      struct fuse_session *se, const char *name,
                      cuse_reader_own_fn *own, void *opaque);
/* From the loop's thread: stop and join every started reader, then free
 * what init took. Their buffers stay for the owner to free. */
void cuse_readers_stop(struct cuse_readers *rs);

#endif
