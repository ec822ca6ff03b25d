/* SPDX-License-Identifier: MIT */
/* A transfer's line in a recording: the format of docs/record-replay.md,
 * which src/devices/replay_parse.c reads back. */
#include "frontends/record/record_format.h"

#include <string.h>

#include <linux/i2c-dev.h>

#include "frontends/record/smbus_sizes.h"

/* n bytes as hex, "-" for none. */
static void hex(FILE *f, const uint8_t *p, size_t n)
{
    if (!n)
        fputc('-', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

/* ADDR:DIR[FLAGS]:DATA. A read's DATA is what it read, as long as the
 * message was, or "?N" (N bytes asked for) when the transfer failed. */
static void msg(FILE *f, const struct i2c_msg *m, size_t len, bool ok)
{
    static const struct { uint16_t flag; char c; } letters[] = {
        { I2C_M_TEN, 't' }, { I2C_M_RECV_LEN, 'l' },
        { I2C_M_NOSTART, 'n' }, { I2C_M_IGNORE_NAK, 'i' },
        { I2C_M_NO_RD_ACK, 'a' }, { I2C_M_REV_DIR_ADDR, 'v' },
        { I2C_M_STOP, 's' },
    };

    fprintf(f, " %02x:%c", m->addr, m->flags & I2C_M_RD ? 'r' : 'w');
    for (size_t i = 0; i < sizeof(letters) / sizeof(*letters); i++)
        if (m->flags & letters[i].flag)
            fputc(letters[i].c, f);
    fputc(':', f);
    if (m->flags & I2C_M_RECV_LEN && ok && m->len && m->buf)
        /* The count byte read says how long the message became. */
        len = 1u + m->buf[0] < m->len ? 1u + m->buf[0] : m->len;
    if (m->flags & I2C_M_RD && !ok)
        fprintf(f, "?%zu", len); /* read nothing we know of */
    else
        hex(f, m->buf, m->buf ? len : 0);
}

/* The bytes of `data` that an SMBus call of this size carries. */
static size_t data_len(uint32_t size, const union i2c_smbus_data *d)
{
    switch (size) {
    case I2C_SMBUS_BYTE:
    case I2C_SMBUS_BYTE_DATA:
        return 1;
    case I2C_SMBUS_WORD_DATA:
    case I2C_SMBUS_PROC_CALL:
        return 2;
    case I2C_SMBUS_BLOCK_DATA:
    case I2C_SMBUS_I2C_BLOCK_BROKEN:
    case I2C_SMBUS_BLOCK_PROC_CALL:
    case I2C_SMBUS_I2C_BLOCK_DATA:
        return 1u + (d->block[0] <= I2C_SMBUS_BLOCK_MAX ? d->block[0]
                                                         : I2C_SMBUS_BLOCK_MAX);
    default:
        return 0;
    }
}

static void smbus(FILE *f, const struct rec_call *c)
{
    bool rd = c->read_write == I2C_SMBUS_READ;
    bool call = c->size == I2C_SMBUS_PROC_CALL ||
                c->size == I2C_SMBUS_BLOCK_PROC_CALL;
    bool i2c_block = c->size == I2C_SMBUS_I2C_BLOCK_BROKEN ||
                     c->size == I2C_SMBUS_I2C_BLOCK_DATA;
    union i2c_smbus_data s_ = c->sent, g_ = c->got;
    const union i2c_smbus_data *s = &s_, *g = &g_;

    /* A word is written low byte first, as on the wire, on any host. */
    if (c->size == I2C_SMBUS_WORD_DATA || c->size == I2C_SMBUS_PROC_CALL) {
        s_.block[0] = c->sent.word & 0xFF;
        s_.block[1] = c->sent.word >> 8;
        g_.block[0] = c->got.word & 0xFF;
        g_.block[1] = c->got.word >> 8;
    }

    fprintf(f, " %02x:%s%s%s", c->addr, rd ? "r" : "w",
            c->flags & I2C_M_TEN ? "t" : "",
            c->flags & REC_PEC ? "p" : "");
    if (c->size < RECORD_SMBUS_NSIZES && record_smbus_sizes[c->size])
        fprintf(f, " %s", record_smbus_sizes[c->size]);
    else
        fprintf(f, " size%u", (unsigned)c->size);
    fprintf(f, " %02x ", c->command);
    if (!c->has_data) {
        fputc('-', f);
        return;
    }
    /* SENT>GOT: what the call gave the adapter, and what came back. A
     * receive byte sends nothing; an I2C block read sends its length. */
    if (call || (!rd && c->size != I2C_SMBUS_BYTE))
        hex(f, s->block, data_len(c->size, s));
    else if (rd && i2c_block)
        hex(f, s->block, 1);
    else
        fputc('-', f);
    fputc('>', f);
    if ((rd || call) && c->result >= 0 && c->size != I2C_SMBUS_QUICK)
        hex(f, g->block, i2c_block ? 1u + s->block[0] : data_len(c->size, g));
    else
        fputc('-', f);
}

void rec_format(FILE *f, const struct rec_call *c)
{
    static const char *const kinds[] = { "rdwr", "smbus", "read", "write" };
    const struct i2c_msg *m = c->msgs;
    bool ok = c->result >= 0;

    fprintf(f, "i2c-%d %s", c->bus, kinds[c->kind]);
    switch (c->kind) {
    case REC_RDWR:
        for (unsigned i = 0; i < c->nmsgs; i++)
            msg(f, &c->msgs[i], c->msgs[i].len, ok);
        break;
    case REC_SMBUS:
        smbus(f, c);
        break;
    case REC_READ:
    case REC_WRITE:
        /* What read() or write() moved, as one message. */
        msg(f, m, ok ? (size_t)c->result : m->len, ok);
        break;
    }
    if (ok) {
        fprintf(f, " = %ld\n", c->result);
    } else {
        const char *name = strerrorname_np(c->err);
        fprintf(f, " = -1 %s\n", name ? name : "EIO");
    }
}
