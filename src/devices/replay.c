/* SPDX-License-Identifier: MIT */
/*
 * replay: a device that answers from a recording made by `i2cemu record`
 * (docs/record-replay.md), in one of two modes.
 *
 * strict: the recorded transfers to this device's address, in order,
 * message by message and byte by byte; a transfer that failed fails again
 * with its errno (replay_plan_failures). A request that differs (another
 * direction, another byte written, a message too many or too few) is
 * NACKed, said once on stderr with the expected and the actual request,
 * counted, and kept in `last_mismatch`; the `mismatch` line goes high.
 * The mismatched transfer uses up the recorded one.
 *
 * register: the recording folded into a register image with an 8-bit
 * auto-incrementing pointer (a write's first byte; the bytes after it
 * are written, reads read on), as i2cdump would have seen it, so any
 * access order works.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <i2cemu/board.h>

#include "devices.h"
#include "devices/replay.h"

enum { MODE_STRICT, MODE_REGISTER };

struct replay_state {
    /* Properties. */
    char file[256];
    uint8_t mode;
    int32_t recorded_bus; /* -1: the device's own */
    uint32_t replayed, mismatches;
    char last_mismatch[256];
    /* Strict: where the replay is. */
    uint32_t xfer, msg, byte;
    bool in_xfer, mismatched;
    char actual[128]; /* the request so far in this transfer */
    /* Register. */
    uint8_t pointer;
    bool have_pointer;
    uint8_t image[256];
};

struct replay_priv {
    struct replay_rec rec;
    char name[48]; /* replay@1-0050 */
};

static const struct replay_msg *cur_msg(const struct replay_priv *pv,
                                        const struct replay_state *s)
{
    const struct replay_xfer *x = &pv->rec.xfers[s->xfer];
    return s->msg < x->nmsgs ? &pv->rec.msgs[x->first + s->msg] : NULL;
}

__attribute__((format(printf, 3, 4)))
static void append(char *buf, size_t size, const char *fmt, ...)
{
    size_t n = strlen(buf);
    va_list ap;

    va_start(ap, fmt);
    if (n + 1 < size)
        vsnprintf(buf + n, size - n, fmt, ap);
    va_end(ap);
}

/* A transfer as docs/record-replay.md writes requests: "W 10, R 1". */
static void describe(const struct replay_priv *pv, unsigned xfer, char *out,
                     size_t size)
{
    const struct replay_xfer *x = &pv->rec.xfers[xfer];

    *out = '\0';
    for (unsigned i = 0; i < x->nmsgs; i++) {
        const struct replay_msg *m = &pv->rec.msgs[x->first + i];
        append(out, size, "%s", i ? ", " : "");
        if (m->read) {
            append(out, size, "R %u", m->len);
            continue;
        }
        append(out, size, "W");
        for (unsigned b = 0; b < m->len && b < 16; b++)
            append(out, size, " %02x", pv->rec.bytes[m->off + b]);
        if (m->len > 16)
            append(out, size, " ...");
    }
}

static void mismatch(struct i2cemu_dev *d, const char *why)
{
    struct replay_state *s = d->state;
    const struct replay_priv *pv = d->priv;
    char expected[96] = "nothing: the recording has ended", msg[640];
    char where[32];
    size_t n;

    if (s->mismatched)
        return;
    s->mismatched = true;
    s->mismatches++;
    if (s->xfer < pv->rec.nxfers) {
        expected[0] = '\0';
        describe(pv, s->xfer, expected, sizeof(expected));
    }
    if (s->xfer < pv->rec.nxfers)
        snprintf(where, sizeof(where), "line %u", pv->rec.xfers[s->xfer].line);
    else
        snprintf(where, sizeof(where), "past its end");
    snprintf(msg, sizeof(msg),
             "transfer %u (%s %s): expected \"%s\", got \"%s\": %s",
             s->xfer + 1, s->file, where, expected, s->actual, why);
    fprintf(stderr, "i2cemu: %s: mismatch in %s\n", pv->name, msg);
    n = strnlen(msg, sizeof(s->last_mismatch) - 1);
    memcpy(s->last_mismatch, msg, n);
    s->last_mismatch[n] = '\0';
    i2cemu_dev_line_set(d, 0, true);
}

/* ---- strict ---------------------------------------------------------- */

/* The transfer is over for this device: on to the next recorded one. */
static void end_xfer(struct replay_state *s, const struct replay_priv *pv)
{
    if (!s->mismatched)
        s->replayed++;
    if (s->xfer < pv->rec.nxfers)
        s->xfer++;
    s->in_xfer = false;
    s->mismatched = false;
}

/* Whether the replay is where the current transfer failed, and how. */
static bool at_fail(const struct replay_priv *pv, const struct replay_state *s,
                    enum replay_fail how)
{
    const struct replay_xfer *x = &pv->rec.xfers[s->xfer];

    return x->fail == how && s->msg == x->fail_msg && s->byte == x->fail_byte;
}

/* Whether this START gets an ACK. */
static bool strict_addressed(struct i2cemu_dev *d, bool read)
{
    struct replay_state *s = d->state;
    const struct replay_priv *pv = d->priv;
    const struct replay_msg *m;

    if (s->mismatched)
        return false;
    if (!s->in_xfer) {
        s->in_xfer = true;
        s->msg = 0;
        s->actual[0] = '\0';
    } else if ((m = cur_msg(pv, s)) && s->byte != m->len) {
        append(s->actual, sizeof(s->actual), ", %s", read ? "R" : "W");
        mismatch(d, "a message ended early");
        return false;
    } else {
        s->msg++;
    }
    append(s->actual, sizeof(s->actual), "%s%s", s->msg ? ", " : "",
           read ? "R" : "W");
    s->byte = 0;
    if (s->xfer >= pv->rec.nxfers) {
        mismatch(d, "no more transfers");
        return false;
    }
    if (!(m = cur_msg(pv, s))) {
        mismatch(d, "a message too many");
        return false;
    }
    if (m->read != read) {
        mismatch(d, "another direction");
        return false;
    }
    /* A transfer recorded as an address NACK fails here at its start. */
    return !at_fail(pv, s, REPLAY_FAIL_ADDR_NACK);
}

static enum i2cemu_result strict_start(struct i2cemu_dev *d, bool read)
{
    struct replay_state *s = d->state;

    if (strict_addressed(d, read))
        return I2CEMU_ACK;
    /* NACKed at its first START, the device is no part of the transfer
     * and sees no STOP: it ends here. */
    if (s->in_xfer && s->msg == 0)
        end_xfer(s, d->priv);
    return I2CEMU_NACK;
}

static enum i2cemu_result strict_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct replay_state *s = d->state;
    const struct replay_priv *pv = d->priv;
    const struct replay_msg *m;

    append(s->actual, sizeof(s->actual), " %02x", byte);
    if (s->mismatched || !s->in_xfer || s->xfer >= pv->rec.nxfers ||
        !(m = cur_msg(pv, s)))
        return I2CEMU_NACK;
    if (s->byte >= m->len) {
        mismatch(d, "a byte too many");
        return I2CEMU_NACK;
    }
    if (pv->rec.bytes[m->off + s->byte] != byte) {
        mismatch(d, "another byte");
        return I2CEMU_NACK;
    }
    if (at_fail(pv, s, REPLAY_FAIL_DATA_NACK))
        return I2CEMU_NACK; /* as recorded (EIO): the byte is not taken */
    s->byte++;
    return I2CEMU_ACK;
}

static uint8_t strict_recv(struct i2cemu_dev *d)
{
    struct replay_state *s = d->state;
    const struct replay_priv *pv = d->priv;
    const struct replay_msg *m;

    if (s->mismatched || !s->in_xfer || s->xfer >= pv->rec.nxfers ||
        !(m = cur_msg(pv, s)))
        return 0xFF;
    if (s->byte >= m->len) {
        mismatch(d, "a byte too many read");
        return 0xFF;
    }
    if (at_fail(pv, s, REPLAY_FAIL_COUNT)) {
        s->byte++;
        return 0; /* a block count out of range: EPROTO, as recorded */
    }
    /* The count of bytes read so far, rewritten as it grows. */
    char *r = strrchr(s->actual, 'R');
    if (r)
        snprintf(r, sizeof(s->actual) - (size_t)(r - s->actual), "R %u",
                 s->byte + 1);
    return pv->rec.bytes[m->off + s->byte++];
}

static void strict_finish(struct i2cemu_dev *d)
{
    struct replay_state *s = d->state;
    const struct replay_priv *pv = d->priv;
    const struct replay_msg *m;

    if (!s->in_xfer)
        return;
    if (!s->mismatched && s->xfer < pv->rec.nxfers &&
        !pv->rec.xfers[s->xfer].err &&
        (s->msg + 1 != pv->rec.xfers[s->xfer].nmsgs ||
         !(m = cur_msg(pv, s)) || s->byte != m->len))
        mismatch(d, "the transfer ended early");
    end_xfer(s, pv);
}

/* ---- register --------------------------------------------------------- */

/* Every byte the recording shows at a register, in order: the image. */
static void fold(struct replay_state *s, const struct replay_rec *rec)
{
    uint8_t ptr = 0;

    for (unsigned i = 0; i < rec->nxfers; i++) {
        const struct replay_xfer *x = &rec->xfers[i];
        for (unsigned j = 0; j < x->nmsgs && !x->err; j++) {
            const struct replay_msg *m = &rec->msgs[x->first + j];
            const uint8_t *b = rec->bytes + m->off;
            unsigned len = m->len - (m->pec ? 1u : 0u), k = 0;
            if (!m->read && len)
                ptr = b[k++];
            for (; k < len; k++)
                s->image[ptr++] = b[k];
        }
    }
}

/* ---- the type ------------------------------------------------------------ */

static enum i2cemu_result replay_event(struct i2cemu_dev *d,
                                       enum i2cemu_event ev)
{
    struct replay_state *s = d->state;
    bool start = ev == I2CEMU_EV_START_SEND || ev == I2CEMU_EV_START_RECV;

    if (s->mode == MODE_REGISTER) {
        s->have_pointer = s->have_pointer && !start;
        return I2CEMU_ACK;
    }
    if (start)
        return strict_start(d, ev == I2CEMU_EV_START_RECV);
    if (ev == I2CEMU_EV_FINISH)
        strict_finish(d);
    return I2CEMU_ACK;
}

static enum i2cemu_result replay_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct replay_state *s = d->state;

    if (s->mode == MODE_STRICT)
        return strict_send(d, byte);
    if (s->have_pointer)
        s->image[s->pointer++] = byte;
    else
        s->pointer = byte;
    s->have_pointer = true;
    return I2CEMU_ACK;
}

/* Written bytes come here, so that a transfer recorded as ETIMEDOUT can
 * hold SCL at its byte until the master gives up at its timeout. */
static void replay_send_async(struct i2cemu_dev *d, uint8_t byte)
{
    struct replay_state *s = d->state;
    const struct replay_priv *pv = d->priv;
    bool hold = s->mode == MODE_STRICT && s->in_xfer && !s->mismatched &&
                s->xfer < pv->rec.nxfers &&
                at_fail(pv, s, REPLAY_FAIL_STRETCH);
    enum i2cemu_result r = replay_send(d, byte);

    if (!hold || r != I2CEMU_ACK)
        i2cemu_dev_ack(d, r);
}

static uint8_t replay_recv(struct i2cemu_dev *d)
{
    struct replay_state *s = d->state;

    return s->mode == MODE_STRICT ? strict_recv(d) : s->image[s->pointer++];
}

/* The whole file, or NULL with err set. */
static char *slurp(const char *path, size_t *len, struct i2cemu_error *err)
{
    FILE *f = fopen(path, "re");
    char *text;

    if (!f) {
        i2cemu_error_set(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    text = malloc(REPLAY_MAX_FILE + 1);
    *len = text ? fread(text, 1, REPLAY_MAX_FILE + 1, f) : 0;
    if (!text || ferror(f) || *len > REPLAY_MAX_FILE) {
        i2cemu_error_set(err, "%s: %s", path,
                         !text       ? "out of memory"
                         : ferror(f) ? "cannot be read"
                                     : "larger than 64 MiB");
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

/* The request so far is appended to with strlen() in a transfer in
 * progress: it must hold its NUL. The transfer reached indexes the
 * recording, which only the device knows. */
static int replay_state_check(struct i2cemu_dev *d, const void *state,
                              struct i2cemu_error *err)
{
    const struct replay_state *s = state;
    const struct replay_priv *pv = d->priv;
    if (s->xfer > pv->rec.nxfers || (s->in_xfer && s->xfer == pv->rec.nxfers)) {
        i2cemu_error_set(err, "xfer %u is past the recording's %u transfers",
                         s->xfer, pv->rec.nxfers);
        return -1;
    }
    if (!memchr(s->actual, '\0', sizeof(s->actual))) {
        i2cemu_error_set(err, "actual: no end within its %zu bytes",
                         sizeof(s->actual));
        return -1;
    }
    return 0;
}

static int replay_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct replay_state *s = d->state;
    struct replay_priv *pv = calloc(1, sizeof(*pv));
    unsigned bus = i2cemu_device_bus(d->board, d->index);
    uint16_t addr = i2cemu_dev_addr(d);
    int number = i2cemu_bus_number(d->board, bus);
    int from = s->recorded_bus >= 0 ? s->recorded_bus : number;
    char *text = NULL;
    size_t len = 0;
    int ret = -1;

    if (!pv) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    snprintf(pv->name, sizeof(pv->name), "replay@%d-%04x", number, addr);
    memset(s->image, 0xFF, sizeof(s->image));
    if (!s->file[0]) { /* an empty recording */
        d->priv = pv;
        return 0;
    }
    if (!(text = slurp(s->file, &len, err)) ||
        replay_parse(text, len, s->file, from, addr, addr > 0x7F, &pv->rec,
                     err) < 0)
        goto out;
    if (!pv->rec.nxfers) {
        i2cemu_error_set(err, "%s: no transfer to 0x%02x on i2c-%d",
                         s->file, addr, from);
        goto out;
    }
    if (s->mode == MODE_REGISTER)
        fold(s, &pv->rec);
    else if (replay_plan_failures(&pv->rec, s->file, number, addr,
                                  i2cemu_bus_nack_errno(d->board, bus),
                                  err) < 0)
        goto out;
    d->priv = pv;
    ret = 0;
out:
    free(text);
    if (ret < 0) {
        replay_rec_fini(&pv->rec);
        free(pv);
    }
    return ret;
}

static void replay_unrealize(struct i2cemu_dev *d)
{
    struct replay_priv *pv = d->priv;

    if (pv)
        replay_rec_fini(&pv->rec);
    free(pv);
}

static const char *const modes[] = { "strict", "register", NULL };
static const char *const lines[] = { "mismatch", NULL };

static const struct i2cemu_prop replay_props[] = {
    I2CEMU_PROP_STRING_("file", struct replay_state, file, "", 0,
                        "the recording (i2cemu record -o FILE)"),
    I2CEMU_PROP_ENUM_("mode", struct replay_state, mode, MODE_STRICT, modes,
                      0, "strict: the recorded transfers in order; "
                      "register: a register image of them"),
    I2CEMU_PROP_INT_("recorded_bus", struct replay_state, recorded_bus, -1,
                     -1, 0xFFFFF, 0, "replay the transfers of i2c-N of the "
                     "recording (-1: the device's own bus number)"),
    I2CEMU_PROP_UINT_("replayed", struct replay_state, replayed, 0, 0,
                      UINT32_MAX, I2CEMU_PROP_READONLY,
                      "strict: transfers answered as recorded"),
    I2CEMU_PROP_UINT_("mismatches", struct replay_state, mismatches, 0, 0,
                      UINT32_MAX, I2CEMU_PROP_READONLY,
                      "strict: transfers that differed from the recording"),
    I2CEMU_PROP_STRING_("last_mismatch", struct replay_state, last_mismatch,
                        "", I2CEMU_PROP_READONLY,
                        "strict: the last one, expected and actual"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field replay_fields[] = {
    I2CEMU_FIELD("xfer", struct replay_state, xfer, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("msg", struct replay_state, msg, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("byte", struct replay_state, byte, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("in_xfer", struct replay_state, in_xfer,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("mismatched", struct replay_state, mismatched,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("actual", struct replay_state, actual, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("pointer", struct replay_state, pointer,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("have_pointer", struct replay_state, have_pointer,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("image", struct replay_state, image, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};

static const char replay_doc[] =
    "Source: `src/devices/replay.c`. Answers from a recording that\n"
    "`i2cemu record` made of a real device (or an emulated one), the\n"
    "transfers to its own address on its bus number (`recorded_bus=N`\n"
    "takes another bus's). See [record-replay.md](record-replay.md).\n"
    "\n"
    "* `mode=strict` answers the recorded transfers in order. A transfer\n"
    "  that differs is NACKed where it differs, said on stderr\n"
    "  (`i2cemu: replay@1-0050: mismatch in transfer 3 (rec.txt line 4):\n"
    "  expected \"W 10, R 1\", got \"W 11\": another byte`), counted in\n"
    "  `mismatches`, kept in `last_mismatch`, and raises the `mismatch`\n"
    "  line; it uses up the recorded transfer. A transfer that failed when\n"
    "  recorded fails again with its errno, by what the device does: the\n"
    "  bus's address-NACK errno (`ENXIO`) by NACKing its address, `EIO`\n"
    "  by NACKing the first byte written to it, `ETIMEDOUT` by stretching\n"
    "  that byte past the adapter's timeout, `EPROTO` by a block read's\n"
    "  count of 0. Any other errno is refused at load with `FILE:LINE`.\n"
    "* `mode=register` folds the recording into 256 registers behind an\n"
    "  8-bit auto-incrementing pointer, as i2cdump sees a chip: any access\n"
    "  order works; writes are kept; registers never seen read 0xff.\n"
    "* A recording that does not parse, or holds no transfer to the\n"
    "  device, refuses the device with `FILE:LINE: what is wrong`.\n"
    "  Without `file=` the recording is empty: strict mode NACKs every\n"
    "  transfer as a mismatch, register mode reads 0xff.\n";

const struct i2cemu_device_type i2cemu_replay = {
    .name = "replay",
    .help = "answers from a recording of i2cemu record",
    .doc = replay_doc,
    .props = replay_props,
    .fields = replay_fields,
    .state_size = sizeof(struct replay_state),
    .lines = lines,
    .realize = replay_realize,
    .state_check = replay_state_check,
    .unrealize = replay_unrealize,
    .event = replay_event,
    .send_async = replay_send_async,
    .recv = replay_recv,
    .flags = I2CEMU_TYPE_TENBIT,
};
