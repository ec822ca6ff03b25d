/* SPDX-License-Identifier: MIT */
/* Snapshots: take and restore (snapshot.h), and their files. */
#include "control/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <i2cemu/regmap.h>

#include "control/base64.h"

static const char *profile_name(enum i2cemu_profile p)
{
    return p == I2CEMU_PROFILE_STUB ? "stub" : "i2c";
}

static uint32_t line_levels(const struct i2cemu_board *b, unsigned dev)
{
    uint32_t lines = 0;
    for (unsigned i = 0; i < I2CEMU_MAX_LINES; i++)
        if (i2cemu_device_line(b, dev, i))
            lines |= 1u << i;
    return lines;
}

/* Adds {name: base64} to the object `opaque`; a failure leaves it out,
 * which ctl_snapshot_take notices by counting. */
static void add_field(void *opaque, const struct i2cemu_field *f,
                      const void *bytes, size_t size)
{
    char *s = ctl_base64_encode(bytes, size);
    if (s)
        json_object_set_new(opaque, f->name, json_string(s));
    free(s);
}

static json_t *take_device(const struct i2cemu_board *b, unsigned d)
{
    const struct i2cemu_device_type *t = i2cemu_device_type_of(b, d);
    const char *state = i2cemu_device_state(b, d);
    json_t *fields = json_object(), *props = json_object();
    unsigned nf = 0, np = 0;

    if (fields)
        i2cemu_device_fields_dump(b, d, add_field, fields);
    for (const struct i2cemu_field *f = t->fields; f && f->name; f++)
        nf++;
    for (const struct i2cemu_prop *p = t->props; props && p && p->name; p++) {
        struct i2cemu_field f = { .name = p->name };
        add_field(props, &f, state + p->offset, p->size);
        np++;
    }
    if (!fields || !props || json_object_size(fields) != nf ||
        json_object_size(props) != np) {
        json_decref(fields);
        json_decref(props);
        return NULL;
    }
    return json_pack("{sssisisssIsIsoso}", "type", t->name,
                     "bus", i2cemu_bus_number(b, i2cemu_device_bus(b, d)),
                     "addr", (int)i2cemu_device_addr(b, d),
                     "id", i2cemu_device_id(b, d),
                     "state_size", (json_int_t)i2cemu_device_state_size(b, d),
                     "lines", (json_int_t)line_levels(b, d),
                     "fields", fields, "props", props);
}

json_t *ctl_snapshot_take(const struct i2cemu_board *b)
{
    json_t *snap = json_pack(
        "{sssisIsIs[]s[]}", "format", CTL_SNAPSHOT_FORMAT,
        "version", CTL_SNAPSHOT_VERSION,
        "clock_ns", (json_int_t)i2cemu_loop_now(i2cemu_board_loop(b)),
        "wall_ns", (json_int_t)i2cemu_board_wall_time_ns(b),
        "buses", "devices");
    if (!snap)
        return NULL;
    json_t *buses = json_object_get(snap, "buses");
    json_t *devs = json_object_get(snap, "devices");
    for (unsigned i = 0; i < i2cemu_bus_count(b); i++)
        if (json_array_append_new(buses, json_pack(
                "{sisssssI}", "number", i2cemu_bus_number(b, i),
                "name", i2cemu_bus_name(b, i),
                "profile", profile_name(i2cemu_bus_profile(b, i)),
                "speed_hz", (json_int_t)i2cemu_bus_speed_hz(b, i))) < 0)
            goto oom;
    for (unsigned d = 0; d < i2cemu_device_count(b); d++)
        if (i2cemu_device_present(b, d) &&
            json_array_append_new(devs, take_device(b, d)) < 0)
            goto oom;
    return snap;
oom:
    json_decref(snap);
    return NULL;
}

/* ---- restore -------------------------------------------------------- */

/* The integer at key, or -1 with err set. */
static json_int_t get_int(const json_t *o, const char *key, const char *where,
                          struct i2cemu_error *err)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        i2cemu_error_set(err, "%s: \"%s\" must be an integer", where, key);
        return -1;
    }
    return json_integer_value(v);
}

static const char *get_str(const json_t *o, const char *key, const char *where,
                           struct i2cemu_error *err)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s)
        i2cemu_error_set(err, "%s: \"%s\" must be a string", where, key);
    return s;
}

static int check_buses(const struct i2cemu_board *b, const json_t *buses,
                       struct i2cemu_error *err)
{
    if (!json_is_array(buses)) {
        i2cemu_error_set(err, "snapshot: \"buses\" must be an array");
        return -1;
    }
    if (json_array_size(buses) != i2cemu_bus_count(b)) {
        i2cemu_error_set(err, "the snapshot has %zu buses, this board %u",
                         json_array_size(buses), i2cemu_bus_count(b));
        return -1;
    }
    for (unsigned i = 0; i < i2cemu_bus_count(b); i++) {
        const json_t *r = json_array_get(buses, i);
        json_int_t n = get_int(r, "number", "snapshot bus", err);
        const char *prof = get_str(r, "profile", "snapshot bus", err);
        if (n < 0 || !prof)
            return -1;
        if (n != i2cemu_bus_number(b, i)) {
            i2cemu_error_set(err, "bus %u is i2c-%" JSON_INTEGER_FORMAT
                             " in the snapshot, i2c-%d on this board", i, n,
                             i2cemu_bus_number(b, i));
            return -1;
        }
        if (strcmp(prof, profile_name(i2cemu_bus_profile(b, i))) != 0) {
            i2cemu_error_set(err, "bus i2c-%d: profile %s in the snapshot, "
                             "%s on this board", (int)n, prof,
                             profile_name(i2cemu_bus_profile(b, i)));
            return -1;
        }
    }
    return 0;
}

/* Decode the snapshot's `what` ("fields", "props") entry `name` over
 * `size` bytes at `out`. */
static int decode(const json_t *set, const char *what, const char *name,
                  void *out, size_t size, const char *dev,
                  struct i2cemu_error *err)
{
    const char *s = json_string_value(json_object_get(set, name));
    if (!s) {
        i2cemu_error_set(err, "%s: the snapshot has no %s '%s'", dev,
                         what[0] == 'f' ? "field" : "property", name);
        return -1;
    }
    if (!ctl_base64_decode(s, out, size)) {
        i2cemu_error_set(err, "%s: %s '%s' is not %zu bytes of base64", dev,
                         what[0] == 'f' ? "field" : "property", name, size);
        return -1;
    }
    return 0;
}

/* Every key of `set` must be one the type knows (a newer build's field
 * would otherwise be silently dropped). */
static int check_known(const json_t *set, const char *what,
                       const struct i2cemu_device_type *t, const char *dev,
                       struct i2cemu_error *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(set)) {
        i2cemu_error_set(err, "%s: \"%s\" must be an object", dev, what);
        return -1;
    }
    json_object_foreach((json_t *)set, key, v) {
        bool known = false;
        if (what[0] == 'f')
            for (const struct i2cemu_field *f = t->fields; f && f->name; f++)
                known = known || strcmp(f->name, key) == 0;
        else
            for (const struct i2cemu_prop *p = t->props; p && p->name; p++)
                known = known || strcmp(p->name, key) == 0;
        if (!known) {
            i2cemu_error_set(err, "%s: %s has no %s '%s'", dev, t->name,
                             what[0] == 'f' ? "field" : "property", key);
            return -1;
        }
    }
    return 0;
}

/* The device's new state image in `img` (a copy of its current state
 * with the snapshot's fields and runtime properties decoded over it). */
static int build_image(struct i2cemu_board *b, unsigned d,
                       const json_t *r, char *img, uint32_t *lines,
                       struct i2cemu_error *err)
{
    const struct i2cemu_device_type *t = i2cemu_device_type_of(b, d);
    size_t size = i2cemu_device_state_size(b, d);
    const json_t *fields = json_object_get(r, "fields");
    const json_t *props = json_object_get(r, "props");
    char dev[64];
    json_int_t n;

    snprintf(dev, sizeof(dev), "%s@%d-%04x", t->name,
             i2cemu_bus_number(b, i2cemu_device_bus(b, d)),
             (unsigned)i2cemu_device_addr(b, d));
    if ((n = get_int(r, "state_size", dev, err)) < 0)
        return -1;
    if ((size_t)n != size) {
        i2cemu_error_set(err, "%s: its state is %" JSON_INTEGER_FORMAT
                         " bytes in the snapshot, %zu on this board", dev, n,
                         size);
        return -1;
    }
    if ((n = get_int(r, "lines", dev, err)) < 0 || n > UINT32_MAX) {
        i2cemu_error_set(err, "%s: \"lines\" must be a 32-bit integer", dev);
        return -1;
    }
    *lines = (uint32_t)n;
    if (check_known(fields, "fields", t, dev, err) < 0 ||
        check_known(props, "props", t, dev, err) < 0)
        return -1;
    memcpy(img, i2cemu_device_state(b, d), size);
    for (const struct i2cemu_field *f = t->fields; f && f->name; f++)
        if (decode(fields, "fields", f->name, img + f->offset,
                   f->size ? f->size : size - t->state_size, dev, err) < 0)
            return -1;
    /* Runtime and read-only properties are the device's state; the others
     * are how it was built (a size, a backing file), which the board
     * already has: they are saved, and checked to decode, not copied. */
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++) {
        char tmp[256], *to = tmp;
        if (p->flags & (I2CEMU_PROP_RUNTIME | I2CEMU_PROP_READONLY))
            to = img + p->offset;
        else if (p->size > sizeof(tmp))
            to = NULL;
        if (to && decode(props, "props", p->name, to, p->size, dev, err) < 0)
            return -1;
    }
    struct i2cemu_error why = {{0}};
    if ((t->regmap && i2cemu_regmap_state_check(t->regmap, img, &why) < 0) ||
        i2cemu_device_check_state(b, d, img, &why) < 0) {
        i2cemu_error_set(err, "%s: %s", dev, why.msg);
        return -1;
    }
    return 0;
}

/* Device record `r` must be device `d` of this board. */
static int check_device(const struct i2cemu_board *b, unsigned d,
                        const json_t *r, struct i2cemu_error *err)
{
    const char *type = get_str(r, "type", "snapshot device", err);
    json_int_t bus = get_int(r, "bus", "snapshot device", err);
    json_int_t addr = get_int(r, "addr", "snapshot device", err);
    int mybus = i2cemu_bus_number(b, i2cemu_device_bus(b, d));
    const char *mytype = i2cemu_device_type_of(b, d)->name;
    unsigned myaddr = i2cemu_device_addr(b, d);

    if (!type || bus < 0 || addr < 0)
        return -1;
    if (strcmp(type, mytype) != 0 || bus != mybus || addr != myaddr) {
        i2cemu_error_set(err, "device %u is %s@%d-%04x in the snapshot, "
                         "%s@%d-%04x on this board", d, type, (int)bus,
                         (unsigned)addr, mytype, mybus, myaddr);
        return -1;
    }
    return 0;
}

int ctl_snapshot_restore(struct i2cemu_board *b, const json_t *snap,
                         struct i2cemu_error *err)
{
    const char *format = json_string_value(json_object_get(snap, "format"));
    const json_t *devs = json_object_get(snap, "devices");
    unsigned ndev = 0, live[I2CEMU_MAX_DEVICES];
    json_int_t version, wall;
    char **img = NULL;
    uint32_t *lines = NULL;
    int rc = -1;

    if (!format || strcmp(format, CTL_SNAPSHOT_FORMAT) != 0) {
        i2cemu_error_set(err, "not an i2cemu snapshot (no \"format\": \"%s\")",
                         CTL_SNAPSHOT_FORMAT);
        return -1;
    }
    if ((version = get_int(snap, "version", "snapshot", err)) < 0)
        return -1;
    if (version != CTL_SNAPSHOT_VERSION) {
        i2cemu_error_set(err, "snapshot version %" JSON_INTEGER_FORMAT " is "
                         "not supported (this build reads version %d)",
                         version, CTL_SNAPSHOT_VERSION);
        return -1;
    }
    if ((wall = get_int(snap, "wall_ns", "snapshot", err)) < 0 ||
        check_buses(b, json_object_get(snap, "buses"), err) < 0)
        return -1;
    for (unsigned d = 0; d < i2cemu_device_count(b); d++)
        if (i2cemu_device_present(b, d))
            live[ndev++] = d;
    if (!json_is_array(devs) || json_array_size(devs) != ndev) {
        i2cemu_error_set(err, "the snapshot has %zu devices, this board %u",
                         json_array_size(devs), ndev);
        return -1;
    }
    img = calloc(ndev ? ndev : 1, sizeof(*img));
    lines = calloc(ndev ? ndev : 1, sizeof(*lines));
    if (!img || !lines) {
        i2cemu_error_set(err, "out of memory");
        goto out;
    }
    /* Everything is checked and decoded first... */
    for (unsigned i = 0; i < ndev; i++) {
        const json_t *r = json_array_get(devs, i);
        if (check_device(b, live[i], r, err) < 0)
            goto out;
        img[i] = malloc(i2cemu_device_state_size(b, live[i]) + 1);
        if (!img[i]) {
            i2cemu_error_set(err, "out of memory");
            goto out;
        }
        if (build_image(b, live[i], r, img[i], &lines[i], err) < 0)
            goto out;
    }
    /* ...then copied, between transfers, as a set would be. */
    i2cemu_board_set_wall_time(b, wall);
    for (unsigned i = 0; i < ndev; i++)
        i2cemu_device_restore(b, live[i], img[i], lines[i]);
    rc = 0;
out:
    for (unsigned i = 0; img && i < ndev; i++)
        free(img[i]);
    free(img);
    free(lines);
    return rc;
}

/* ---- files ------------------------------------------------------------ */

static int write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int ctl_snapshot_save(const struct i2cemu_board *b, const char *path,
                      struct i2cemu_error *err)
{
    json_t *snap = ctl_snapshot_take(b);
    char *text = snap ? json_dumps(snap, JSON_COMPACT) : NULL;
    char *tmp = NULL;
    int fd = -1, rc = -1;

    json_decref(snap);
    if (!text || asprintf(&tmp, "%s.XXXXXX", path) < 0) {
        tmp = NULL;
        i2cemu_error_set(err, "out of memory");
        goto out;
    }
    /* A temporary file beside it, renamed over it: a reader never sees
     * half a snapshot. mkstemp creates it 0600. */
    if ((fd = mkstemp(tmp)) < 0) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (write_all(fd, text, strlen(text)) < 0 || write_all(fd, "\n", 1) < 0 ||
        fsync(fd) < 0 || close(fd) < 0) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        fd = -1;
        unlink(tmp);
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    free(tmp);
    free(text);
    return rc;
}

int ctl_snapshot_load(struct i2cemu_board *b, const char *path,
                      struct i2cemu_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    json_error_t jerr;
    json_t *snap;
    int rc;

    if (fd < 0) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        st.st_size > CTL_SNAPSHOT_MAX_FILE) {
        i2cemu_error_set(err, "%s: not a regular file of at most %u bytes",
                         path, CTL_SNAPSHOT_MAX_FILE);
        close(fd);
        return -1;
    }
    snap = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
    close(fd);
    if (!snap) {
        i2cemu_error_set(err, "%s: not JSON: %s at line %d", path, jerr.text,
                         jerr.line);
        return -1;
    }
    rc = ctl_snapshot_restore(b, snap, err);
    json_decref(snap);
    return rc;
}
