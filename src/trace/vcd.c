/* SPDX-License-Identifier: MIT */
/*
 * The VCD trace (--trace vcd:FILE): SCL and SDA of one bus as a logic
 * analyser would capture them, for sigrok/PulseView (decoder "i2c").
 *
 * The core times each event by whole bit periods T at the bus speed
 * (START 1, a byte and its ACK 9, STOP 1) and reports when it ended; the
 * waveform is drawn back from there, each bit in quarters of T:
 *
 *   data bit   SDA set at T/4, SCL high at T/2, SCL low at T
 *   (r)START   SDA high at T/4, SCL high at T/2, SDA low at 3T/4, SCL low
 *   STOP       SDA low at T/4, SCL high at T/2, SDA high at 3T/4
 *
 * A device stretching the clock holds SCL low between the 8th data bit
 * and the ACK bit, for as long as the core reports. Between events of a
 * transaction SCL stays low (a stretch that timed out); between
 * transactions the bus idles with both lines high.
 */
#include "trace/sink.h"

#include <stdlib.h>

#include <i2cemu/master.h>

struct trace_vcd {
    struct trace_sink sink;
    struct i2cemu_board *board;
    FILE *out;
    unsigned bus;
    uint64_t t0_ns;
    uint64_t now;  /* the latest time written, ns since t0 */
    bool scl, sda; /* their levels at `now` */
    bool active;   /* between a START and its STOP */
};

/* Quarter bit periods in ns (exact: bit_time(k) / 4 = k * 1e9 / 4f). */
static uint64_t quarters(const struct trace_vcd *v, unsigned k)
{
    return i2cemu_bus_bit_time_ns(v->board, v->bus, k) / 4;
}

static void at(struct trace_vcd *v, uint64_t t)
{
    if (t > v->now) {
        fprintf(v->out, "#%llu\n", (unsigned long long)t);
        v->now = t;
    }
}

static void set_scl(struct trace_vcd *v, uint64_t t, bool level)
{
    if (level != v->scl) {
        at(v, t);
        fprintf(v->out, "%d!\n", level);
        v->scl = level;
    }
}

static void set_sda(struct trace_vcd *v, uint64_t t, bool level)
{
    if (level != v->sda) {
        at(v, t);
        fprintf(v->out, "%d\"\n", level);
        v->sda = level;
    }
}

/* One bit period from `base`; each returns the time it ends. */
static uint64_t draw_bit(struct trace_vcd *v, uint64_t base, bool level)
{
    set_sda(v, base + quarters(v, 1), level);
    set_scl(v, base + quarters(v, 2), true);
    set_scl(v, base + quarters(v, 4), false);
    return base + quarters(v, 4);
}

static uint64_t draw_start(struct trace_vcd *v, uint64_t base)
{
    set_sda(v, base + quarters(v, 1), true);
    set_scl(v, base + quarters(v, 2), true);
    set_sda(v, base + quarters(v, 3), false);
    set_scl(v, base + quarters(v, 4), false);
    return base + quarters(v, 4);
}

static uint64_t draw_stop(struct trace_vcd *v, uint64_t base)
{
    set_sda(v, base + quarters(v, 1), false);
    set_scl(v, base + quarters(v, 2), true);
    set_sda(v, base + quarters(v, 3), true);
    return base + quarters(v, 4);
}

/* 8 bits, MSB first, then SCL held low for `stretch`, then ACK/NACK. */
static uint64_t draw_byte(struct trace_vcd *v, uint64_t base, uint8_t byte,
                          enum i2cemu_result ack, uint64_t stretch)
{
    for (unsigned i = 0; i < 8; i++)
        draw_bit(v, base + quarters(v, 4 * i), byte & (0x80 >> i));
    return draw_bit(v, base + quarters(v, 32) + stretch, ack != I2CEMU_ACK);
}

/* The (repeated) START and address of a message: 7-bit, or the 10-bit
 * forms of UM10204 3.1.11 (a read repeats START and the first byte). */
static void draw_address(struct trace_vcd *v, uint64_t base,
                         const struct i2cemu_trace_ev *ev)
{
    uint8_t hi = 0xF0 | ((ev->addr >> 7) & 0x06);

    base = draw_start(v, base);
    if (!ev->tenbit) {
        draw_byte(v, base, (uint8_t)(ev->addr << 1 | ev->read), ev->ack, 0);
        return;
    }
    base = draw_byte(v, base, hi, ev->ack, 0);
    base = draw_byte(v, base, ev->addr & 0xFF, ev->ack, 0);
    if (ev->read) {
        base = draw_start(v, base);
        draw_byte(v, base, hi | 1, ev->ack, 0);
    }
}

static unsigned event_bits(const struct i2cemu_trace_ev *ev)
{
    switch (ev->kind) {
    case I2CEMU_TRACE_START:
        return !ev->tenbit ? 10 : !ev->read ? 19 : 29;
    case I2CEMU_TRACE_BYTE:
        return 9;
    case I2CEMU_TRACE_STOP:
    case I2CEMU_TRACE_FAULT:
    case I2CEMU_TRACE_SET:
        break;
    }
    return 1;
}

static void on_event(struct trace_sink *s, unsigned bus,
                     const struct i2cemu_trace_ev *ev)
{
    struct trace_vcd *v = (struct trace_vcd *)s;

    if (bus != v->bus || ev->kind == I2CEMU_TRACE_FAULT ||
        ev->kind == I2CEMU_TRACE_SET ||
        (!v->active && ev->kind != I2CEMU_TRACE_START))
        return;
    /* Drawn back from its end; never before what is already drawn. */
    uint64_t len = quarters(v, 4 * event_bits(ev)) + ev->stretch_ns;
    uint64_t end = ev->t_ns > v->t0_ns ? ev->t_ns - v->t0_ns : 0;
    uint64_t base = end > v->now + len ? end - len : v->now;

    switch (ev->kind) {
    case I2CEMU_TRACE_START:
        v->active = true;
        draw_address(v, base, ev);
        break;
    case I2CEMU_TRACE_BYTE:
        draw_byte(v, base, ev->byte, ev->ack, ev->stretch_ns);
        break;
    case I2CEMU_TRACE_STOP:
        v->active = false;
        draw_stop(v, base);
        break;
    case I2CEMU_TRACE_FAULT:
    case I2CEMU_TRACE_SET:
        break;
    }
}

/* A last timestamp, so that the final STOP has a length. */
static int vcd_close(struct trace_sink *s)
{
    struct trace_vcd *v = (struct trace_vcd *)s;

    at(v, v->now + quarters(v, 4));
    int ret = trace_file_close(v->out);
    free(v);
    return ret;
}

struct trace_sink *trace_vcd_new(struct i2cemu_board *b, FILE *out,
                                 unsigned bus)
{
    struct trace_vcd *v = calloc(1, sizeof(*v));
    int n = i2cemu_bus_number(b, bus);

    if (!v)
        return NULL;
    v->sink = (struct trace_sink){ .event = on_event, .close = vcd_close };
    v->board = b;
    v->out = out;
    v->bus = bus;
    v->t0_ns = i2cemu_loop_now(i2cemu_board_loop(b));
    v->scl = v->sda = true;
    fprintf(out, "$version i2cemu $end\n"
            "$comment i2c-%d at %u Hz $end\n"
            "$timescale 1 ns $end\n"
            "$scope module i2c%d $end\n"
            "$var wire 1 ! scl $end\n"
            "$var wire 1 \" sda $end\n"
            "$upscope $end\n"
            "$enddefinitions $end\n"
            "#0\n"
            "1!\n"
            "1\"\n", n, trace_bus_speed_hz(b, bus), n);
    return &v->sink;
}
