/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the replay type's recording parser
 * (src/devices/replay_parse.c): the input is a recording's body (the
 * header is put in front, unless the input starts with '#' and so
 * brings its own), parsed for the device at 0x50 on i2c-1.
 *
 * Invariants: success with every message inside the parsed bytes and the
 * transfers in line order, or failure with "NAME:LINE: why" or a message
 * naming the file; no leak or memory error. Then the plan for strict mode
 * (replay_plan_failures, the bus's NACK errno ENXIO): each failed transfer
 * fails at a place that can fail so (an address, a written byte, a block
 * read's count byte), or the plan is refused with "NAME:LINE: why".
 */
#include <errno.h>

#include "fuzz_common.h"

#include "devices/replay.h"

/* Every failed transfer fails again where it can, as its errno says. */
static void check_plan(const struct replay_rec *rec)
{
    for (unsigned i = 0; i < rec->nxfers; i++) {
        const struct replay_xfer *x = &rec->xfers[i];
        const struct replay_msg *m = &rec->msgs[x->first + x->fail_msg];
        FUZZ_CHECK(!x->err == (x->fail == REPLAY_FAIL_NONE),
                   "transfer %u: errno %d, fail %u", i, x->err, x->fail);
        FUZZ_CHECK(x->fail_msg < x->nmsgs && x->fail_byte == 0,
                   "transfer %u fails at %u.%u", i, x->fail_msg,
                   x->fail_byte);
        switch (x->fail) {
        case REPLAY_FAIL_ADDR_NACK:
            FUZZ_CHECK(x->err == ENXIO && x->fail_msg == 0,
                       "transfer %u: address NACK", i);
            break;
        case REPLAY_FAIL_DATA_NACK:
        case REPLAY_FAIL_STRETCH:
            FUZZ_CHECK(!m->read && m->len, "transfer %u: no byte written", i);
            break;
        case REPLAY_FAIL_COUNT:
            FUZZ_CHECK(m->read && m->recv_len && m->len,
                       "transfer %u: no block read", i);
            break;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char header[] = "# i2cemu-recording 1\n";
    struct replay_rec rec;
    struct i2cemu_error err = { "" };
    bool raw = size && data[0] == '#';
    size_t len = size + (raw ? 0 : sizeof(header) - 1);
    char *text;

    if (size > 65536)
        return -1;
    text = malloc(len ? len : 1);
    FUZZ_CHECK(text, "malloc");
    if (!raw)
        memcpy(text, header, sizeof(header) - 1);
    if (size)
        memcpy(text + len - size, data, size);

    if (replay_parse(text, len, "fuzz", 1, 0x50, false, &rec, &err) < 0) {
        FUZZ_CHECK(strncmp(err.msg, "fuzz:", 5) == 0 ||
                   strcmp(err.msg, "out of memory") == 0,
                   "error without the file: %s", err.msg);
        FUZZ_CHECK(rec.nxfers == 0 && !rec.msgs && !rec.bytes,
                   "a failed parse left a recording");
    } else {
        unsigned line = 0, msgs = 0;
        for (unsigned i = 0; i < rec.nxfers; i++) {
            const struct replay_xfer *x = &rec.xfers[i];
            FUZZ_CHECK(x->line > line, "transfer %u out of order", i);
            FUZZ_CHECK(x->nmsgs > 0 && x->first == msgs,
                       "transfer %u: messages %u+%u", i, x->first, x->nmsgs);
            line = x->line;
            msgs += x->nmsgs;
        }
        FUZZ_CHECK(msgs == rec.nmsgs, "%u messages, %u counted", rec.nmsgs,
                   msgs);
        for (unsigned i = 0; i < rec.nmsgs; i++)
            FUZZ_CHECK(rec.msgs[i].off + rec.msgs[i].len <= rec.nbytes,
                       "message %u past the bytes", i);
        if (replay_plan_failures(&rec, "fuzz", 1, 0x50, ENXIO, &err) < 0)
            FUZZ_CHECK(strncmp(err.msg, "fuzz:", 5) == 0,
                       "plan error without the file: %s", err.msg);
        else
            check_plan(&rec);
    }
    replay_rec_fini(&rec);
    free(text);
    return 0;
}
