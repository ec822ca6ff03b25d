/* SPDX-License-Identifier: MIT */
/* Snapshots (src/control/snapshot.c, base64.c): byte-identical round
 * trips for every registered type, refusals that name the first
 * difference and change nothing, files, and the ops that use them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <i2cemu/board.h>

#include "control/base64.h"
#include "control/request.h"
#include "control/snapshot.h"

static void base64_known_answers(void **state)
{
    (void)state;
    /* RFC 4648 section 10. */
    static const char *const enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
                                       "Zm9vYmE=", "Zm9vYmFy" };
    for (size_t n = 0; n <= 6; n++) {
        char *s = ctl_base64_encode("foobar", n);
        char out[8] = {0};
        assert_string_equal(s, enc[n]);
        assert_true(ctl_base64_decode(s, out, n));
        assert_memory_equal(out, "foobar", n);
        free(s);
    }
    unsigned char all[256], back[256];
    for (unsigned i = 0; i < 256; i++)
        all[i] = (unsigned char)(255 - i);
    char *s = ctl_base64_encode(all, sizeof(all));
    assert_true(ctl_base64_decode(s, back, sizeof(back)));
    assert_memory_equal(all, back, sizeof(all));
    free(s);
}

static void base64_refuses_what_is_not_canonical(void **state)
{
    (void)state;
    char out[8];
    static const struct { const char *s; size_t len; } bad[] = {
        { "Zg==", 2 },      /* not that many bytes */
        { "Zm9v", 2 },
        { "Zg=", 1 },       /* short */
        { "Zh==", 1 },      /* stray bits past the byte */
        { "Zm9=", 2 },
        { "Z===", 1 },
        { "Zm 9", 3 },      /* outside the alphabet */
        { "Zm9-", 3 },
        { "=m9v", 3 },      /* padding not at the end */
        { "Zm9vYg==Zg==", 5 },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(ctl_base64_decode(bad[i].s, out, bad[i].len));
}

/* A board with one device of type `name` at the first address it
 * accepts (a part takes only its own few); its index in *dev. */
static struct i2cemu_board *one_device(struct i2cemu_loop *loop,
                                       const char *name, int *dev)
{
    struct i2cemu_board *b = i2cemu_board_new(loop);
    *dev = -1;
    for (unsigned addr = 0x03; *dev < 0 && addr <= 0x77; addr++) {
        char spec[64];
        struct i2cemu_error err;
        snprintf(spec, sizeof(spec), "%s,addr=0x%02x", name, addr);
        *dev = i2cemu_device_add(b, spec, &err);
    }
    if (*dev < 0) {
        i2cemu_board_free(b);
        fail_msg("%s: no address accepted", name);
    }
    return b;
}

/* Flip every bit of every field and of every runtime or read-only
 * property: a change the snapshot must undo exactly. */
static void scribble(struct i2cemu_board *b, unsigned dev)
{
    const struct i2cemu_device_type *t = i2cemu_device_type_of(b, dev);
    unsigned char *s = i2cemu_device_state(b, dev);
    size_t size = i2cemu_device_state_size(b, dev);
    for (const struct i2cemu_field *f = t->fields; f && f->name; f++)
        for (size_t i = 0; i < (f->size ? f->size : size - t->state_size); i++)
            s[f->offset + i] ^= 0xFF;
    for (const struct i2cemu_prop *p = t->props; p && p->name; p++)
        if (p->flags & (I2CEMU_PROP_RUNTIME | I2CEMU_PROP_READONLY))
            for (size_t i = 0; i < p->size; i++)
                s[p->offset + i] ^= 0xFF;
}

static void every_type_round_trips_byte_identical(void **state)
{
    (void)state;
    const struct i2cemu_type_table *tt = &i2cemu_default_types;
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    for (unsigned i = 0; i < tt->count; i++) {
        int dev;
        struct i2cemu_board *b = one_device(loop, tt->types[i]->name, &dev);
        size_t size = i2cemu_device_state_size(b, (unsigned)dev);
        unsigned char *saved = malloc(size);
        memcpy(saved, i2cemu_device_state(b, (unsigned)dev), size);

        /* Through text, as a file would carry it. */
        json_t *snap = ctl_snapshot_take(b);
        char *text = json_dumps(snap, JSON_COMPACT);
        json_decref(snap);
        snap = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
        assert_non_null(snap);

        scribble(b, (unsigned)dev);
        if (size &&
            memcmp(saved, i2cemu_device_state(b, (unsigned)dev), size) == 0)
            fail_msg("%s: no field or property to change",
                     tt->types[i]->name);
        struct i2cemu_error err = {{0}};
        if (ctl_snapshot_restore(b, snap, &err) < 0)
            fail_msg("%s: %s", tt->types[i]->name, err.msg);
        if (memcmp(saved, i2cemu_device_state(b, (unsigned)dev), size) != 0)
            fail_msg("%s: restored state differs", tt->types[i]->name);
        json_decref(snap);
        free(text);
        free(saved);
        i2cemu_board_free(b);
    }
    i2cemu_loop_free(loop);
}

struct rig {
    struct i2cemu_loop *loop;
    struct i2cemu_board *b;
    json_t *snap;
};

static int setup(void **state)
{
    struct rig *r = calloc(1, sizeof(*r));
    struct i2cemu_error err;
    r->loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    r->b = i2cemu_board_new(r->loop);
    assert_int_equal(i2cemu_device_add(r->b, "tmp102,addr=0x48,id=t", &err), 0);
    assert_int_equal(i2cemu_device_add(r->b, "24c02,addr=0x50,bus=2", &err),
                     1);
    r->snap = ctl_snapshot_take(r->b);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    struct rig *r = *state;
    json_decref(r->snap);
    i2cemu_board_free(r->b);
    i2cemu_loop_free(r->loop);
    free(r);
    return 0;
}

/* Restoring `snap` must fail with `msg` and leave the arena as it was. */
static void refused(struct rig *r, const json_t *snap, const char *msg)
{
    size_t n0, n1;
    const void *a = i2cemu_board_arena(r->b, &n0);
    void *before = malloc(n0);
    struct i2cemu_error err = {{0}};
    memcpy(before, a, n0);
    assert_int_equal(ctl_snapshot_restore(r->b, snap, &err), -1);
    assert_string_equal(err.msg, msg);
    a = i2cemu_board_arena(r->b, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, a, n0);
    free(before);
}

/* The rig's snapshot with the JSON at `path` (a/b/c: keys, or array
 * indices as digits) replaced by `v`. */
static json_t *edited(const struct rig *r, const char *path, json_t *v)
{
    json_t *s = json_deep_copy(r->snap), *o = s;
    char buf[128], *save, *key, *next;
    snprintf(buf, sizeof(buf), "%s", path);
    key = strtok_r(buf, "/", &save);
    while ((next = strtok_r(NULL, "/", &save))) {
        o = json_is_array(o) ? json_array_get(o, (size_t)atoi(key))
                             : json_object_get(o, key);
        key = next;
    }
    if (v)
        json_object_set_new(o, key, v);
    else
        json_object_del(o, key);
    return s;
}

static void a_different_board_is_refused(void **state)
{
    struct rig *r = *state;
    static const struct { const char *path; const char *v; const char *msg; }
    cases[] = {
        { "format", "\"x\"", "not an i2cemu snapshot (no \"format\": "
          "\"i2cemu-snapshot\")" },
        { "version", "2", "snapshot version 2 is not supported (this build "
          "reads version 1)" },
        { "buses/1/number", "3", "bus 1 is i2c-3 in the snapshot, i2c-2 on "
          "this board" },
        { "buses/0/profile", "\"stub\"", "bus i2c-1: profile stub in the "
          "snapshot, i2c on this board" },
        { "devices/1/addr", "81", "device 1 is 24c02@2-0051 in the snapshot, "
          "24c02@2-0050 on this board" },
        { "devices/0/type", "\"lm75\"", "device 0 is lm75@1-0048 in the "
          "snapshot, tmp102@1-0048 on this board" },
        { "devices/1/bus", "1", "device 1 is 24c02@1-0050 in the snapshot, "
          "24c02@2-0050 on this board" },

        { "devices/1/fields/mem", "\"AAAA\"", "24c02@2-0050: field 'mem' is "
          "not 256 bytes of base64" },
        { "devices/1/fields/mem", NULL, "24c02@2-0050: the snapshot has no "
          "field 'mem'" },
        { "devices/1/fields/spare", "\"\"", "24c02@2-0050: 24c02 has no "
          "field 'spare'" },
        { "devices/0/props/temperature", "\"AA==\"", "tmp102@1-0048: "
          "property 'temperature' is not 8 bytes of base64" },
        { "devices/0/props", "[]", "tmp102@1-0048: \"props\" must be an "
          "object" },
        { "wall_ns", "-1", "snapshot: \"wall_ns\" must be an integer" },
        /* A state the model cannot run from (device.h, state_check). */
        { "devices/1/fields/counter", "\"//8=\"", "24c02@2-0050: counter "
          "65535 is past the last cell (255)" },
    };
    /* A change in the second device, so a refusal there must also leave
     * the first untouched. */
    struct i2cemu_error err;
    assert_int_equal(i2cemu_device_set(r->b, 0, "temperature", "30", &err), 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *v = cases[i].v ? json_loads(cases[i].v, JSON_DECODE_ANY, NULL)
                               : NULL;
        json_t *s = edited(r, cases[i].path, v);
        refused(r, s, cases[i].msg);
        json_decref(s);
    }
    char msg[128];
    json_t *s = edited(r, "devices/1/state_size", json_integer(1));
    snprintf(msg, sizeof(msg), "24c02@2-0050: its state is 1 bytes in the "
             "snapshot, %zu on this board", i2cemu_device_state_size(r->b, 1));
    refused(r, s, msg);
    json_decref(s);
    s = json_deep_copy(r->snap);
    json_array_remove(json_object_get(s, "devices"), 1);
    refused(r, s, "the snapshot has 1 devices, this board 2");
    json_decref(s);
    s = json_deep_copy(r->snap);
    json_array_remove(json_object_get(s, "buses"), 1);
    refused(r, s, "the snapshot has 1 buses, this board 2");
    json_decref(s);
}

static void a_file_round_trips_and_the_ops_use_it(void **state)
{
    struct rig *r = *state;
    char dir[] = "/tmp/i2cemu-snapXXXXXX", path[128], line[256], val[32];
    struct i2cemu_error err;
    struct ctl_wait w;
    json_t *reply;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/board.json", dir);

    snprintf(line, sizeof(line), "{\"op\":\"snapshot\",\"action\":\"save\","
             "\"file\":\"%s\"}", path);
    assert_int_equal(ctl_request(r->b, line, strlen(line), 0, &reply, &w),
                     CTL_REPLY);
    assert_true(json_is_true(json_object_get(reply, "ok")));
    json_decref(reply);
    assert_int_equal(i2cemu_device_set(r->b, 0, "temperature", "-7", &err), 0);
    snprintf(line, sizeof(line), "{\"op\":\"snapshot\",\"action\":\"load\","
             "\"file\":\"%s\"}", path);
    assert_int_equal(ctl_request(r->b, line, strlen(line), 0, &reply, &w),
                     CTL_REPLY);
    assert_true(json_is_true(json_object_get(reply, "ok")));
    json_decref(reply);
    i2cemu_device_get(r->b, 0, "temperature", val, sizeof(val), &err);
    assert_string_equal(val, "25");

    assert_int_equal(ctl_snapshot_load(r->b, "/nonexistent/x.json", &err), -1);
    assert_string_equal(err.msg, "/nonexistent/x.json: No such file or "
                        "directory");
    assert_int_equal(ctl_snapshot_load(r->b, "/dev/null", &err), -1);
    FILE *f = fopen(path, "w");
    fputs("{\"format\":", f);
    fclose(f);
    assert_int_equal(ctl_snapshot_load(r->b, path, &err), -1);
    assert_non_null(strstr(err.msg, "not JSON"));
    unlink(path);
    rmdir(dir);

    static const struct { const char *req, *msg; } bad[] = {
        { "{\"op\":\"snapshot\",\"action\":\"save\",\"file\":\"rel.json\"}",
          "snapshot: \\\"file\\\" must be an absolute path" },
        { "{\"op\":\"snapshot\",\"action\":\"take\",\"file\":\"/x\"}",
          "snapshot: \\\"action\\\" must be \\\"save\\\" or \\\"load\\\"" },
        { "{\"op\":\"snapshot\",\"action\":\"save\",\"file\":\"/x\",\"z\":1}",
          "snapshot: unknown key 'z'" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char want[256];
        assert_int_equal(ctl_request(r->b, bad[i].req, strlen(bad[i].req), 0,
                                     &reply, &w), CTL_REPLY);
        char *s = json_dumps(reply, JSON_COMPACT);
        snprintf(want, sizeof(want), "{\"ok\":false,\"error\":\"%s\"}",
                 bad[i].msg);
        assert_string_equal(s, want);
        free(s);
        json_decref(reply);
    }
}

/* An EEPROM with a backing file: the restored cells reach the file. */
static void restored_eeprom_cells_reach_the_backing_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/i2cemu-snapXXXXXX", spec[128], img[96];
    assert_non_null(mkdtemp(dir));
    snprintf(img, sizeof(img), "%s/eeprom.bin", dir);
    snprintf(spec, sizeof(spec), "24c02,addr=0x50,file=%s", img);
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    struct i2cemu_board *b = i2cemu_board_new(loop);
    struct i2cemu_error err;
    assert_int_equal(i2cemu_device_add(b, spec, &err), 0);
    json_t *snap = ctl_snapshot_take(b);
    /* The snapshot's cells: 0x00..0xFF. */
    unsigned char want[256];
    for (unsigned i = 0; i < 256; i++)
        want[i] = (unsigned char)i;
    char *enc = ctl_base64_encode(want, sizeof(want));
    json_object_set_new(json_object_get(json_array_get(
        json_object_get(snap, "devices"), 0), "fields"), "mem",
        json_string(enc));
    free(enc);
    assert_int_equal(ctl_snapshot_restore(b, snap, &err), 0);
    json_decref(snap);
    unsigned char got[257];
    FILE *f = fopen(img, "rb");
    assert_non_null(f);
    assert_int_equal(fread(got, 1, sizeof(got), f), 256);
    fclose(f);
    assert_memory_equal(got, want, 256);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
    unlink(img);
    rmdir(dir);
}

/* A state a model cannot run from (an index past its array, a count of 0
 * it divides by), set in one field (with the fields `with` names set to
 * their values first): the restore is refused with `msg`, after the
 * device's name, and the device is untouched; `good`, a value the model
 * reaches, is accepted. */
static const struct refusal {
    const char *type, *field, *bad, *good, *msg;
    const char *with[4]; /* field, value, field, value */
} refusals[] = {
    { "ds1307", "ptr", "QA==", "Pw==", /* 64, 63 */
      "ptr 64 is past the last register (63)", { NULL } },
    { "ds3231", "ptr", "Ew==", "Eg==", /* 19, 18 */
      "ptr 19 is past the last register (18)", { NULL } },
    { "ds1337", "chip", "AwAAAA==", "AgAAAA==", /* 3 (DS3231), 2 */
      "chip 3 is not this part's (2)", { NULL } },
    { "ds1338", "nv_lo", "Bw==", "CA==", /* 7, 8; nv_hi 8 */
      "nv_lo 7, nv_hi 8: out of range (8 <= nv_lo <= nv_hi <= 63)",
      { "nv_dirty", "AQ==", "nv_hi", "CA==" } },
    { "ee1004", "page", "Ag==", "AQ==", /* 2, 1 */
      "page 2, wbase 0, role 0: out of range (page 0 or 1, wbase a "
      "multiple of 16, role 0 to 2)", { NULL } },
    { "pcf8563", "ptr", "EA==", "Dw==", /* 16, 15 */
      "ptr 16 is past the last register (15)", { NULL } },
    { "pcf8563", "checked", "AAAAAAAAAIA=", "AAAAAAAAAAA=", /* INT64_MIN, 0 */
      "offset 0, checked -9223372036854775808: out of range (each within "
      "+-2^61 s)", { NULL } },
    { "ds3231", "checked", "AAAAAAAAAEA=", "AAAAAAAAACA=", /* 2^62, 2^61 */
      "offset 0, checked 4611686018427387904: out of range (each within "
      "+-2^61 s)", { NULL } },
    { "pcf8574", "nports", "AA==", "AQ==", /* 0, 1 */
      "nports 0 is not this part's (1)", { NULL } },
    { "pcf8575", "nports", "Aw==", "Ag==", /* 3, 2 */
      "nports 3 is not this part's (2)", { NULL } },
    { "pca9555", "nports", "yA==", "Ag==", /* 200, 2 */
      "nports 200 is not this part's (2)", { NULL } },
    { "pca9554", "nports", "Ag==", "AQ==", /* 2, 1 */
      "nports 2 is not this part's (1)", { NULL } },
    { "pca9548", "nchans", "/w==", "CA==", /* 255, 8 */
      "nchans 255, is_mux 0, irq_mask 0x00: not this part's (8, 0, 0x00)",
      { NULL } },
    { "pca9547", "is_mux", "AA==", "AQ==", /* false, true */
      "nchans 8, is_mux 0, irq_mask 0x00: not this part's (8, 1, 0x00)",
      { NULL } },
    { "pca9548", "child", /* channel 0 on bus 999; on bus 1, as made */
      "5wMCAAMABAAFAAYABwAIAA==", "AQACAAMABAAFAAYABwAIAA==",
      "child[0] is bus 999, the channel's is 1", { NULL } },
    { "sht3x", "limit", "BA==", "Aw==", /* 4, 3 */
      "limit 4 is past the last limit (3)", { NULL } },
    { "sts3x", "period_ns", "AAAAAAAAAAA=", "gPD6AgAAAAA=", /* 0, 50 ms */
      "period_ns 0 in periodic mode (at least 1)", { "mode", "AQ==" } },
    { "mpu6050", "fifo_head", "AAQ=", "/wM=", /* 1024, 1023 */
      "fifo_head 1024 is past the FIFO's last byte (1023)", { NULL } },
    { "regbank", "bank_sel", "AQ==", "AA==", /* 1 (no banks), 0 */
      "bank_sel 1 is past the last bank (0)", { NULL } },
    { "pca9554", "registers", /* config 0x100; 0xff (8 values) */
      "AAAAAAAAAAEAAAAAAAAAAA==", "AAAAAAAA/wAAAAAAAAAAAA==",
      "registers: config (0x03) holds 0x100, wider than its 8 bits",
      { NULL } },
    { "replay", "actual", /* 128 'A's; "W" */
      "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
      "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
      "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=",
      "VwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "actual: no end within its 128 bytes", { NULL } },
    { "replay", "xfer", "AQAAAA==", "AAAAAA==", /* 1, 0 of no transfers */
      "xfer 1 is past the recording's 0 transfers", { NULL } },
    { "tmp102", "variant", "yA==", "Cw==", /* 200, V_TMP102 */
      "variant 200 is not this part's (11)", { NULL } },
    { "pmbus", "page", "AQ==", "AA==", /* 1, 0 */
      "page 1: out of range (0 to 0)", { NULL } },
    { "isl68137", "page", "Ag==", "/w==", /* 2, 255 (all) */
      "page 2: out of range (0 to 1, or 255)", { NULL } },
    { "adm1272", "transaction", /* one byte in, command 200; command 0 */
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
      "AAAAAAAAAAAAAAAAAAAAAAAAAAEAAADIAA==",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
      "AAAAAAAAAAAAAAAAAAAAAAAAAAEAAAAAAA==",
      "transaction: command 200, nin 1: out of range (a command below 47, "
      "nin at most 35)", { NULL } },
};

static void unsafe_states_are_refused(void **state)
{
    (void)state;
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
        const struct refusal *c = &refusals[i];
        int dev;
        struct i2cemu_board *b = one_device(loop, c->type, &dev);
        unsigned d = (unsigned)dev;
        size_t size = i2cemu_device_state_size(b, d);
        unsigned char *saved = malloc(size);
        memcpy(saved, i2cemu_device_state(b, d), size);
        json_t *snap = ctl_snapshot_take(b);
        json_t *fields = json_object_get(
            json_array_get(json_object_get(snap, "devices"), 0), "fields");
        for (unsigned w = 0; w < 4 && c->with[w]; w += 2)
            json_object_set_new(fields, c->with[w],
                                json_string(c->with[w + 1]));
        json_object_set_new(fields, c->field, json_string(c->bad));

        struct i2cemu_error err = {{0}};
        char msg[sizeof(err.msg)];
        snprintf(msg, sizeof(msg), "%s@%d-%04x: %s", c->type,
                 i2cemu_bus_number(b, i2cemu_device_bus(b, d)),
                 (unsigned)i2cemu_device_addr(b, d), c->msg);
        if (ctl_snapshot_restore(b, snap, &err) != -1 ||
            strcmp(err.msg, msg) != 0)
            fail_msg("%s %s: \"%s\", not \"%s\"", c->type, c->field,
                     err.msg, msg);
        if (memcmp(saved, i2cemu_device_state(b, d), size) != 0)
            fail_msg("%s %s: refused, but changed", c->type, c->field);
        json_object_set_new(fields, c->field, json_string(c->good));
        if (ctl_snapshot_restore(b, snap, &err) != 0)
            fail_msg("%s %s: %s", c->type, c->field, err.msg);
        json_decref(snap);
        free(saved);
        i2cemu_board_free(b);
    }
    i2cemu_loop_free(loop);
}

/* A block's length is how much a block read copies out: the regbank's
 * 256 blocks are one field, too long for the table's strings. */
static void a_regbank_block_over_32_bytes_is_refused(void **state)
{
    (void)state;
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    int dev;
    struct i2cemu_board *b = one_device(loop, "regbank", &dev);
    size_t size = i2cemu_device_state_size(b, (unsigned)dev);
    unsigned char *saved = malloc(size);
    memcpy(saved, i2cemu_device_state(b, (unsigned)dev), size);
    json_t *snap = ctl_snapshot_take(b);
    json_t *fields = json_object_get(
        json_array_get(json_object_get(snap, "devices"), 0), "fields");
    size_t n = 256 * (1 + I2C_SMBUS_BLOCK_MAX);
    unsigned char *blocks = calloc(1, n);
    blocks[5 * (1 + I2C_SMBUS_BLOCK_MAX)] = 33; /* blocks[5].len */
    char *text = ctl_base64_encode(blocks, n);
    json_object_set_new(fields, "blocks", json_string(text));
    free(text);
    struct i2cemu_error err = {{0}};
    assert_int_equal(ctl_snapshot_restore(b, snap, &err), -1);
    assert_string_equal(err.msg, "regbank@1-0003: blocks[5]: length 33 is "
                        "over 32");
    assert_memory_equal(saved, i2cemu_device_state(b, (unsigned)dev), size);
    blocks[5 * (1 + I2C_SMBUS_BLOCK_MAX)] = 32;
    text = ctl_base64_encode(blocks, n);
    json_object_set_new(fields, "blocks", json_string(text));
    free(text);
    assert_int_equal(ctl_snapshot_restore(b, snap, &err), 0);
    free(blocks);
    free(saved);
    json_decref(snap);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
}

/* A property's bytes its kind cannot hold (a bool other than 0 or 1, an
 * enum past its names, a string with no NUL) are refused for every type,
 * by the core, and the device is untouched; its own values are accepted.
 * A snapshot restores runtime and read-only properties; the others are
 * how the device was built, so the enum (a backing file's sync policy) is
 * checked in an image for i2cemu_device_restore(). */
static void a_property_its_kind_cannot_hold_is_refused(void **state)
{
    (void)state;
    static const struct {
        const char *type, *prop, *msg;
        unsigned char bad, good; /* the first byte; a string's every byte */
    } cases[] = {
        { "24c02", "wp", "wp 2 is not a bool (0 or 1)", 2, 1 },
        { "ssd1306", "frame", "frame has no NUL in its 8256 bytes", 'A', 0 },
        { "24c02", "sync", "sync 3 is past its last value (2)", 3, 2 },
    };
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int dev;
        struct i2cemu_board *b = one_device(loop, cases[i].type, &dev);
        unsigned d = (unsigned)dev;
        size_t size = i2cemu_device_state_size(b, d);
        unsigned char *saved = malloc(size), *img = malloc(size);
        memcpy(saved, i2cemu_device_state(b, d), size);
        memcpy(img, saved, size);
        const struct i2cemu_prop *p = i2cemu_device_type_of(b, d)->props;
        while (strcmp(p->name, cases[i].prop) != 0)
            p++;
        unsigned char *v = img + p->offset;
        memset(v, cases[i].bad, p->kind == I2CEMU_PROP_STRING ? p->size : 1);
        struct i2cemu_error err = {{0}};
        char msg[sizeof(err.msg)];

        if (!(p->flags & (I2CEMU_PROP_RUNTIME | I2CEMU_PROP_READONLY))) {
            if (i2cemu_device_check_state(b, d, img, &err) != -1 ||
                strcmp(err.msg, cases[i].msg) != 0)
                fail_msg("%s %s: \"%s\"", cases[i].type, cases[i].prop,
                         err.msg);
            v[0] = cases[i].good;
            assert_int_equal(i2cemu_device_check_state(b, d, img, &err), 0);
        } else {
            json_t *snap = ctl_snapshot_take(b);
            json_t *props = json_object_get(
                json_array_get(json_object_get(snap, "devices"), 0), "props");
            char *text = ctl_base64_encode(v, p->size);
            json_object_set_new(props, p->name, json_string(text));
            free(text);
            snprintf(msg, sizeof(msg), "%s@1-%04x: %s", cases[i].type,
                     (unsigned)i2cemu_device_addr(b, d), cases[i].msg);
            if (ctl_snapshot_restore(b, snap, &err) != -1 ||
                strcmp(err.msg, msg) != 0)
                fail_msg("%s %s: \"%s\", not \"%s\"", cases[i].type,
                         cases[i].prop, err.msg, msg);
            assert_memory_equal(saved, i2cemu_device_state(b, d), size);
            v[0] = cases[i].good;
            text = ctl_base64_encode(v, p->size);
            json_object_set_new(props, p->name, json_string(text));
            free(text);
            if (ctl_snapshot_restore(b, snap, &err) != 0)
                fail_msg("%s %s: %s", cases[i].type, cases[i].prop, err.msg);
            /* A read-only one is the model's to redraw. */
            if (p->flags & I2CEMU_PROP_RUNTIME)
                assert_int_equal(
                    ((unsigned char *)i2cemu_device_state(b, d))[p->offset],
                    cases[i].good);
            json_decref(snap);
        }
        free(img);
        free(saved);
        i2cemu_board_free(b);
    }
    i2cemu_loop_free(loop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base64_known_answers),
        cmocka_unit_test(base64_refuses_what_is_not_canonical),
        cmocka_unit_test(every_type_round_trips_byte_identical),
        cmocka_unit_test_setup_teardown(a_different_board_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_file_round_trips_and_the_ops_use_it,
                                        setup, teardown),
        cmocka_unit_test(restored_eeprom_cells_reach_the_backing_file),
        cmocka_unit_test(unsafe_states_are_refused),
        cmocka_unit_test(a_regbank_block_over_32_bytes_is_refused),
        cmocka_unit_test(a_property_its_kind_cannot_hold_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
