/* SPDX-License-Identifier: MIT */
/*
 * The pcap trace (--trace pcap:FILE), for Wireshark and tshark: link type
 * LINKTYPE_I2C_LINUX (209), one record per message, that is from a START
 * or repeated START to the next one or the STOP. Each record is
 *
 *   byte 0     bit 7: 0 (data, not a controller event); bits 6-0: the
 *              bus number N of /dev/i2c-N (modulo 128)
 *   bytes 1-4  flags, big-endian: I2C_M_RD, I2C_M_TEN, as in struct i2c_msg
 *   then       the bytes on the wire: the address byte (addr << 1 | R/W;
 *              both bytes of a 10-bit address), then each data byte
 *              clocked, including a NACKed one
 *
 * as the tcpdump link-type registry and Wireshark's wiretap (struct
 * i2c_linux_file_hdr) and packet-i2c.c define it. Timestamps, in ns: the
 * wall clock when the trace began plus the bus time of the START.
 */
#include "trace/sink.h"

#include <stdlib.h>
#include <string.h>

#define LINKTYPE_I2C_LINUX 209
#define PCAP_MAGIC_NS      0xA1B23C4Du
#define PSEUDO_HEADER      5
/* The longest message: i2c_msg.len is 16 bits, plus two address bytes. */
#define MSG_MAX            (0xFFFF + 2)

struct message {
    uint8_t *buf; /* NULL until the bus's first START */
    uint32_t len; /* bytes on the wire so far */
    uint64_t t_ns;
    uint32_t flags;
    bool open;
};

struct trace_pcap {
    struct trace_sink sink;
    struct i2cemu_board *board;
    FILE *out;
    uint64_t t0_ns, wall0_ns;
    struct message msg[I2CEMU_MAX_BUSES];
};

static void put_le32(FILE *f, uint32_t v)
{
    uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };
    fwrite(b, 1, sizeof(b), f);
}

static void put_le16(FILE *f, uint16_t v)
{
    uint8_t b[2] = { v, v >> 8 };
    fwrite(b, 1, sizeof(b), f);
}

static void flush_message(struct trace_pcap *p, unsigned bus)
{
    struct message *m = &p->msg[bus];

    if (!m->open)
        return;
    m->open = false;
    uint64_t ts = p->wall0_ns + (m->t_ns > p->t0_ns ? m->t_ns - p->t0_ns : 0);
    uint32_t len = PSEUDO_HEADER + m->len;
    uint8_t hdr[PSEUDO_HEADER] = {
        i2cemu_bus_number(p->board, bus) & 0x7F,
        m->flags >> 24, m->flags >> 16, m->flags >> 8, m->flags,
    };

    put_le32(p->out, (uint32_t)(ts / 1000000000u));
    put_le32(p->out, (uint32_t)(ts % 1000000000u));
    put_le32(p->out, len); /* captured */
    put_le32(p->out, len); /* on the wire */
    fwrite(hdr, 1, sizeof(hdr), p->out);
    fwrite(m->buf, 1, m->len, p->out);
}

static void on_event(struct trace_sink *s, unsigned bus,
                     const struct i2cemu_trace_ev *ev)
{
    struct trace_pcap *p = (struct trace_pcap *)s;
    struct message *m = &p->msg[bus];

    switch (ev->kind) {
    case I2CEMU_TRACE_START:
        flush_message(p, bus);
        if (!m->buf && !(m->buf = malloc(MSG_MAX)))
            return; /* out of memory: lose the message, not the bus */
        m->open = true;
        m->t_ns = ev->t_ns;
        m->flags = (ev->read ? I2C_M_RD : 0) | (ev->tenbit ? I2C_M_TEN : 0);
        if (ev->tenbit) {
            m->buf[0] = 0xF0 | ((ev->addr >> 7) & 0x06) | ev->read;
            m->buf[1] = ev->addr & 0xFF;
            m->len = 2;
        } else {
            m->buf[0] = (uint8_t)(ev->addr << 1 | ev->read);
            m->len = 1;
        }
        break;
    case I2CEMU_TRACE_BYTE:
        if (m->open && m->len < MSG_MAX)
            m->buf[m->len++] = ev->byte;
        break;
    case I2CEMU_TRACE_STOP:
        flush_message(p, bus);
        break;
    case I2CEMU_TRACE_FAULT:
    case I2CEMU_TRACE_SET:
        break;
    }
}

static int pcap_close(struct trace_sink *s)
{
    struct trace_pcap *p = (struct trace_pcap *)s;

    for (unsigned bus = 0; bus < I2CEMU_MAX_BUSES; bus++) {
        flush_message(p, bus);
        free(p->msg[bus].buf);
    }
    int ret = trace_file_close(p->out);
    free(p);
    return ret;
}

struct trace_sink *trace_pcap_new(struct i2cemu_board *b, FILE *out,
                                  trace_wall_fn wall)
{
    struct trace_pcap *p = calloc(1, sizeof(*p));

    if (!p)
        return NULL;
    p->sink = (struct trace_sink){ .event = on_event, .close = pcap_close };
    p->board = b;
    p->out = out;
    p->t0_ns = i2cemu_loop_now(i2cemu_board_loop(b));
    p->wall0_ns = (wall ? wall : trace_wall_now)();
    /* The file header: nanosecond timestamps, version 2.4. */
    put_le32(out, PCAP_MAGIC_NS);
    put_le16(out, 2);
    put_le16(out, 4);
    put_le32(out, 0); /* thiszone */
    put_le32(out, 0); /* sigfigs */
    put_le32(out, PSEUDO_HEADER + MSG_MAX); /* snaplen */
    put_le32(out, LINKTYPE_I2C_LINUX);
    return &p->sink;
}
