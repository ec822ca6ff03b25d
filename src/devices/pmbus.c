/* SPDX-License-Identifier: MIT */
/*
 * The PMBus base (PMBus Power System Management Protocol 1.3, Part II;
 * SMBus 3.0 for the transport and PEC). See pmbus.h.
 *
 * The bus side: every transaction is a command code then its data, SMBus
 * write byte/word/block or send byte, or a command code, a repeated START
 * and a read byte/word/block. A part checks each byte as it comes (Part II
 * 10, "Fault Management And Reporting"): an unsupported command code, a write to a
 * read-only command or invalid data is NACKed and flagged in STATUS_CML;
 * a PEC byte (the CRC-8 of SMBus 3.0 6.4, poly x^8+x^2+x+1, over every
 * byte of the transaction, addresses included) that does not match is
 * NACKed and flagged, and the command is not executed. A write takes
 * effect at the STOP, once it is known whether a PEC byte came. A read's
 * data is followed by its PEC, which a master without PEC does not read.
 *
 * Status: the warn and fault limits a part has are compared with its
 * readings whenever an input, a limit or the on/off state changes; a
 * crossing sets its STATUS_x bit, which stays set (latched) until
 * CLEAR_FAULTS or a write of 1 to it, and is set again at once if the
 * condition still holds. SMBALERT# is asserted while any status bit is
 * set (Part II 10.2; 10.2.6, immediate reassertion).
 */
#include <string.h>

#include "pmbus.h"

#define PEC_POLY 0x07u
#define NO_CMD 0xFFu

/* STATUS_VOUT .. STATUS_FANS_1_2, as indices of pmbus_state.status. */
enum { ST_VOUT, ST_IOUT, ST_INPUT, ST_TEMP, ST_CML, ST_OTHER, ST_MFR,
       ST_FANS };

const char *const pmbus_lines[] = { "smbalert", NULL };

/* The limits and the status bits they set (Part II 17.3-17.6). */
static const struct limit {
    uint8_t code, sensor, status, bit;
    bool over;
} limits[] = {
    { PMBUS_VOUT_OV_FAULT_LIMIT, PMBUS_VOUT, ST_VOUT, 0x80, true },
    { PMBUS_VOUT_OV_WARN_LIMIT, PMBUS_VOUT, ST_VOUT, 0x40, true },
    { PMBUS_VOUT_UV_WARN_LIMIT, PMBUS_VOUT, ST_VOUT, 0x20, false },
    { PMBUS_VOUT_UV_FAULT_LIMIT, PMBUS_VOUT, ST_VOUT, 0x10, false },
    { PMBUS_IOUT_OC_FAULT_LIMIT, PMBUS_IOUT, ST_IOUT, 0x80, true },
    { PMBUS_IOUT_OC_WARN_LIMIT, PMBUS_IOUT, ST_IOUT, 0x20, true },
    { PMBUS_IOUT_UC_FAULT_LIMIT, PMBUS_IOUT, ST_IOUT, 0x10, false },
    { PMBUS_POUT_OP_FAULT_LIMIT, PMBUS_POUT, ST_IOUT, 0x02, true },
    { PMBUS_POUT_OP_WARN_LIMIT, PMBUS_POUT, ST_IOUT, 0x01, true },
    { PMBUS_OT_FAULT_LIMIT, PMBUS_TEMP1, ST_TEMP, 0x80, true },
    { PMBUS_OT_WARN_LIMIT, PMBUS_TEMP1, ST_TEMP, 0x40, true },
    { PMBUS_UT_WARN_LIMIT, PMBUS_TEMP1, ST_TEMP, 0x20, false },
    { PMBUS_UT_FAULT_LIMIT, PMBUS_TEMP1, ST_TEMP, 0x10, false },
    { PMBUS_VIN_OV_FAULT_LIMIT, PMBUS_VIN, ST_INPUT, 0x80, true },
    { PMBUS_VIN_OV_WARN_LIMIT, PMBUS_VIN, ST_INPUT, 0x40, true },
    { PMBUS_VIN_UV_WARN_LIMIT, PMBUS_VIN, ST_INPUT, 0x20, false },
    { PMBUS_VIN_UV_FAULT_LIMIT, PMBUS_VIN, ST_INPUT, 0x10, false },
    { PMBUS_IIN_OC_FAULT_LIMIT, PMBUS_IIN, ST_INPUT, 0x04, true },
    { PMBUS_IIN_OC_WARN_LIMIT, PMBUS_IIN, ST_INPUT, 0x02, true },
    { PMBUS_PIN_OP_WARN_LIMIT, PMBUS_PIN, ST_INPUT, 0x01, true },
};

static struct pmbus_state *pm(struct i2cemu_dev *d, const struct pmbus_part *p)
{
    return (struct pmbus_state *)((char *)d->state + p->pm_offset);
}

static int find(const struct pmbus_part *p, uint8_t code)
{
    for (unsigned i = 0; i < p->ncmds; i++)
        if (p->cmds[i].code == code)
            return (int)i;
    return -1;
}

/* The command at `code` if page `page` has it, or -1 (PAGE 255: any). */
static int find_on_page(const struct pmbus_part *p, uint8_t code,
                        unsigned page)
{
    int i = find(p, code);
    if (i >= 0 && p->cmds[i].pages && page < 32 &&
        !(p->cmds[i].pages >> page & 1))
        return -1;
    return i;
}

static int read_sensor(uint8_t code)
{
    switch (code) {
    case PMBUS_READ_VIN: return PMBUS_VIN;
    case PMBUS_READ_IIN: return PMBUS_IIN;
    case PMBUS_READ_VOUT: return PMBUS_VOUT;
    case PMBUS_READ_IOUT: return PMBUS_IOUT;
    case PMBUS_READ_POUT: return PMBUS_POUT;
    case PMBUS_READ_PIN: return PMBUS_PIN;
    case PMBUS_READ_TEMPERATURE_1: return PMBUS_TEMP1;
    case PMBUS_READ_TEMPERATURE_2: return PMBUS_TEMP2;
    case PMBUS_READ_TEMPERATURE_3: return PMBUS_TEMP3;
    case PMBUS_READ_FAN_SPEED_1: return PMBUS_FAN1;
    default: return -1;
    }
}

/* Commands with one value for the whole device, whatever the page. */
static bool global(const struct pmbus_cmd *c)
{
    switch (c->code) {
    case PMBUS_PAGE: case PMBUS_CAPABILITY: case PMBUS_REVISION:
    case PMBUS_MFR_ID: case PMBUS_MFR_MODEL: case PMBUS_MFR_REVISION:
    case PMBUS_STATUS_CML: case PMBUS_WRITE_PROTECT:
        return true;
    default:
        return c->flags & PMBUS_GLOBAL;
    }
}

uint16_t *pmbus_value(struct i2cemu_dev *d, const struct pmbus_part *p,
                      uint8_t code, unsigned page)
{
    int i = find(p, code);
    if (i < 0)
        return NULL;
    if (global(&p->cmds[i]) || page >= p->npages)
        page = 0;
    return &pm(d, p)->val[page][i];
}

static int vout_exp(struct i2cemu_dev *d, const struct pmbus_part *p,
                    unsigned page)
{
    uint16_t *m = pmbus_value(d, p, PMBUS_VOUT_MODE, page);
    return m ? pmbus_sext(*m & 0x1F, 5) : 0;
}

static struct pmbus_coef coef(struct i2cemu_dev *d, const struct pmbus_part *p,
                              unsigned page, unsigned sensor)
{
    struct pmbus_coef c = p->coef[sensor];
    if (p->coef_hook)
        p->coef_hook(d, page, sensor, &c);
    return c;
}

/* ---- physics ---------------------------------------------------------- */

/* On: OPERATION's ON bit, as ON_OFF_CONFIG says (Part II, OPERATION and
 * ON_OFF_CONFIG: bit 4 requires OPERATION and/or the pin, bit 3 OPERATION;
 * the
 * CONTROL pin is not modelled and counts as asserted). */
static bool is_on(struct i2cemu_dev *d, const struct pmbus_part *p,
                  unsigned page)
{
    uint16_t *op = pmbus_value(d, p, PMBUS_OPERATION, page);
    uint16_t *cfg = pmbus_value(d, p, PMBUS_ON_OFF_CONFIG, page);
    if (!op || (cfg && (*cfg & 0x18) != 0x18))
        return true;
    return *op & 0x80;
}

static bool find_input(struct i2cemu_dev *d, const struct pmbus_part *p,
                       unsigned page, unsigned sensor, double *v)
{
    for (unsigned i = 0; i < p->ninputs; i++)
        if (p->inputs[i].page == page && p->inputs[i].sensor == sensor) {
            *v = *(const double *)((const char *)d->state +
                                   p->inputs[i].offset);
            return true;
        }
    return false;
}

double pmbus_input(struct i2cemu_dev *d, const struct pmbus_part *p,
                   unsigned page, unsigned sensor)
{
    bool off = !is_on(d, p, page);
    double v = 0;
    switch (sensor) {
    case PMBUS_VOUT: case PMBUS_IOUT: case PMBUS_IIN:
        return !off && find_input(d, p, page, sensor, &v) ? v : 0;
    case PMBUS_POUT:
        if (find_input(d, p, page, sensor, &v))
            return off ? 0 : v;
        return pmbus_input(d, p, page, PMBUS_VOUT) *
               pmbus_input(d, p, page, PMBUS_IOUT);
    case PMBUS_PIN:
        /* Input power: VIN times the input current, or for a hot-swap
         * controller (no IIN) the current it passes. */
        if (find_input(d, p, page, sensor, &v))
            return off ? 0 : v;
        return pmbus_input(d, p, page, PMBUS_VIN) *
               pmbus_input(d, p, page,
                           find_input(d, p, page, PMBUS_IIN, &v) ? PMBUS_IIN
                                                                 : PMBUS_IOUT);
    default:
        return find_input(d, p, page, sensor, &v) ? v : 0;
    }
}

uint16_t pmbus_reading(struct i2cemu_dev *d, const struct pmbus_part *p,
                       unsigned page, unsigned sensor)
{
    struct pmbus_coef c = coef(d, p, page, sensor);
    return pmbus_encode(&c, vout_exp(d, p, page),
                        pmbus_input(d, p, page, sensor));
}

static void update_alert(struct i2cemu_dev *d, const struct pmbus_part *p)
{
    struct pmbus_state *s = pm(d, p);
    bool any = s->cml;
    for (unsigned pg = 0; pg < p->npages; pg++)
        for (unsigned i = 0; i < 8; i++)
            any = any || s->status[pg][i];
    s->smbalert = !any;
    i2cemu_dev_line_set(d, 0, s->smbalert);
}

void pmbus_evaluate(struct i2cemu_dev *d, const struct pmbus_part *p)
{
    struct pmbus_state *s = pm(d, p);
    for (unsigned pg = 0; pg < p->npages; pg++) {
        int e = vout_exp(d, p, pg);
        bool on = is_on(d, p, pg);
        for (unsigned i = 0; i < sizeof(limits) / sizeof(*limits); i++) {
            const struct limit *l = &limits[i];
            uint8_t code = l->code;
            if (p->iout_oc_swapped && (code == PMBUS_IOUT_OC_FAULT_LIMIT ||
                                       code == PMBUS_IOUT_OC_WARN_LIMIT))
                code ^= PMBUS_IOUT_OC_FAULT_LIMIT ^ PMBUS_IOUT_OC_WARN_LIMIT;
            uint16_t *lim = pmbus_value(d, p, code, pg);
            if (!lim || find_on_page(p, code, pg) < 0)
                continue; /* the part, or this page, has no such limit */
            if (!on && !l->over && l->sensor != PMBUS_VIN)
                continue; /* under-limits of an output that is off */
            struct pmbus_coef c = coef(d, p, pg, l->sensor);
            double x = pmbus_decode(&c, e, pmbus_reading(d, p, pg, l->sensor));
            double y = pmbus_decode(&c, e, *lim);
            if (l->over ? x > y : x < y)
                s->status[pg][l->status] |= l->bit;
        }
    }
    if (p->update)
        p->update(d);
    update_alert(d, p);
}

/* STATUS_WORD (Part II 17.1, 17.2); STATUS_BYTE is its low byte. */
static uint16_t status_word(struct i2cemu_dev *d, const struct pmbus_part *p,
                            unsigned page)
{
    struct pmbus_state *s = pm(d, p);
    const uint8_t *st = s->status[page];
    unsigned w = 0;
    if (!is_on(d, p, page))
        w |= 0x0840; /* POWER_GOOD#, OFF */
    w |= (st[ST_VOUT] & 0x80) ? 0x20 : 0;
    w |= (st[ST_IOUT] & 0x80) ? 0x10 : 0;
    w |= (st[ST_INPUT] & 0x10) ? 0x08 : 0;
    w |= st[ST_TEMP] ? 0x04 : 0;
    w |= s->cml ? 0x02 : 0;
    w |= st[ST_VOUT] ? 0x8000 : 0;
    w |= st[ST_IOUT] ? 0x4000 : 0;
    w |= st[ST_INPUT] ? 0x2000 : 0;
    w |= st[ST_MFR] ? 0x1000 : 0;
    w |= st[ST_FANS] ? 0x0400 : 0;
    w |= st[ST_OTHER] ? 0x0200 : 0;
    if ((st[ST_VOUT] & 0x7F) || (st[ST_IOUT] & 0x7F) ||
        (st[ST_INPUT] & 0xEF) || st[ST_MFR] || st[ST_FANS] || st[ST_OTHER])
        w |= 0x01; /* NONE_OF_THE_ABOVE */
    return (uint16_t)w;
}

static void cml_fault(struct i2cemu_dev *d, const struct pmbus_part *p,
                      uint8_t bit)
{
    pm(d, p)->cml |= bit;
    update_alert(d, p);
}

/* The pages a write to `c` lands on: [*lo, *hi). */
static void targets(struct i2cemu_dev *d, const struct pmbus_part *p,
                    const struct pmbus_cmd *c, unsigned *lo, unsigned *hi)
{
    unsigned page = pm(d, p)->page;
    if (global(c))
        *lo = 0, *hi = 1;
    else if (page == 0xFF)
        *lo = 0, *hi = p->npages;
    else
        *lo = page, *hi = page + 1;
}

/* ---- commands ------------------------------------------------------------ */

static uint16_t read_value(struct i2cemu_dev *d, const struct pmbus_part *p,
                           const struct pmbus_cmd *c, unsigned page)
{
    struct pmbus_state *s = pm(d, p);
    uint16_t v;
    int sensor = read_sensor(c->code);
    if (p->read && p->read(d, c, page, &v, NULL))
        return v;
    if (sensor >= 0)
        return pmbus_reading(d, p, page, (unsigned)sensor);
    switch (c->code) {
    case PMBUS_PAGE:
        return s->page;
    case PMBUS_STATUS_BYTE:
        return status_word(d, p, page) & 0xFF;
    case PMBUS_STATUS_WORD:
        return status_word(d, p, page);
    case PMBUS_STATUS_CML:
        return s->cml;
    case PMBUS_STATUS_VOUT: case PMBUS_STATUS_IOUT: case PMBUS_STATUS_INPUT:
    case PMBUS_STATUS_TEMPERATURE: case PMBUS_STATUS_OTHER:
    case PMBUS_STATUS_MFR_SPECIFIC: case PMBUS_STATUS_FANS_1_2:
        return s->status[page][c->code - PMBUS_STATUS_VOUT];
    default:
        return *pmbus_value(d, p, c->code, page);
    }
}

/* The data a read of command `c` returns, into x->out; false if it
 * cannot be read (write-only, or PAGE 0xFF for a paged command). */
static bool prepare_read(struct i2cemu_dev *d, const struct pmbus_part *p,
                         const struct pmbus_cmd *c)
{
    struct pmbus_xfer *x = &pm(d, p)->x;
    unsigned page = pm(d, p)->page;
    uint16_t v;

    if (c->size == PMBUS_SEND) {
        cml_fault(d, p, PMBUS_CML_INVALID_CMD);
        return false;
    }
    if (!global(c) && page >= p->npages) {
        cml_fault(d, p, PMBUS_CML_INVALID_DATA);
        return false;
    }
    if (c->size == PMBUS_BLOCK) {
        if (!p->read || !p->read(d, c, page, &v, x->out + 1)) {
            v = c->str ? (uint16_t)strnlen(c->str, I2C_SMBUS_BLOCK_MAX) : 0;
            memcpy(x->out + 1, c->str ? c->str : "", v);
        }
        v = v > I2C_SMBUS_BLOCK_MAX ? I2C_SMBUS_BLOCK_MAX : v;
        x->out[0] = (uint8_t)v;
        x->nout = (uint8_t)(v + 1);
        return true;
    }
    v = read_value(d, p, c, page);
    x->out[0] = (uint8_t)v;
    x->out[1] = (uint8_t)(v >> 8);
    x->nout = c->size;
    return true;
}

/* CLEAR_FAULTS "clears all bits in all status registers": every page's
 * (parts document it as not paged), then the evaluation that follows
 * sets again those whose condition still holds. */
static void clear_faults(struct i2cemu_dev *d, const struct pmbus_part *p)
{
    struct pmbus_state *s = pm(d, p);
    memset(s->status, 0, sizeof(s->status));
    s->cml = 0;
}

static bool valid(struct i2cemu_dev *d, const struct pmbus_part *p,
                  const struct pmbus_cmd *c, unsigned v)
{
    (void)d;
    if (c->code == PMBUS_PAGE)
        return v < p->npages || (v == 0xFF && p->all_pages);
    return true;
}

/* A complete write, taken at the STOP. */
static void execute(struct i2cemu_dev *d, const struct pmbus_part *p,
                    const struct pmbus_cmd *c)
{
    struct pmbus_state *s = pm(d, p);
    const uint8_t *data = s->x.in + 1;
    unsigned v = c->size == PMBUS_WORD ? data[0] | (unsigned)data[1] << 8
                                       : data[0];
    unsigned lo, hi;

    if (c->code == PMBUS_CLEAR_FAULTS) {
        clear_faults(d, p);
    } else if (c->code == PMBUS_PAGE) {
        s->page = (uint8_t)v;
    } else if (c->code == PMBUS_STATUS_CML) {
        s->cml &= (uint8_t)~v;
    } else if (c->code >= PMBUS_STATUS_VOUT &&
               c->code <= PMBUS_STATUS_FANS_1_2) {
        targets(d, p, c, &lo, &hi);
        for (unsigned pg = lo; pg < hi; pg++) /* write 1 to clear */
            s->status[pg][c->code - PMBUS_STATUS_VOUT] &= (uint8_t)~v;
    } else if (!p->write || !p->write(d, c, s->page, (uint16_t)v)) {
        int i = find(p, c->code);
        targets(d, p, c, &lo, &hi);
        if (c->size != PMBUS_BLOCK && c->size != PMBUS_SEND)
            for (unsigned pg = lo; pg < hi; pg++)
                s->val[pg][i] = (uint16_t)v;
    }
    pmbus_evaluate(d, p);
}

/* ---- the bus side ------------------------------------------------------ */

static uint8_t crc(uint8_t acc, uint8_t byte)
{
    return i2cemu_crc8(PEC_POLY, acc, &byte, 1);
}

static void reset_xfer(struct pmbus_xfer *x)
{
    x->nin = x->nout = x->pos = 0;
    x->cmd = NO_CMD;
    x->rejected = false;
}

/* Data bytes a write of `c` carries, or -1 until the block count is in. */
static int data_len(const struct pmbus_cmd *c, const struct pmbus_xfer *x)
{
    if (c->size != PMBUS_BLOCK)
        return c->size;
    return x->nin < 2 ? -1 : 1 + x->in[1];
}

enum i2cemu_result pmbus_event(struct i2cemu_dev *d, const struct pmbus_part *p,
                               enum i2cemu_event ev)
{
    struct pmbus_state *s = pm(d, p);
    struct pmbus_xfer *x = &s->x;
    uint8_t a = (uint8_t)(i2cemu_dev_start_addr(d) << 1);

    switch (ev) {
    case I2CEMU_EV_START_SEND:
        reset_xfer(x);
        x->crc = crc(0, a);
        break;
    case I2CEMU_EV_START_RECV:
        x->pos = x->nout = 0;
        if (x->nin == 1 && !x->rejected) {
            x->crc = crc(x->crc, a | 1);
            if (prepare_read(d, p, &p->cmds[x->cmd]) && !p->no_pec) {
                for (unsigned i = 0; i < x->nout; i++)
                    x->crc = crc(x->crc, x->out[i]);
                x->out[x->nout++] = x->crc;
            }
        }
        x->nin = 0; /* a read is not a write to execute at the STOP */
        break;
    case I2CEMU_EV_FINISH:
        if (x->nin > 1 && !x->rejected) {
            const struct pmbus_cmd *c = &p->cmds[x->cmd];
            int n = data_len(c, x);
            if (n >= 0 && x->nin - 1 >= n)
                execute(d, p, c);
            else
                cml_fault(d, p, PMBUS_CML_OTHER_COMM); /* too few bytes */
        } else if (x->nin == 1 && !x->rejected &&
                   p->cmds[x->cmd].size == PMBUS_SEND) {
            execute(d, p, &p->cmds[x->cmd]);
        }
        reset_xfer(x);
        break;
    case I2CEMU_EV_DESELECT:
        reset_xfer(x);
        break;
    default:
        break;
    }
    return I2CEMU_ACK;
}

static enum i2cemu_result reject(struct i2cemu_dev *d,
                                 const struct pmbus_part *p, uint8_t bit)
{
    pm(d, p)->x.rejected = true;
    cml_fault(d, p, bit);
    return I2CEMU_NACK;
}

enum i2cemu_result pmbus_send(struct i2cemu_dev *d, const struct pmbus_part *p,
                              uint8_t byte)
{
    struct pmbus_xfer *x = &pm(d, p)->x;
    if (x->rejected)
        return I2CEMU_NACK;
    if (x->nin == 0) {
        int i = find_on_page(p, byte, pm(d, p)->page);
        if (i < 0)
            return reject(d, p, PMBUS_CML_INVALID_CMD);
        x->cmd = (uint8_t)i;
        x->in[x->nin++] = byte;
        x->crc = crc(x->crc, byte);
        return I2CEMU_ACK;
    }
    const struct pmbus_cmd *c = &p->cmds[x->cmd];
    unsigned k = x->nin - 1u; /* data bytes so far */
    if (c->flags & PMBUS_RO)
        return reject(d, p, PMBUS_CML_INVALID_CMD);
    if (c->size == PMBUS_BLOCK && k == 0 &&
        (byte == 0 || byte > I2C_SMBUS_BLOCK_MAX))
        return reject(d, p, PMBUS_CML_INVALID_DATA);
    int n = c->size == PMBUS_BLOCK && k == 0 ? 1 + byte : data_len(c, x);
    if ((int)k > n || ((int)k == n && p->no_pec))
        return reject(d, p, PMBUS_CML_OTHER_COMM); /* too many bytes */
    if ((int)k == n) { /* the PEC byte */
        if (byte != x->crc)
            return reject(d, p, PMBUS_CML_PEC_FAILED);
        x->in[x->nin++] = byte;
        return I2CEMU_ACK;
    }
    x->in[x->nin++] = byte;
    x->crc = crc(x->crc, byte);
    if ((int)k + 1 == n && c->size != PMBUS_BLOCK &&
        !valid(d, p, c, c->size == PMBUS_WORD ? x->in[1] | byte << 8 : byte))
        return reject(d, p, PMBUS_CML_INVALID_DATA);
    return I2CEMU_ACK;
}

uint8_t pmbus_recv(struct i2cemu_dev *d, const struct pmbus_part *p)
{
    struct pmbus_xfer *x = &pm(d, p)->x;
    /* Past the data and PEC the part releases SDA: 0xFF. */
    return x->pos < x->nout ? x->out[x->pos++] : 0xFF;
}

int pmbus_state_check(const struct pmbus_part *p, const void *state,
                      struct i2cemu_error *err)
{
    const struct pmbus_state *s =
        (const void *)((const char *)state + p->pm_offset);
    if (s->page >= p->npages && !(s->page == 0xFF && p->all_pages)) {
        i2cemu_error_set(err, "page %u: out of range (0 to %u%s)", s->page,
                         p->npages - 1, p->all_pages ? ", or 255" : "");
        return -1;
    }
    if (s->x.nin && (s->x.nin > PMBUS_BUF || s->x.cmd >= p->ncmds)) {
        i2cemu_error_set(err, "transaction: command %u, nin %u: out of "
                         "range (a command below %u, nin at most %u)",
                         s->x.cmd, s->x.nin, p->ncmds, PMBUS_BUF);
        return -1;
    }
    return 0;
}

int pmbus_realize(struct i2cemu_dev *d, const struct pmbus_part *p,
                  struct i2cemu_error *err)
{
    struct pmbus_state *s = pm(d, p);
    if (p->ncmds > PMBUS_MAX_CMDS || p->npages == 0 ||
        p->npages > PMBUS_MAX_PAGES) {
        i2cemu_error_set(err, "PMBus part: %u commands, %u pages: too many",
                         p->ncmds, p->npages);
        return -1;
    }
    for (unsigned i = 0; i < p->ncmds; i++)
        if (find(p, p->cmds[i].code) != (int)i) {
            i2cemu_error_set(err, "PMBus part: command 0x%02x twice",
                             p->cmds[i].code);
            return -1;
        }
    for (unsigned pg = 0; pg < p->npages; pg++)
        for (unsigned i = 0; i < p->ncmds; i++)
            s->val[pg][i] = p->cmds[i].reset;
    if (p->power_on)
        p->power_on(d);
    s->page = 0;
    s->cml = 0;
    reset_xfer(&s->x);
    pmbus_evaluate(d, p);
    return 0;
}
