/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the QEMU-style device strings and bus lines
 * (i2cemu_device_add, i2cemu_bus_add_spec) and the property setters.
 *
 * The input is up to 16 lines, each run on one fresh board:
 *   "bus SPEC"          i2cemu_bus_add_spec(SPEC)
 *   "set NAME VALUE"    i2cemu_device_set on the last device added
 *   anything else       i2cemu_device_add(LINE)
 * Every property of every device is formatted back at the end, and the
 * board is freed.
 *
 * Invariants: a failure leaves the board exactly as it was (arena size,
 * bus and device counts, every used record and state byte, priv) and sets
 * a NUL-terminated, non-empty message; a success adds exactly one bus or
 * device, at the index returned; no leak or memory error.
 *
 * Backing files (file=) are confined: the harness works in a private
 * temporary directory, inputs with '/' are rejected, and the directory is
 * emptied after every input.
 */
#include <dirent.h>
#include <unistd.h>

#include "fuzz_common.h"

static char dir[64];

static void empty_dir(void);

static void cleanup(void)
{
    empty_dir();
    if (chdir("/") == 0)
        rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/tmp/i2cemu-fuzz-devspec-XXXXXX");
    FUZZ_CHECK(mkdtemp(dir), "mkdtemp");
    FUZZ_CHECK(chdir(dir) == 0, "chdir");
    atexit(cleanup);
    return 0;
}

static void empty_dir(void)
{
    DIR *d = opendir(".");
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlink(e->d_name);
    closedir(d);
}

static void check_err(const struct i2cemu_error *err, const char *line)
{
    FUZZ_CHECK(memchr(err->msg, '\0', sizeof err->msg) != NULL,
               "error message not terminated");
    FUZZ_CHECK(err->msg[0] != '\0', "failed without a message: '%s'", line);
}

static void one_line(struct i2cemu_board *b, char *line, int *last)
{
    struct i2cemu_error err;
    struct arena_snap snap;
    unsigned nb = i2cemu_bus_count(b), nd = i2cemu_device_count(b);
    int r;

    memset(&err, 0, sizeof err);
    arena_snap_take(b, &snap);
    if (strncmp(line, "bus ", 4) == 0) {
        r = i2cemu_bus_add_spec(b, line + 4, &err);
        if (r >= 0) {
            FUZZ_CHECK((unsigned)r == nb && i2cemu_bus_count(b) == nb + 1,
                       "bus add returned %d, %u -> %u buses", r, nb,
                       i2cemu_bus_count(b));
            FUZZ_CHECK(i2cemu_device_count(b) == nd, "device count");
        }
    } else if (strncmp(line, "set ", 4) == 0) {
        char *name = line + 4, *value = strchr(name, ' ');
        if (*last < 0 || !value) {
            arena_snap_free(&snap);
            return;
        }
        *value++ = '\0';
        r = i2cemu_device_set(b, (unsigned)*last, name, value, &err);
        if (r >= 0) { /* only the one property may change */
            FUZZ_CHECK(b->a->size == snap.size && b->a->ndevs == snap.ndevs &&
                           b->a->nbuses == snap.nbuses,
                       "set changed the board's shape");
            arena_snap_free(&snap);
            return;
        }
    } else {
        r = i2cemu_device_add(b, line, &err);
        if (r >= 0) {
            FUZZ_CHECK((unsigned)r == nd && i2cemu_device_count(b) == nd + 1,
                       "device add returned %d, %u -> %u devices", r, nd,
                       i2cemu_device_count(b));
            FUZZ_CHECK(i2cemu_bus_count(b) <= nb + 1, "bus count");
            *last = r;
        }
    }
    if (r < 0) {
        const char *diff = arena_snap_diff(b, &snap);
        check_err(&err, line);
        FUZZ_CHECK(!diff, "'%s' failed (%s) but changed the board: %s", line,
                   err.msg, diff);
    }
    arena_snap_free(&snap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096 || memchr(data, '/', size))
        return -1;

    char *text = malloc(size + 1);
    FUZZ_CHECK(text, "malloc");
    memcpy(text, data, size);
    text[size] = '\0';

    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_FAST);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    int last = -1;
    char *save = NULL, *line = strtok_r(text, "\n", &save);

    for (int n = 0; line && n < 16; n++, line = strtok_r(NULL, "\n", &save))
        one_line(b, line, &last);

    /* Format every property back (the `i2cemu devices` / get path). */
    for (unsigned i = 0; i < i2cemu_device_count(b); i++) {
        const struct i2cemu_device_type *t = i2cemu_device_type_of(b, i);
        char out[300];
        for (const struct i2cemu_prop *p = t->props; p && p->name; p++) {
            int n = i2cemu_device_get(b, i, p->name, out, sizeof out, NULL);
            FUZZ_CHECK(n >= 0, "get %s", p->name);
        }
    }

    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
    free(text);
    empty_dir();
    return 0;
}
