/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for fault rules (docs/faults.md): the spec parser
 * (-F, board files, ctl fault add) and the engine acting on transfers.
 *
 * Input: lines up to the first empty line are specs, each added to a
 * fresh fuzz board (fuzz_common.h) on a VIRTUAL clock; the bytes after it
 * drive up to 32 transfers, 4 bytes each: kind, address, register, value.
 *
 * Invariants: a refused spec sets a non-empty message and adds no rule;
 * an accepted one formats back to a spec that parses to the same text;
 * every transfer calls done exactly once, within bounded loop time, with
 * the message count or an errno a fault or the bus may give; a block
 * read's length stays within its buffer; a rule's hits never exceed its
 * matches. No crash, leak or undefined behaviour.
 */
#include <errno.h>

#include "fuzz_common.h"

static void done(struct i2cemu_transfer *t)
{
    (*(unsigned *)t->opaque)++;
}

static void add_spec(struct i2cemu_board *b, const char *spec)
{
    struct i2cemu_error err = { "" };
    const struct i2cemu_fault *last;
    unsigned n = 0;
    while (i2cemu_fault_at(b, n))
        n++;
    int id = i2cemu_fault_add(b, spec, &err);
    if (id < 0) {
        FUZZ_CHECK(err.msg[0], "no message for '%s'", spec);
        FUZZ_CHECK(!i2cemu_fault_at(b, n), "a refused rule was added");
        return;
    }
    last = i2cemu_fault_at(b, n);
    FUZZ_CHECK(last && last->id == (unsigned)id, "the rule is not last");
    char text[512], again[512];
    struct i2cemu_fault f;
    i2cemu_fault_format(last, text, sizeof(text));
    FUZZ_CHECK(i2cemu_fault_parse(text, &f, &err) == 0, "'%s' -> '%s': %s",
               spec, text, err.msg);
    i2cemu_fault_format(&f, again, sizeof(again));
    FUZZ_CHECK(strcmp(text, again) == 0, "'%s' -> '%s'", text, again);
}

static void run_transfer(struct i2cemu_board *b, struct i2cemu_loop *loop,
                         const uint8_t op[4])
{
    uint8_t w[2] = { op[2], op[3] }, r[2 + I2C_SMBUS_BLOCK_MAX + 1] = { 0 };
    uint16_t addr = op[1] & 0x7F;
    struct i2c_msg m[2] = {
        { .addr = addr, .len = (op[0] & 1) + 1, .buf = w },
        { .addr = addr, .flags = I2C_M_RD, .len = 1 + (op[0] >> 4 & 1),
          .buf = r },
    };
    unsigned nmsgs = op[0] & 2 ? 2 : 1, calls = 0;
    if (op[0] & 4) /* an SMBus block read */
        m[1].flags |= I2C_M_RECV_LEN;
    if (op[0] & 8) /* a read alone */
        m[0] = m[1], nmsgs = 1;
    struct i2cemu_transfer t = { .msgs = m, .nmsgs = nmsgs, .done = done,
                                 .opaque = &calls };
    unsigned bus = (unsigned)i2cemu_bus_find(b, op[0] & 0x20 ? FUZZ_BUS_STUB
                                                              : FUZZ_BUS_I2C);
    union i2c_smbus_data data = { .byte = op[3] };
    struct i2cemu_smbus_op sop = {
        .addr = addr, .read_write = op[0] & 8 ? I2C_SMBUS_READ : I2C_SMBUS_WRITE,
        .command = op[2], .size = I2C_SMBUS_BYTE_DATA, .data = &data,
    };
    if (op[0] & 0x20) {
        t.msgs = NULL;
        t.nmsgs = 0;
        t.smbus = &sop;
    }
    if (op[0] & 0x40)
        i2cemu_bus_set_retries(b, bus, op[3] & 3);
    i2cemu_transfer_submit(b, bus, &t);
    /* A stretch or a back-off waits at most the adapter timeout (1 s). */
    for (int i = 0; i < 40 && !calls; i++)
        i2cemu_loop_advance(loop, 100000000ull);
    FUZZ_CHECK(calls == 1, "done called %u times", calls);
    int res = t.result;
    FUZZ_CHECK(res == (int)t.nmsgs || res == -ENXIO || res == -ENODEV ||
               res == -EIO || res == -EAGAIN || res == -ETIMEDOUT ||
               res == -EBUSY || res == -EPROTO || (t.smbus && res >= 0),
               "result %d", res);
    for (unsigned i = 0; i < nmsgs; i++)
        FUZZ_CHECK(m[i].len <= (m[i].buf == r ? sizeof(r) : sizeof(w)),
                   "message %u is %u bytes long", i, m[i].len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct i2cemu_loop *loop = i2cemu_loop_new(I2CEMU_CLOCK_VIRTUAL);
    struct i2cemu_board *b = fuzz_board_new(loop);
    size_t i = 0;

    for (unsigned lines = 0; i < size && lines < 8; lines++) {
        size_t end = i;
        while (end < size && data[end] != '\n')
            end++;
        if (end == i) {
            i++;
            break;
        }
        char spec[600];
        size_t n = end - i < sizeof(spec) - 1 ? end - i : sizeof(spec) - 1;
        memcpy(spec, data + i, n);
        spec[n] = '\0';
        if (strlen(spec) == n)
            add_spec(b, spec);
        i = end + 1;
    }
    for (unsigned k = 0; k < 32 && i + 4 <= size; k++, i += 4)
        run_transfer(b, loop, data + i);
    const struct i2cemu_fault *f;
    for (unsigned k = 0; (f = i2cemu_fault_at(b, k)); k++)
        FUZZ_CHECK(f->hits <= f->matched, "rule %u: %llu hits, %llu matches",
                   f->id, (unsigned long long)f->hits,
                   (unsigned long long)f->matched);
    i2cemu_board_free(b);
    i2cemu_loop_free(loop);
    return 0;
}
