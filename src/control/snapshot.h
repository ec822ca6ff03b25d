/* SPDX-License-Identifier: MIT */
/*
 * Snapshots (docs/control.md, "Snapshots"): the whole board as a JSON
 * document, and back. A restore checks that the document describes this
 * board (buses, devices, state sizes, every field) and decodes all of it
 * before it changes anything: whole or not at all.
 */
#ifndef I2CEMU_CONTROL_SNAPSHOT_H
#define I2CEMU_CONTROL_SNAPSHOT_H

#include <jansson.h>

#include <i2cemu/board.h>

#define CTL_SNAPSHOT_FORMAT  "i2cemu-snapshot"
#define CTL_SNAPSHOT_VERSION 1
/* Largest snapshot file a load reads. */
#define CTL_SNAPSHOT_MAX_FILE (64u << 20)

/* The board as a snapshot document; NULL when out of memory. */
json_t *ctl_snapshot_take(const struct i2cemu_board *b);
/* Restore a document. Returns 0, or -1 with the first problem (or the
 * first difference from this board) in err and the board unchanged. */
int ctl_snapshot_restore(struct i2cemu_board *b, const json_t *snap,
                         struct i2cemu_error *err);

/* The same through a file: written whole (a temporary file renamed into
 * place, mode 0600), read up to CTL_SNAPSHOT_MAX_FILE bytes. */
int ctl_snapshot_save(const struct i2cemu_board *b, const char *path,
                      struct i2cemu_error *err);
int ctl_snapshot_load(struct i2cemu_board *b, const char *path,
                      struct i2cemu_error *err);

#endif
