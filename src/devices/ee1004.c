/* SPDX-License-Identifier: MIT */
/*
 * EE1004 DDR4 SPD EEPROMs (JEDEC EE1004-v, Linux's drivers/misc/eeprom/
 * ee1004.c): 512 bytes in two 256-byte pages behind one data address
 * (0x50-0x57), the page selected for the whole bus by commands at two
 * addresses every EE1004 answers:
 *
 *  - SPA0, a write to 0x36: select page 0; SPA1, a write to 0x37: page 1
 *    (the data bytes, if any, are don't care);
 *  - RPA, a read at 0x36: ACK while page 0 is selected, NACK on page 1
 *    (what the driver reads at probe to learn the current page).
 *
 * All EE1004s on a bus see the same commands, so they switch together;
 * each keeps its own copy of the page, latched at the START of a command.
 * The data address takes a one-byte word address within the page.
 */
#include <string.h>

#include <i2cemu/board.h>

#include "devices.h"
#include "image.h"

#define EE1004_SPA0 0x36 /* and RPA */
#define EE1004_SPA1 0x37
#define EE1004_SIZE 512
#define EE1004_PAGE 16   /* write page, bytes */

struct ee1004_state {
    /* Properties. */
    bool wp;
    char image[256];
    /* Device state. */
    uint8_t page;      /* 0 or 1: the selected 256-byte half */
    uint8_t role;      /* this transfer: data, or a page command */
    uint8_t counter;   /* address counter within the page */
    bool need_addr;    /* a write's word address is next */
    bool dirty;        /* wbuf holds data to program at STOP */
    uint8_t wbase;     /* page-aligned offset of wbuf */
    uint8_t wbuf[EE1004_PAGE];
    uint8_t mem[EE1004_SIZE];
};

enum { ROLE_DATA, ROLE_SPA, ROLE_RPA };

static enum i2cemu_result ee1004_event(struct i2cemu_dev *d,
                                       enum i2cemu_event ev)
{
    struct ee1004_state *s = d->state;
    uint16_t a = i2cemu_dev_start_addr(d);

    switch (ev) {
    case I2CEMU_EV_START_SEND:
        s->dirty = false;
        if (a == EE1004_SPA0 || a == EE1004_SPA1) {
            s->page = a == EE1004_SPA1;
            s->role = ROLE_SPA;
            return I2CEMU_ACK;
        }
        s->role = ROLE_DATA;
        s->need_addr = true;
        return I2CEMU_ACK;
    case I2CEMU_EV_START_RECV:
        s->dirty = false;
        if (a == EE1004_SPA1)
            return I2CEMU_NACK; /* no command reads at 0x37 */
        if (a == EE1004_SPA0) {
            s->role = ROLE_RPA;
            return s->page ? I2CEMU_NACK : I2CEMU_ACK;
        }
        s->role = ROLE_DATA;
        return I2CEMU_ACK;
    case I2CEMU_EV_FINISH:
        if (s->dirty && !s->wp)
            memcpy(s->mem + s->page * 256 + s->wbase, s->wbuf, EE1004_PAGE);
        s->dirty = false;
        return I2CEMU_ACK;
    case I2CEMU_EV_DESELECT:
        s->dirty = false; /* a write ended by a repeated START: dropped */
        return I2CEMU_ACK;
    case I2CEMU_EV_NACK:
        break;
    }
    return I2CEMU_ACK;
}

static enum i2cemu_result ee1004_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct ee1004_state *s = d->state;
    if (s->role != ROLE_DATA)
        return I2CEMU_ACK; /* a command's don't-care bytes */
    if (s->need_addr) {
        s->need_addr = false;
        s->counter = byte;
        s->wbase = byte & (uint8_t)~(EE1004_PAGE - 1);
        memcpy(s->wbuf, s->mem + s->page * 256 + s->wbase, EE1004_PAGE);
        return I2CEMU_ACK;
    }
    /* Page write: the low bits roll over within the 16-byte page. */
    s->wbuf[s->counter & (EE1004_PAGE - 1)] = byte;
    s->counter = (uint8_t)(s->wbase | ((s->counter + 1) & (EE1004_PAGE - 1)));
    s->dirty = true;
    return I2CEMU_ACK;
}

static uint8_t ee1004_recv(struct i2cemu_dev *d)
{
    struct ee1004_state *s = d->state;
    if (s->role != ROLE_DATA)
        return 0xFF; /* RPA's data is don't care: SDA released */
    return s->mem[s->page * 256 + s->counter++]; /* wraps in the page */
}

/* The page and the write buffer's base index the cells. */
static int ee1004_state_check(struct i2cemu_dev *d, const void *state,
                              struct i2cemu_error *err)
{
    (void)d;
    const struct ee1004_state *s = state;
    if (s->page > 1 || s->wbase % EE1004_PAGE || s->role > ROLE_RPA) {
        i2cemu_error_set(err, "page %u, wbase %u, role %u: out of range "
                         "(page 0 or 1, wbase a multiple of %d, role 0 to 2)",
                         s->page, s->wbase, s->role, EE1004_PAGE);
        return -1;
    }
    return 0;
}

/* As many ee1004_recv calls: one SPD read of up to a page. */
static void ee1004_recv_buf(struct i2cemu_dev *d, uint8_t *buf, size_t n)
{
    struct ee1004_state *s = d->state;
    if (s->role != ROLE_DATA) {
        memset(buf, 0xFF, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = s->mem[s->page * 256 + s->counter++];
}

/* Pure: the device's own address, and the page commands' for every
 * EE1004 (several answer together; reads are wired-AND). */
static bool ee1004_match(struct i2cemu_dev *d, uint16_t addr, bool tenbit,
                         bool broadcast, struct i2cemu_matches *m)
{
    if (tenbit || broadcast)
        return false;
    if (addr != i2cemu_dev_addr(d) && addr != EE1004_SPA0 &&
        addr != EE1004_SPA1)
        return false;
    return i2cemu_matches_add(m, d->index);
}

static int ee1004_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct ee1004_state *s = d->state;
    uint16_t a = i2cemu_dev_addr(d);
    if (a < 0x50 || a > 0x57) {
        i2cemu_error_set(err,
                         "addr=0x%02x: an ee1004 is at 0x50-0x57 (SA2-SA0)", a);
        return -1;
    }
    s->page = 0;
    if (s->image[0])
        return dev_image_load(s->image, s->mem, EE1004_SIZE, "ee1004", err);
    memset(s->mem, 0xFF, EE1004_SIZE);
    return 0;
}

static const struct i2cemu_prop ee1004_props[] = {
    I2CEMU_PROP_BOOL_("wp", struct ee1004_state, wp, false,
                      I2CEMU_PROP_RUNTIME,
                      "write-protect: writes are acknowledged and dropped"),
    I2CEMU_PROP_STRING_("image", struct ee1004_state, image, "", 0,
                        "read-only content (an SPD dump) of at most 512 "
                        "bytes, padded with 0xFF"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field ee1004_fields[] = {
    I2CEMU_FIELD("page", struct ee1004_state, page, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("role", struct ee1004_state, role, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("counter", struct ee1004_state, counter,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("need_addr", struct ee1004_state, need_addr,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("dirty", struct ee1004_state, dirty, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("wbase", struct ee1004_state, wbase, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("wbuf", struct ee1004_state, wbuf, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("mem", struct ee1004_state, mem, I2CEMU_FIELD_PERSISTENT),
    I2CEMU_FIELD_END,
};

static const char ee1004_doc[] =
    "Source: `src/devices/ee1004.c`, after JEDEC EE1004-v (DDR4 SPD EEPROM:\n"
    "the page commands) and what Linux's `ee1004` driver does.\n"
    "\n"
    "* **Memory.** 512 bytes in two 256-byte pages behind the data address\n"
    "  (0x50-0x57, the module's SA2-SA0). A write's first byte is the word\n"
    "  address within the selected page; reads continue from it and wrap\n"
    "  within the page. Writes fill a 16-byte page buffer (the low address\n"
    "  bits roll over) programmed at STOP; with `wp=on` they are\n"
    "  acknowledged and dropped. The power-on memory is erased (0xFF), or the\n"
    "  `image=` file's content (at most 512 bytes, padded with 0xFF, never\n"
    "  written back; see the 24Cxx section for producing an image: `dd` of\n"
    "  `/sys/bus/i2c/devices/*/eeprom` where `ee1004` is bound gives the 512\n"
    "  bytes).\n"
    "* **Page commands, bus-wide.** Every `ee1004` also answers 0x36 and 0x37.\n"
    "  SPA0 (a write to 0x36, data don't care) selects page 0, SPA1 (a write\n"
    "  to 0x37) page 1, on every EE1004 of the bus at once; RPA (a read at\n"
    "  0x36) is acknowledged while page 0 is selected and NACKed (ENXIO) on\n"
    "  page 1, which is how the driver learns the page at probe. A read at\n"
    "  0x37 is NACKed. The page is page 0 at power on. Since the devices\n"
    "  answer 0x36/0x37, `i2cdetect` shows them and `claim=driver` makes them\n"
    "  busy, as the driver's dummy clients do.\n"
    "* **Linux's accesses:** `i2c_smbus_read_byte(0x36)` at probe (RPA),\n"
    "  `i2c_smbus_write_byte(0x36 or 0x37, 0x00)` to switch pages, and\n"
    "  `i2c_smbus_read_i2c_block_data` of up to 32 bytes from the data\n"
    "  address.\n"
    "* **Not modelled:** the write-protection commands (SWPn, CWP, RPSn at\n"
    "  0x30-0x35: not answered), the write cycle time tWR.\n";

const struct i2cemu_device_type i2cemu_ee1004 = {
    .name = "ee1004",
    .help = "DDR4 SPD EEPROM, 512 bytes in two pages selected at 0x36/0x37",
    .family = "EE1004 DDR4 SPD EEPROM",
    .doc = ee1004_doc,
    .props = ee1004_props,
    .fields = ee1004_fields,
    .state_size = sizeof(struct ee1004_state),
    .realize = ee1004_realize,
    .event = ee1004_event,
    .send = ee1004_send,
    .recv = ee1004_recv,
    .recv_buf = ee1004_recv_buf,
    .state_check = ee1004_state_check,
    .match = ee1004_match,
    .flags = I2CEMU_TYPE_SHARED_CMDS,
};
