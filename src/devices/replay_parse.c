/* SPDX-License-Identifier: MIT */
/*
 * Reading a recording (docs/record-replay.md) into the messages one
 * device saw. An SMBus call becomes the messages the kernel's SMBus
 * emulation puts on the wire (i2cdev/smbus_emul.c does exactly that),
 * with the PEC byte a device would have sent. Then, for strict mode, how
 * each transfer that failed is made to fail again with its errno.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/replay.h"
#include "i2cdev/i2cdev_priv.h"
#include "i2cdev/pec.h"
#include "i2cdev/smbus_emul.h"
#include "frontends/record/smbus_sizes.h"

#define MAX_TOKENS (I2C_RDWR_IOCTL_MAX_MSGS + 8)

struct parser {
    struct replay_rec *rec;
    int bus;
    uint16_t addr;
    bool tenbit;
    bool first_ours; /* the line's first message is this device's */
    size_t bytes_cap;
    char *why; /* what is wrong with the line */
    size_t whylen;
};

/* Say what is wrong with the line; -1. */
__attribute__((format(printf, 2, 3)))
static int bad(struct parser *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(p->why, p->whylen, fmt, ap);
    va_end(ap);
    return -1;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Hex pairs of s (or "-": none) into out (room for max); the count, or
 * -1 with the reason. */
static int hex_bytes(struct parser *p, const char *s, uint8_t *out,
                     size_t max, const char *what)
{
    size_t n = strlen(s);

    if (strcmp(s, "-") == 0)
        return 0;
    if (n % 2 || n / 2 > max)
        return bad(p, "%s: expected pairs of hex digits (at most %zu "
                   "bytes), not \"%.40s\"", what, max, s);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return bad(p, "%s: \"%.40s\" is not hex", what, s);
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return (int)(n / 2);
}

/* ADDR:DIR[FLAGS]: the address, I2C_M_* flags and what follows. */
static const char *addr_flags(struct parser *p, const char *s, uint16_t *addr,
                              uint16_t *flags, const char *letters)
{
    char *end;
    unsigned long a = strtoul(s, &end, 16);

    if (end == s || *end != ':' || a > 0x3FF || hexval(*s) < 0) {
        bad(p, "\"%.40s\": expected ADDR:r or ADDR:w", s);
        return NULL;
    }
    *addr = (uint16_t)a;
    *flags = 0;
    if (end[1] != 'r' && end[1] != 'w') {
        bad(p, "\"%.40s\": expected r or w after the address", s);
        return NULL;
    }
    *flags = end[1] == 'r' ? I2C_M_RD : 0;
    for (s = end + 2; *s && *s != ':'; s++) {
        static const char all[] = "tlp";
        static const uint16_t bits[] = { I2C_M_TEN, I2C_M_RECV_LEN,
                                         I2CDEV_CLIENT_PEC };
        if (!strchr(letters, *s)) {
            bad(p, "flag '%c' cannot be replayed here (only %s)", *s,
                letters);
            return NULL;
        }
        *flags |= bits[strchr(all, *s) - all];
    }
    if (!(*flags & I2C_M_TEN) && a > 0x7F) {
        bad(p, "address %lx needs the t (ten-bit) flag", a);
        return NULL;
    }
    return s;
}

static bool ours(const struct parser *p, uint16_t addr, uint16_t flags)
{
    return addr == p->addr && !(flags & I2C_M_TEN) == !p->tenbit;
}

/* Room for one more transfer, message, or n bytes. */
static int grow(void **v, size_t n, size_t size)
{
    void *q = (n & (n - 1)) == 0 ? realloc(*v, (n ? 2 * n : 1) * size) : *v;

    if (!q)
        return -1;
    *v = q;
    return 0;
}

static int add_msg(struct parser *p, bool read, bool known, bool pec,
                   bool recv_len, const uint8_t *data, uint16_t len)
{
    struct replay_rec *r = p->rec;

    if (r->nbytes + len > p->bytes_cap) {
        size_t cap = 2 * (r->nbytes + len);
        uint8_t *b = realloc(r->bytes, cap);
        if (!b)
            return bad(p, "out of memory");
        r->bytes = b;
        p->bytes_cap = cap;
    }
    if (grow((void **)&r->msgs, r->nmsgs, sizeof(*r->msgs)) < 0)
        return bad(p, "out of memory");
    r->msgs[r->nmsgs++] = (struct replay_msg){
        .read = read, .known = known, .pec = pec, .recv_len = recv_len,
        .len = len, .off = r->nbytes };
    if (read && !known && len) /* r->bytes is NULL until a byte comes */
        memset(r->bytes + r->nbytes, 0xFF, len); /* SDA left high */
    else if (data && len)
        memcpy(r->bytes + r->nbytes, data, len);
    r->nbytes += len;
    r->xfers[r->nxfers - 1].nmsgs++;
    return 0;
}

/* I2C_RDWR, read() or write(): one message per token. */
static int messages(struct parser *p, char **tok, unsigned n, bool failed,
                    long result, int kind)
{
    uint8_t buf[8192];

    if (kind && n != 1)
        return bad(p, "%s takes one message", kind > 0 ? "read" : "write");
    if (n == 0 || n > I2C_RDWR_IOCTL_MAX_MSGS)
        return bad(p, "expected 1 to %d messages", I2C_RDWR_IOCTL_MAX_MSGS);
    if (!failed && !kind && result != (long)n)
        return bad(p, "%u messages, but the result is %ld", n, result);
    for (unsigned i = 0; i < n; i++) {
        uint16_t addr, flags;
        const char *data = addr_flags(p, tok[i], &addr, &flags, "tl");
        bool rd;
        int len;
        char *end;

        if (!data)
            return -1;
        rd = flags & I2C_M_RD;
        if (*data != ':')
            return bad(p, "\"%.40s\": expected ADDR:DIR:DATA", tok[i]);
        data++;
        if (kind && rd != (kind > 0))
            return bad(p, "\"%.40s\": a %s is a %s message", tok[i],
                       kind > 0 ? "read" : "write",
                       kind > 0 ? "read (r)" : "write (w)");
        if (*data == '?') {
            unsigned long l = strtoul(data + 1, &end, 10);
            if (!rd || !failed || end == data + 1 || *end || l > 8192)
                return bad(p, "\"%.40s\": ?N (bytes not read) is for a read "
                           "of a failed transfer", tok[i]);
            len = (int)l;
        } else if ((len = hex_bytes(p, data, buf, sizeof(buf),
                                    tok[i])) < 0) {
            return -1;
        } else if (rd && failed) {
            return bad(p, "\"%.40s\": a failed transfer read nothing: ?N",
                       tok[i]);
        }
        if (kind && !failed && result != len)
            return bad(p, "%d bytes, but the result is %ld", len, result);
        if (i == 0)
            p->first_ours = ours(p, addr, flags);
        if (ours(p, addr, flags) &&
            add_msg(p, rd, !failed, false, flags & I2C_M_RECV_LEN, buf,
                    (uint16_t)len) < 0)
            return -1;
    }
    return 0;
}

/* The bytes on the wire of an SMBus read's last message, from GOT. */
static int wire_read(struct parser *p, int size, const uint8_t *sent,
                     int nsent, const uint8_t *got, int ngot, uint8_t *out)
{
    int want;

    switch (size) {
    case I2C_SMBUS_BYTE:
    case I2C_SMBUS_BYTE_DATA:
        want = 1;
        break;
    case I2C_SMBUS_WORD_DATA:
    case I2C_SMBUS_PROC_CALL:
        want = 2;
        break;
    case I2C_SMBUS_BLOCK_DATA:
    case I2C_SMBUS_BLOCK_PROC_CALL: /* the count, then the data */
        want = ngot ? 1 + got[0] : 1;
        break;
    case I2C_SMBUS_I2C_BLOCK_DATA: /* the length asked; data, no count */
        if (nsent != 1 || ngot != 1 + sent[0] || got[0] != sent[0])
            return bad(p, "an I2C block read sends its length and gets "
                       "it back with the data");
        memcpy(out, got + 1, sent[0]);
        return sent[0];
    default:
        return 0;
    }
    if (ngot != want)
        return bad(p, "%s read: expected %d bytes of data, not %d",
                   record_smbus_sizes[size], want, ngot);
    memcpy(out, got, (size_t)ngot);
    return ngot;
}

/* ADDR:DIR[t][p] SIZE CMD SENT>GOT */
static int smbus(struct parser *p, char **tok, unsigned n, bool failed,
                 long result)
{
    uint8_t sent[34], got[34], wire[36];
    union i2c_smbus_data data;
    struct i2cdev_smbus_emul e;
    uint16_t addr, flags;
    int size = -1, nsent = 0, ngot = 0, cmd;
    char *gt = NULL, *end;
    unsigned long c;

    if (n != 4)
        return bad(p, "smbus: expected ADDR:DIR SIZE CMD SENT>GOT");
    const char *rest = addr_flags(p, tok[0], &addr, &flags, "tp");
    if (!rest)
        return -1;
    if (*rest)
        return bad(p, "\"%.40s\": expected ADDR:DIR[t][p]", tok[0]);
    for (unsigned i = 0; i < RECORD_SMBUS_NSIZES; i++)
        if (record_smbus_sizes[i] &&
            strcmp(tok[1], record_smbus_sizes[i]) == 0)
            size = (int)i;
    if (size < 0)
        return bad(p, "smbus: unknown size \"%.40s\"", tok[1]);
    if (size == I2C_SMBUS_I2C_BLOCK_BROKEN)
        return bad(p, "smbus: i2c_block_broken cannot be replayed");
    c = strtoul(tok[2], &end, 16);
    if (end == tok[2] || *end || c > 0xFF || hexval(*tok[2]) < 0)
        return bad(p, "smbus: \"%.40s\" is no command byte", tok[2]);
    cmd = (int)c;
    /* "-": the call passed no data at all. */
    if (strcmp(tok[3], "-") != 0 && !(gt = strchr(tok[3], '>')))
        return bad(p, "smbus: expected SENT>GOT or -, not \"%.40s\"",
                   tok[3]);
    if (strcmp(tok[3], "-") != 0) {
        *gt++ = '\0';
        if ((nsent = hex_bytes(p, tok[3], sent, sizeof(sent), "sent")) < 0 ||
            (ngot = hex_bytes(p, gt, got, sizeof(got), "got")) < 0)
            return -1;
    }
    if (!failed && result != 0)
        return bad(p, "an SMBus call returns 0, not %ld", result);
    if (failed && ngot)
        return bad(p, "a failed SMBus call got nothing");

    memset(&data, 0, sizeof(data));
    if (size == I2C_SMBUS_WORD_DATA || size == I2C_SMBUS_PROC_CALL)
        data.word = (uint16_t)(sent[0] | sent[1] << 8);
    else
        memcpy(data.block, sent, (size_t)nsent);
    if (i2cdev_smbus_emul_build(&e, addr, flags,
                                flags & I2C_M_RD ? I2C_SMBUS_READ
                                                 : I2C_SMBUS_WRITE,
                                (uint8_t)cmd, size, &data) < 0)
        return bad(p, "smbus: %s with these data cannot be sent",
                   record_smbus_sizes[size]);
    if (!(p->first_ours = ours(p, addr, flags)))
        return 0;
    for (unsigned i = 0; i < e.nmsgs; i++) {
        struct i2c_msg *m = &e.msg[i];
        bool rd = m->flags & I2C_M_RD, last = i + 1 == e.nmsgs;
        int len = m->len;

        if (rd && !failed && e.read && last) {
            /* What the device answered, and its PEC. */
            if ((len = wire_read(p, size, sent, nsent, got, ngot,
                                 wire)) < 0)
                return -1;
            if (e.pec) {
                m->buf = wire;
                wire[len] = i2cdev_pec_msg(e.pec_part, m, (size_t)len);
                len++;
            }
            if (add_msg(p, true, true, e.pec, m->flags & I2C_M_RECV_LEN,
                        wire, (uint16_t)len) < 0)
                return -1;
        } else if (add_msg(p, rd, !failed, e.pec && last && !rd,
                           m->flags & I2C_M_RECV_LEN, m->buf,
                           (uint16_t)len) < 0) {
            return -1;
        }
    }
    return 0;
}

static int errno_value(const char *name)
{
    for (int e = 1; e < 256; e++) {
        const char *n = strerrorname_np(e);
        if (n && strcmp(n, name) == 0)
            return e;
    }
    return 0;
}

/* One line, split into tokens. */
static int line(struct parser *p, char **tok, unsigned n, unsigned lineno)
{
    unsigned eq = 0;
    long result;
    char *end;
    int bus;
    struct replay_rec *r = p->rec;

    while (eq < n && strcmp(tok[eq], "=") != 0)
        eq++;
    if (n < 4 || eq == n || eq < 3 || strncmp(tok[0], "i2c-", 4) != 0)
        return bad(p, "expected i2c-N KIND ... = RESULT");
    bus = (int)strtol(tok[0] + 4, &end, 10);
    if (end == tok[0] + 4 || *end || bus < 0)
        return bad(p, "\"%.40s\": expected i2c-N", tok[0]);
    result = eq + 1 < n ? strtol(tok[eq + 1], &end, 10) : 0;
    if (eq + 1 >= n || *end || end == tok[eq + 1])
        return bad(p, "expected a number after '='");
    if (result < 0 && (result != -1 || eq + 3 != n ||
                       !errno_value(tok[eq + 2])))
        return bad(p, "a failure is \"= -1 ERRNO\" with the errno's name");
    if (result >= 0 && eq + 2 != n)
        return bad(p, "\"%.40s\" after the result", tok[eq + 2]);

    if (grow((void **)&r->xfers, r->nxfers, sizeof(*r->xfers)) < 0)
        return bad(p, "out of memory");
    r->xfers[r->nxfers++] = (struct replay_xfer){
        .line = lineno, .err = result < 0 ? errno_value(tok[eq + 2]) : 0,
        .first = r->nmsgs };
    int ret;
    if (strcmp(tok[1], "rdwr") == 0)
        ret = messages(p, tok + 2, eq - 2, result < 0, result, 0);
    else if (strcmp(tok[1], "read") == 0)
        ret = messages(p, tok + 2, eq - 2, result < 0, result, 1);
    else if (strcmp(tok[1], "write") == 0)
        ret = messages(p, tok + 2, eq - 2, result < 0, result, -1);
    else if (strcmp(tok[1], "smbus") == 0)
        ret = smbus(p, tok + 2, eq - 2, result < 0, result);
    else
        ret = bad(p, "unknown kind \"%.40s\" (rdwr, smbus, read, write)",
                  tok[1]);
    struct replay_xfer *x = &r->xfers[r->nxfers - 1];
    /* Another bus, or nothing for this device, or a failure that is
     * another device's to replay: not its transfer. */
    if (ret == 0 && (bus != p->bus || !x->nmsgs ||
                     (x->err && !p->first_ours))) {
        r->nmsgs = x->first;
        r->nxfers--;
    }
    return ret;
}

int replay_parse(const char *text, size_t len, const char *name, int bus,
                 uint16_t addr, bool tenbit, struct replay_rec *rec,
                 struct i2cemu_error *err)
{
    static const char header[] = "# i2cemu-recording 1\n";
    char why[256], *copy, *save, *tok[MAX_TOKENS + 1];
    struct parser p = { .rec = rec, .bus = bus, .addr = addr,
                        .tenbit = tenbit, .why = why, .whylen = sizeof(why) };
    unsigned lineno = 0;

    *rec = (struct replay_rec){ .xfers = NULL };
    if (len < sizeof(header) - 1 || memcmp(text, header, sizeof(header) - 1)) {
        i2cemu_error_set(err, "%s: not a recording (its first line is not "
                         "\"# i2cemu-recording 1\")", name);
        return -1;
    }
    if (memchr(text, '\0', len)) {
        i2cemu_error_set(err, "%s: not a recording (it holds a NUL byte)",
                         name);
        return -1;
    }
    if (!(copy = strndup(text, len))) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    for (char *l = copy, *nl; l; l = nl) {
        unsigned n = 0;

        if ((nl = strchr(l, '\n')))
            *nl++ = '\0';
        lineno++;
        for (char *t = strtok_r(l, " \t\r", &save); t && n <= MAX_TOKENS;
             t = strtok_r(NULL, " \t\r", &save))
            tok[n++] = t;
        if (n == 0 || tok[0][0] == '#')
            continue;
        if (n > MAX_TOKENS)
            snprintf(why, sizeof(why), "too many messages");
        if (n > MAX_TOKENS || line(&p, tok, n, lineno) < 0) {
            i2cemu_error_set(err, "%s:%u: %s", name, lineno, why);
            free(copy);
            replay_rec_fini(rec);
            return -1;
        }
    }
    free(copy);
    return 0;
}

/* The first message of x that can fail as `how` (a written byte, or a
 * block read's count), or -1. */
static int fail_msg(const struct replay_rec *rec, const struct replay_xfer *x,
                    enum replay_fail how)
{
    for (unsigned i = 0; i < x->nmsgs; i++) {
        const struct replay_msg *m = &rec->msgs[x->first + i];
        if (m->len && (how == REPLAY_FAIL_COUNT ? m->recv_len : !m->read))
            return (int)i;
    }
    return -1;
}

int replay_plan_failures(struct replay_rec *rec, const char *name,
                         int bus, uint16_t addr, int nack_errno,
                         struct i2cemu_error *err)
{
    static const struct {
        int err;
        enum replay_fail how;
        const char *cannot; /* when the transfer has no place for it */
    } ways[] = {
        { EIO, REPLAY_FAIL_DATA_NACK, "writes no byte to NACK" },
        { ETIMEDOUT, REPLAY_FAIL_STRETCH, "writes no byte to stretch" },
        { EPROTO, REPLAY_FAIL_COUNT, "has no SMBus block read" },
    };

    for (unsigned i = 0; i < rec->nxfers; i++) {
        struct replay_xfer *x = &rec->xfers[i];
        const char *e = strerrorname_np(x->err);
        unsigned w = 0;
        int msg = -1;

        if (!x->err)
            continue;
        if (x->err == nack_errno) {
            x->fail = REPLAY_FAIL_ADDR_NACK;
            continue;
        }
        while (w < sizeof(ways) / sizeof(ways[0]) && ways[w].err != x->err)
            w++;
        if (w < sizeof(ways) / sizeof(ways[0]) &&
            (msg = fail_msg(rec, x, ways[w].how)) >= 0) {
            x->fail = (uint8_t)ways[w].how;
            x->fail_msg = (uint16_t)msg;
            continue;
        }
        if (w < sizeof(ways) / sizeof(ways[0]))
            i2cemu_error_set(err, "%s:%u: %s cannot be replayed: the "
                             "transfer %s", name, x->line, e,
                             ways[w].cannot);
        else if (x->err == ENXIO || x->err == ENODEV || x->err == EREMOTEIO)
            i2cemu_error_set(err, "%s:%u: %s cannot be replayed: an "
                             "address NACK on i2c-%d is %s (a bus with "
                             "nack=%s replays it)", name, x->line, e,
                             bus, strerrorname_np(nack_errno), e);
        else
            i2cemu_error_set(err, "%s:%u: %s cannot be replayed: a device "
                             "at 0x%02x on i2c-%d fails a transfer with "
                             "%s (its address NACKed), EIO (a written "
                             "byte NACKed), ETIMEDOUT (a written byte "
                             "stretched) or EPROTO (a block count)",
                             name, x->line, e, addr, bus,
                             strerrorname_np(nack_errno));
        return -1;
    }
    return 0;
}

void replay_rec_fini(struct replay_rec *rec)
{
    free(rec->xfers);
    free(rec->msgs);
    free(rec->bytes);
    *rec = (struct replay_rec){ .xfers = NULL };
}
