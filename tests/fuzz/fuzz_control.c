/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the control requests (src/control/request.c and
 * the op files): the input is up to 32 lines, each handled by
 * ctl_request() on one fresh board (tmp102, lm75, 24c02, regbank on bus 1;
 * a regbank on stub bus 3).
 *
 * Invariants: every request gets exactly one reply (or, for a pending
 * wait, none now and one by its deadline), a JSON object with a boolean
 * "ok", a non-empty "error" string when false, that serialises to one
 * line; a request that fails, or any op but those that change the board
 * (set, add, del, reset, snapshot), leaves every byte of the board arena
 * as it was; no leak or memory error. A snapshot request's "file" is
 * replaced by a scratch file of the harness's own, so the fuzzer never
 * writes or reads anywhere else.
 *
 * An input whose first byte is 0x02 is a snapshot document instead
 * (src/control/snapshot.c), restored over the board: a refused one leaves
 * every byte of the arena as it was.
 *
 * An input whose first byte is 0x01 goes through the control socket
 * instead (src/control/server.c): the rest is written by one client, in
 * chunks between loop iterations, then the client shuts down its side;
 * every reply must be one JSON object with a boolean "ok" on one line,
 * and there are never more replies than requests. An input with a
 * snapshot request is skipped there (its file could be anywhere).
 */
#include <errno.h>
#include <jansson.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "control/control.h"
#include "control/request.h"
#include "control/snapshot.h"

static void check_reply(const json_t *r, const char *line)
{
    const json_t *ok = json_object_get(r, "ok");
    size_t len;
    char *s;

    FUZZ_CHECK(json_is_object(r) && json_is_boolean(ok), "reply to '%s'",
               line);
    if (json_is_false(ok)) {
        const char *e = json_string_value(json_object_get(r, "error"));
        FUZZ_CHECK(e && *e, "error reply without a message to '%s'", line);
    }
    s = ctl_reply_line(r, &len);
    if (s) { /* NULL only when out of memory */
        FUZZ_CHECK(len >= 2 && s[len - 1] == '\n' &&
                       !memchr(s, '\n', len - 1) && strlen(s) == len,
                   "reply is not one line: %s", s);
        free(s);
    }
}

/* The op of a request line, if it is one that may change the board. */
static bool changes_board(const char *line, size_t len)
{
    static const char *const ops[] = { "set", "add", "del", "reset",
                                       "snapshot" };
    json_t *j = json_loadb(line, len, JSON_DECODE_ANY, NULL);
    const char *op = json_string_value(json_object_get(j, "op"));
    bool changes = false;

    for (size_t i = 0; op && i < sizeof(ops) / sizeof(ops[0]); i++)
        changes = changes || strcmp(op, ops[i]) == 0;
    json_decref(j);
    return changes;
}

static char scratch[64]; /* the harness's snapshot file */

/* The request with a snapshot's "file" pointed at the scratch file; NULL
 * for a line that is not a snapshot request (sent as it is). */
static char *confined(const char *line, size_t len)
{
    json_t *j = json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
                           NULL);
    const char *op = json_string_value(json_object_get(j, "op"));
    char *out = NULL;

    if (op && strcmp(op, "snapshot") == 0) {
        if (json_object_get(j, "file"))
            json_object_set_new(j, "file", json_string(scratch));
        out = json_dumps(j, JSON_COMPACT);
    }
    json_decref(j);
    return out;
}

/* Does any line of the input ask for a snapshot? */
static bool asks_snapshot(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    bool found = false;

    while (p < end && !found) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char *c = confined(p, len);
        found = c != NULL;
        free(c);
        p += len + 1;
    }
    return found;
}

static void restore(struct i2cemu_board *b, const uint8_t *data, size_t size)
{
    json_t *snap = json_loadb((const char *)data, size,
                              JSON_REJECT_DUPLICATES, NULL);
    size_t asize, asize2;
    const void *arena = i2cemu_board_arena(b, &asize);
    void *before = malloc(asize);
    struct i2cemu_error err;

    if (snap && before) {
        memcpy(before, arena, asize);
        if (ctl_snapshot_restore(b, snap, &err) < 0) {
            arena = i2cemu_board_arena(b, &asize2);
            FUZZ_CHECK(asize2 == asize && memcmp(before, arena, asize) == 0,
                       "a refused snapshot changed the board: %s", err.msg);
        }
    }
    free(before);
    json_decref(snap);
}

static bool build(struct i2cemu_board *b)
{
    static const char *const devs[] = {
        "tmp102,addr=0x48", "lm75,addr=0x49", "24c02,addr=0x50",
        "regbank,addr=0x52",
    };
    struct i2cemu_error err;

    if (i2cemu_bus_add_spec(b, "1", &err) < 0 ||
        i2cemu_bus_add_spec(b, "3 profile=stub", &err) < 0 ||
        i2cemu_device_add(b, "regbank,addr=0x10,bus=3", &err) < 0)
        return false;
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
        if (i2cemu_device_add(b, devs[i], &err) < 0)
            return false;
    return true;
}

static void quit_cb(void *opaque)
{
    *(bool *)opaque = true;
}

/* Check the complete reply lines in buf[0..*len); keep the rest. */
static void check_lines(char *buf, size_t *len, unsigned *replies)
{
    char *p = buf, *nl;

    while ((nl = memchr(p, '\n', *len - (size_t)(p - buf)))) {
        json_t *r = json_loadb(p, (size_t)(nl - p), 0, NULL);
        FUZZ_CHECK(r, "a reply line is not JSON: %.*s", (int)(nl - p), p);
        check_reply(r, "(over the socket)");
        json_decref(r);
        (*replies)++;
        p = nl + 1;
    }
    *len -= (size_t)(p - buf);
    memmove(buf, p, *len);
}

static void over_socket(struct i2cemu_board *b, const uint8_t *data,
                        size_t size)
{
    struct i2cemu_loop *loop = i2cemu_board_loop(b);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct i2cemu_error err;
    struct ctl_server *s;
    static char buf[1 << 17];
    size_t got = 0, off = 0;
    unsigned replies = 0, lines = 1;
    bool quit = false, eof = false;
    int fd;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/i2cemu-fuzz-ctl-%d",
             (int)getpid());
    unlink(sa.sun_path);
    s = ctl_server_new(b, sa.sun_path, quit_cb, &quit, &err);
    FUZZ_CHECK(s, "ctl_server_new: %s", err.msg);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    FUZZ_CHECK(fd >= 0 && connect(fd, (struct sockaddr *)&sa,
                                  sizeof(sa)) == 0, "connect");
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    for (unsigned turn = 0; turn < 4096 && !eof; turn++) {
        if (off < size) {
            size_t n = size - off < 97 ? size - off : 97;
            ssize_t w = send(fd, data + off, n, MSG_NOSIGNAL);
            if (w > 0)
                off += (size_t)w;
            else if (w < 0 && errno != EAGAIN)
                off = size; /* the server dropped us */
            if (off == size)
                shutdown(fd, SHUT_WR);
        }
        i2cemu_loop_run_once(loop, false);
        for (;;) {
            ssize_t n = recv(fd, buf + got, sizeof(buf) - got, 0);
            if (n <= 0) {
                eof = n == 0 || (errno != EAGAIN && errno != EINTR);
                break;
            }
            got += (size_t)n;
            check_lines(buf, &got, &replies);
            FUZZ_CHECK(got < sizeof(buf), "a reply line over 128 KiB");
        }
        if (quit)
            break;
    }
    FUZZ_CHECK(replies <= lines, "%u replies to %u requests", replies, lines);
    close(fd);
    ctl_server_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    struct i2cemu_board *b = loop ? i2cemu_board_new(loop) : NULL;
    const char *p = (const char *)data, *end = p + size;

    if (!b || !build(b))
        goto out;
    if (size && data[0] == 0x01) {
        if (!asks_snapshot(data + 1, size - 1))
            over_socket(b, data + 1, size - 1);
        goto out;
    }
    if (size && data[0] == 0x02) {
        restore(b, data + 1, size - 1);
        goto out;
    }
    snprintf(scratch, sizeof(scratch), "/tmp/i2cemu-fuzz-snap-%d.json",
             (int)getpid());

    for (unsigned n = 0; n < 32 && p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char *line = strndup(p, len); /* for messages only */
        size_t asize;
        const void *arena = i2cemu_board_arena(b, &asize);
        void *before = malloc(asize);
        struct ctl_wait wait;
        json_t *reply;
        enum ctl_outcome o;

        if (!line || !before) {
            free(line);
            free(before);
            break;
        }
        memcpy(before, arena, asize);
        char *req = confined(p, len);
        o = ctl_request(b, req ? req : p, req ? strlen(req) : len, 1000,
                        &reply, &wait);
        free(req);
        if (o == CTL_WAIT && wait.removal) {
            /* A del waits only while a transfer holds the bus: never
             * here, where no transfer runs. */
            FUZZ_CHECK(0, "'%s' left a removal pending", line);
        } else if (o == CTL_WAIT) {
            FUZZ_CHECK(!reply && wait.prop, "wait without a pending wait");
            /* By its deadline a wait is answered, one way or the other. */
            json_t *r = ctl_wait_poll(b, &wait, 1000 + wait.deadline_ns);
            FUZZ_CHECK(!wait.has_deadline || r, "wait past its deadline");
            if (r)
                check_reply(r, line);
            json_decref(r);
            ctl_wait_clear(&wait);
        } else {
            FUZZ_CHECK(!wait.prop, "a wait left pending with a reply");
            if (reply) /* NULL only when out of memory */
                check_reply(reply, line);
        }
        size_t asize2;
        arena = i2cemu_board_arena(b, &asize2);
        if (!changes_board(p, len) ||
            !json_is_true(json_object_get(reply, "ok")))
            FUZZ_CHECK(asize2 == asize && memcmp(before, arena, asize) == 0,
                       "'%s' changed the board", line);
        json_decref(reply);
        free(before);
        free(line);
        p += len + (nl ? 1 : 0);
    }
out:
    if (scratch[0])
        unlink(scratch);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
    return 0;
}
