/* SPDX-License-Identifier: MIT */
/*
 * Backing files: the crash-safe store of a model's non-volatile memory (an
 * EEPROM's cells, an RTC's NVRAM), for any model that has some.
 *
 * The image is a file of exactly `size` bytes holding a copy of the cells,
 * which stay in the arena; the model passes them to each call, since the
 * arena may move between calls.
 *
 * Contract:
 *  - Open: the path is opened without following a symbolic link; it must
 *    be a regular file owned by the user the daemon runs as (root too is
 *    refused another user's file), of exactly `size` bytes, and not in use
 *    by another process (an exclusive lock, held until close). A missing
 *    image is created whole: written in a temporary file in the same
 *    directory, synced, renamed into place (never over a file that
 *    appeared meanwhile), and the directory synced, so a kill at any
 *    instant leaves no image or a complete one, never a short one.
 *  - Atomicity: i2cemu_backing_store() writes its range with one pwrite().
 *    The kernel copies a write into a page-cache page whole, so if the
 *    daemon dies at any instant (SIGKILL included) each aligned 512-byte
 *    block of the range holds all its old bytes or all its new ones. A
 *    model that stores each transaction's bytes in one such block (an
 *    EEPROM page) gets all-or-nothing transactions.
 *  - Durability (power loss, OS crash) is the policy's: STOP syncs the
 *    data (fdatasync) before i2cemu_backing_store() returns, so what the
 *    model acknowledged at STOP is on disk; INTERVAL syncs at most
 *    `interval_ms` of board time after a store, so that much may be lost;
 *    NONE leaves it to the kernel's writeback. Close syncs in every case.
 *  - Failure: a store or sync that fails (a full disk, an I/O error) is
 *    logged on stderr and leaves the store failed: i2cemu_backing_ready()
 *    then retries by writing the whole image and syncing it, and returns
 *    false while that fails; the model refuses writes (NACKs) meanwhile.
 *    Data that was never saved by close counts in
 *    i2cemu_backing_failures(), which the daemon turns into its exit
 *    status.
 */
#ifndef I2CEMU_BACKING_H
#define I2CEMU_BACKING_H

#include <stddef.h>

#include <i2cemu/device.h>

#ifdef __cplusplus
extern "C" {
#endif

enum i2cemu_sync_policy {
    I2CEMU_SYNC_STOP,     /* fdatasync after each store (the default) */
    I2CEMU_SYNC_INTERVAL, /* fdatasync within interval_ms of a store */
    I2CEMU_SYNC_NONE,     /* the kernel writes back; close syncs */
};

/* "stop", "interval", "none", NULL: the names of an ENUM property. */
extern const char *const i2cemu_sync_names[];

struct i2cemu_backing_config {
    const char *path;
    size_t size;           /* bytes in the image */
    unsigned char erased;  /* every byte of a new image (0xFF: EEPROM) */
    const char *what;      /* the part, for messages: "24c02" */
    enum i2cemu_sync_policy sync;
    uint32_t interval_ms;  /* I2CEMU_SYNC_INTERVAL: at least 1 */
};

struct i2cemu_backing;

/* Open the image (creating it erased if missing) and load it into `mem`
 * (`size` bytes). Returns the store, or NULL with a message in `err`. */
struct i2cemu_backing *
i2cemu_backing_open(struct i2cemu_dev *d, const struct i2cemu_backing_config *cfg,
                    void *mem, struct i2cemu_error *err);

/* Store mem[off, off + len) (mem: the model's whole image) as one
 * transaction, synced as the policy says. Returns 0, or -1 when it failed
 * (logged; the store is failed until i2cemu_backing_ready() cures it). */
int i2cemu_backing_store(struct i2cemu_backing *bk, const void *mem,
                         size_t off, size_t len);

/* Whether the store can take a write now. After a failure, writes the
 * whole of `mem` and syncs it: true once that succeeds. */
bool i2cemu_backing_ready(struct i2cemu_backing *bk, const void *mem);

/* Sync and close (NULL: nothing). An image that open created and that was
 * never stored to is removed. Returns 0, or -1 when data acknowledged to
 * the bus may not be on disk (logged, counted). */
int i2cemu_backing_close(struct i2cemu_backing *bk, const void *mem);

/* Stores closed since the program started with data not saved. */
unsigned i2cemu_backing_failures(void);

#ifdef __cplusplus
}
#endif
#endif
