/* SPDX-License-Identifier: MIT */
/*
 * 24Cxx I2C serial EEPROMs, 24c01 to 24c512: one type per part, one
 * implementation. Behaviour follows the Microchip AT24C01C/02C,
 * AT24C04C/08C/16C, AT24C32E...AT24C512C and 24LC02B datasheets:
 *
 *  - Up to the 24c16 the word address is one byte; the address bits above
 *    it (block select, A8-A10) are the low bits of the device address, so
 *    a 24c04/08/16 answers 2/4/8 consecutive addresses. From the 24c32 on
 *    the word address is two bytes.
 *  - Page write: data bytes are latched into a page buffer and the low
 *    address bits roll over within the page; the page is programmed at
 *    STOP (the write cycle, tWR). A repeated START instead of STOP
 *    abandons the write, whichever device it addresses.
 *  - During the write cycle, tWR from the STOP, the device does not
 *    acknowledge its address (acknowledge polling). The clock decides:
 *    paced clocks (REALTIME, VIRTUAL) honour tWR, FAST completes it at once.
 *  - The image file (`file=`) is kept by the backing-store service
 *    (i2cemu/backing.h): a page is stored whole at STOP, and a write is
 *    refused while the image cannot be saved.
 *  - Reads: the address counter rolls over from the last byte to 0.
 *    A current-address read continues from the counter; on 24c04/08/16 it
 *    ignores the block bits of the read address, which only a word-address
 *    write loads.
 *  - WP high: address, word address and data bytes are acknowledged but no
 *    write cycle starts (AT24C02C "Write Protection"); WP is sampled at STOP.
 */
#include <string.h>

#include <i2cemu/backing.h>
#include <i2cemu/board.h>

#include "core/hot.h"
#include "devices.h"
#include "image.h"

#define AT24_PAGE_MAX 128 /* the 24c512's page */

struct at24_state {
    /* Properties. */
    uint32_t size;
    uint32_t pagesize;
    uint32_t twr_us;
    bool wp;
    char file[256];
    char image[256];      /* read-only content, exclusive with file */
    uint32_t sync;        /* enum i2cemu_sync_policy */
    uint32_t interval_ms; /* sync=interval */
    /* Device state. */
    uint64_t busy_until_ns; /* end of the write cycle in progress */
    uint16_t counter;       /* the internal address counter */
    uint8_t block;          /* block bits of the last START's address */
    uint8_t addr_left;      /* word-address bytes still expected */
    uint8_t addr_hi;        /* first byte of a 2-byte word address */
    bool dirty;             /* page holds data to program at STOP */
    uint8_t page[AT24_PAGE_MAX];
    uint8_t mem[];          /* the cells, `size` bytes */
};

static unsigned addr_bytes(const struct at24_state *s)
{
    return s->size > 2048 ? 2 : 1;
}

/* Device addresses the part answers (block select bits). */
static unsigned naddrs(const struct at24_state *s)
{
    return s->size > 256 && s->size <= 2048 ? s->size / 256 : 1;
}

/* naddrs() > 1 (a 24c04, 08 or 16), in one comparison: START's test. */
static bool multi(const struct at24_state *s)
{
    return s->size - 512u <= 2048u - 512u;
}

static const char *type_name(const struct i2cemu_dev *d)
{
    return i2cemu_device_type_of(d->board, d->index)->name;
}

/* Out of line, as is start_slow(): a START and a STOP are the hot path of
 * every transfer, and their common case then needs no call frame. */
__attribute__((noinline)) static void commit(struct i2cemu_dev *d,
                                             struct at24_state *s)
{
    if (s->wp)
        return; /* acknowledged, never programmed, no write cycle */
    uint32_t base = s->counter & ~(s->pagesize - 1);
    memcpy(s->mem + base, s->page, s->pagesize);
    /* One page, aligned to its size (at most 128 bytes): all-or-nothing
     * in the backing file, as the chip's write cycle programs it. A
     * failure is logged there and refuses the next write. */
    if (d->priv)
        i2cemu_backing_store(d->priv, s->mem, base, s->pagesize);
    /* tWR runs from the STOP (the datasheets' "write cycle time" is
     * measured from it), not from the START: a 64-byte page at 100 kHz
     * takes longer than tWR itself. */
    if (i2cemu_dev_honours_busy_times(d))
        s->busy_until_ns = i2cemu_dev_bus_time(d) + (uint64_t)s->twr_us * 1000;
}

/* A START acknowledged, `block` latched. */
static enum i2cemu_result started(struct at24_state *s, enum i2cemu_event ev)
{
    s->dirty = false;
    s->addr_left = (uint8_t)(ev == I2CEMU_EV_START_SEND ? addr_bytes(s) : 0);
    return I2CEMU_ACK;
}

/* A START while a write cycle may run, or to a part answering several
 * addresses: the only STARTs that ask the master anything. */
__attribute__((noinline)) static enum i2cemu_result
start_slow(struct i2cemu_dev *d, struct at24_state *s, enum i2cemu_event ev)
{
    if (s->busy_until_ns && i2cemu_dev_bus_time(d) < s->busy_until_ns)
        return I2CEMU_NACK; /* write cycle in progress */
    /* 24c04/08/16: the block select bits of the address matched, for the
     * word address that follows. */
    s->block = multi(s) ? (uint8_t)(i2cemu_dev_start_addr(d) &
                                    (naddrs(s) - 1))
                        : 0;
    return started(s, ev);
}

/* STOP with a page to program. */
__attribute__((noinline)) static enum i2cemu_result
finish_dirty(struct i2cemu_dev *d, struct at24_state *s)
{
    commit(d, s);
    s->dirty = false;
    s->addr_left = 0;
    return I2CEMU_ACK;
}

I2CEMU_HOT
static enum i2cemu_result at24_event(struct i2cemu_dev *d,
                                     enum i2cemu_event ev)
{
    struct at24_state *s = d->state;

    if (ev == I2CEMU_EV_START_SEND || ev == I2CEMU_EV_START_RECV) {
        if (s->busy_until_ns || multi(s))
            return start_slow(d, s, ev);
        s->block = 0;
        return started(s, ev);
    }
    if (ev == I2CEMU_EV_NACK) /* events_ignored: may not be called */
        return I2CEMU_ACK;
    if (ev == I2CEMU_EV_FINISH && s->dirty)
        return finish_dirty(d, s);
    /* DESELECT, the START of another device's message, abandons the page
     * write. */
    s->dirty = false;
    s->addr_left = 0;
    return I2CEMU_ACK;
}

/* A data byte into the page; the address rolls over within it. */
static enum i2cemu_result page_byte(struct at24_state *s, uint8_t byte)
{
    uint32_t mask = s->pagesize - 1;

    s->page[s->counter & mask] = byte;
    s->counter = (uint16_t)((s->counter & ~mask) | ((s->counter + 1) & mask));
    s->dirty = true;
    return I2CEMU_ACK;
}

/* The first data byte of a write latches the page, so that STOP programs
 * it whole (nothing changes the cells between the word address and it). */
__attribute__((noinline)) static enum i2cemu_result
first_byte(struct i2cemu_dev *d, struct at24_state *s, uint8_t byte)
{
    /* An image that could not be saved: refuse the write rather than
     * acknowledge data that would be lost. */
    if (!s->wp && d->priv && !i2cemu_backing_ready(d->priv, s->mem))
        return I2CEMU_NACK;
    memcpy(s->page, s->mem + (s->counter & ~(s->pagesize - 1)), s->pagesize);
    return page_byte(s, byte);
}

I2CEMU_HOT
static enum i2cemu_result at24_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct at24_state *s = d->state;

    if (s->addr_left) {
        if (--s->addr_left) {
            s->addr_hi = byte;
            return I2CEMU_ACK;
        }
        uint32_t hi = addr_bytes(s) == 2 ? s->addr_hi : s->block;
        s->counter = (uint16_t)(((hi << 8) | byte) & (s->size - 1));
        return I2CEMU_ACK;
    }
    if (!s->dirty)
        return first_byte(d, s, byte);
    return page_byte(s, byte);
}

I2CEMU_HOT
static uint8_t at24_recv(struct i2cemu_dev *d)
{
    struct at24_state *s = d->state;
    uint8_t v = s->mem[s->counter];
    s->counter = (uint16_t)((s->counter + 1) & (s->size - 1));
    return v;
}

/* A sequential read: the counter rolls over at the end of the memory
 * (datasheet: "Sequential Read"), as `n` calls of at24_recv. */
I2CEMU_HOT
static void at24_recv_buf(struct i2cemu_dev *d, uint8_t *buf, size_t n)
{
    struct at24_state *s = d->state;
    size_t at = s->counter & (s->size - 1u);

    while (n) {
        size_t k = s->size - at < n ? s->size - at : n;

        memcpy(buf, s->mem + at, k);
        buf += k;
        n -= k;
        at = (at + k) & (s->size - 1u);
    }
    s->counter = (uint16_t)at;
}

/* 24c04/08/16: the low 1-3 address bits select a block of 256 bytes, so
 * the part answers 2-8 addresses. Pure: the START event latches the
 * block. */
static bool at24_match(struct i2cemu_dev *d, uint16_t addr, bool tenbit,
                       bool broadcast, struct i2cemu_matches *m)
{
    const struct at24_state *s = d->state;
    unsigned n = naddrs(s);

    if (tenbit || broadcast || (addr & ~(n - 1)) != i2cemu_dev_addr(d))
        return false;
    return i2cemu_matches_add(m, d->index);
}

static int at24_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct at24_state *s = d->state;
    unsigned n = naddrs(s);

    if (s->pagesize & (s->pagesize - 1)) {
        i2cemu_error_set(err, "pagesize=%u: must be a power of two",
                         s->pagesize);
        return -1;
    }
    if (i2cemu_dev_addr(d) & (n - 1)) {
        i2cemu_error_set(err, "addr=0x%02x: a %s answers %u consecutive "
                         "addresses from a multiple of %u",
                         i2cemu_dev_addr(d), type_name(d), n, n);
        return -1;
    }
    if (s->file[0] && s->image[0]) {
        i2cemu_error_set(err, "file= and image= are mutually exclusive: "
                         "file= is a writable backing image, image= "
                         "read-only content");
        return -1;
    }
    if (s->image[0])
        return dev_image_load(s->image, s->mem, s->size, type_name(d), err);
    if (!s->file[0]) {
        memset(s->mem, 0xFF, s->size);
        return 0;
    }
    const struct i2cemu_backing_config cfg = {
        .path = s->file, .size = s->size, .erased = 0xFF,
        .what = type_name(d), .sync = (enum i2cemu_sync_policy)s->sync,
        .interval_ms = s->interval_ms,
    };
    d->priv = i2cemu_backing_open(d, &cfg, s->mem, err);
    return d->priv ? 0 : -1;
}

static void at24_unrealize(struct i2cemu_dev *d)
{
    struct at24_state *s = d->state;
    i2cemu_backing_close(d->priv, s->mem);
    d->priv = NULL;
}

/* A snapshot restores the cells: the image file follows, whole. */
static void at24_restored(struct i2cemu_dev *d)
{
    struct at24_state *s = d->state;
    if (d->priv)
        i2cemu_backing_store(d->priv, s->mem, 0, s->size);
}

/* The counter and the page buffer's base index the cells. */
static int at24_state_check(struct i2cemu_dev *d, const void *state,
                            struct i2cemu_error *err)
{
    (void)d;
    const struct at24_state *s = state;
    if (s->counter >= s->size) {
        i2cemu_error_set(err, "counter %u is past the last cell (%u)",
                         s->counter, s->size - 1);
        return -1;
    }
    return 0;
}

static size_t at24_tail_size(const void *state)
{
    return ((const struct at24_state *)state)->size;
}

static const struct i2cemu_field at24_fields[] = {
    I2CEMU_FIELD("busy_until_ns", struct at24_state, busy_until_ns,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("counter", struct at24_state, counter, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("block", struct at24_state, block, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("addr_left", struct at24_state, addr_left,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("addr_hi", struct at24_state, addr_hi, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("dirty", struct at24_state, dirty, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("page", struct at24_state, page, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_TAIL("mem", struct at24_state, mem,
                      I2CEMU_FIELD_PERSISTENT),
    I2CEMU_FIELD_END,
};

static const char at24_doc[] =
    "Source: `src/devices/at24.c`. One implementation;\n"
    "each part name fixes its size, default page size and addressing, as in\n"
    "the Microchip AT24C01C/02C, AT24C04C/08C/16C, AT24C32E-AT24C512C and\n"
    "24LC02B datasheets.\n"
    "\n"
    "| type | size (bytes) | page (bytes) | word address | device addresses |\n"
    "|---|---|---|---|---|\n"
    "| 24c01 | 128 | 8 | 1 byte (7 bits used) | 1 |\n"
    "| 24c02 | 256 | 8 | 1 byte | 1 |\n"
    "| 24c04 | 512 | 16 | 1 byte + A8 in the device address | 2 |\n"
    "| 24c08 | 1024 | 16 | 1 byte + A9-A8 | 4 |\n"
    "| 24c16 | 2048 | 16 | 1 byte + A10-A8 | 8 |\n"
    "| 24c32 | 4096 | 32 | 2 bytes | 1 |\n"
    "| 24c64 | 8192 | 32 | 2 bytes | 1 |\n"
    "| 24c128 | 16384 | 64 | 2 bytes | 1 |\n"
    "| 24c256 | 32768 | 64 | 2 bytes | 1 |\n"
    "| 24c512 | 65536 | 128 | 2 bytes | 1 |\n"
    "\n"
    "`size` and `pagesize` are the names of Linux's at24 binding. `pagesize`\n"
    "may be changed because vendors differ: ST's M24C02 has 16-byte pages where\n"
    "Microchip's 24LC02B has 8.\n"
    "\n"
    "### Behaviour\n"
    "\n"
    "* **Addressing.** Up to the 24c16 the word address is one byte; the bits\n"
    "  above it (A8-A10, \"block select\") are the low bits of the device\n"
    "  address, so a 24c04/08/16 answers 2/4/8 consecutive addresses starting at\n"
    "  `addr`, which must be a multiple of that count. With `claim=driver`\n"
    "  all of them are busy for I2C_SLAVE, as Linux's at24 claims the extra\n"
    "  ones with dummy clients. From the 24c32 on the word address is two\n"
    "  bytes, high byte first; bits above the size are ignored.\n"
    "* **Byte and page write** (datasheets, \"Write Operations\"). The data bytes\n"
    "  after the word address go to a page buffer; the low address bits roll\n"
    "  over within the page, so bytes past the end of the page wrap to its\n"
    "  start and overwrite the earlier ones. The page is programmed at STOP: a\n"
    "  write with no data byte, or one ended by a repeated START instead of a\n"
    "  STOP (whichever device that START addresses), programs nothing and\n"
    "  starts no write cycle. After a write the\n"
    "  address counter is the byte after the last one written, within the page.\n"
    "* **Write cycle and acknowledge polling.** After the STOP the part is busy\n"
    "  for tWR and does not acknowledge its address, for reads or writes: a\n"
    "  transfer fails with the bus's NACK errno (ENXIO). tWR runs from the STOP\n"
    "  that ends the write, as the datasheets define it, not from its START: a\n"
    "  64-byte page with its address at 100 kHz is 6 ms on the wire, and the\n"
    "  part is busy for the 5 ms after that. On a paced clock\n"
    "  (REALTIME, or VIRTUAL, where `i2cemu_loop_advance()` moves time) tWR is\n"
    "  honoured; on the FAST clock the write cycle completes at once.\n"
    "* **Reads** (datasheets, \"Read Operations\"). Random read (word address,\n"
    "  repeated START, read), current-address read and sequential read. The\n"
    "  address counter rolls over from the last byte of the memory to 0. On\n"
    "  24c04/08/16, a current-address read continues from the internal counter:\n"
    "  the block bits of the read address are loaded only by a word-address\n"
    "  write.\n"
    "* **Write protect** (AT24C02C/AT24CM02, \"Write Protection\": the\n"
    "  Microchip/Atmel behaviour). With `wp=on` the device address, word address\n"
    "  and data bytes are all acknowledged, but no write cycle occurs and nothing\n"
    "  is programmed; the part is ready at once. WP is sampled at STOP.\n"
    "  (ST's parts differ: they do not acknowledge data bytes while WC is high.)\n"
    "* **Power on.** Without `file` or `image`, the memory is erased: all\n"
    "  0xFF.\n"
    "* **10-bit addresses.** The parts with one device address (all but the\n"
    "  24c04/08/16, whose low address bits are block select) take\n"
    "  `addr=0x150,tenbit=on` (0x000-0x3FF), for clients that set\n"
    "  `I2C_TENBIT`. Real 24Cxx parts have 7-bit addresses only; this is the\n"
    "  bus feature's test device.\n"
    "\n"
    "### Read-only content: `image=`\n"
    "\n"
    "`image=PATH` loads the cells from a file when the device is created and\n"
    "never writes it, so a dump of a real part (a DIMM's SPD, an IPMI FRU) can\n"
    "be served as is, without a writable backing file. `file=` and `image=`\n"
    "are mutually exclusive (the device is refused). The file must be a\n"
    "regular file of at most `size` bytes (`PATH: 300 bytes, but a 24c02\n"
    "holds 256`); a shorter one fills the start of the memory and the rest is\n"
    "erased (0xFF), as a 128-byte FRU in a 24c02. Add `wp=on` for the\n"
    "write-protected part boards carry: writes are acknowledged and dropped.\n"
    "Without it writes change the memory in the daemon only, until it exits.\n"
    "\n"
    "Producing an image:\n"
    "\n"
    "* **From a Linux machine with the part:** once `at24` (or `ee1004` for\n"
    "  DDR4 SPD) is bound, its bytes are in sysfs: `dd\n"
    "  if=/sys/bus/i2c/devices/0-0050/eeprom of=spd.bin bs=256 count=1` (the\n"
    "  bus and address of the part; `ee1004`'s file holds 512 bytes).\n"
    "* **With i2c-tools, no driver bound:** `i2cdump -y 0 0x50 b > spd.txt`,\n"
    "  then load the text with a `regbank` (`file=spd.txt`), or turn it into\n"
    "  bytes: `tail -n +2 spd.txt | cut -c5-51 | xxd -r -p > spd.bin`.\n"
    "* **SPD:** `decode-dimms` (i2c-tools) reads the same sysfs files and can\n"
    "  decode a saved image: `decode-dimms -x spd.txt` takes a hex dump.\n"
    "* **IPMI FRU:** `ipmitool fru read 0 fru.bin` saves FRU device 0 of a\n"
    "  BMC into `fru.bin`, ready for `image=`.\n"
    "\n"
    "### The backing file and crashes\n"
    "\n"
    "With `file=PATH` the image is loaded when the device is created, through\n"
    "the backing-store service every model with non-volatile memory uses\n"
    "(`include/i2cemu/backing.h`, which states the contract).\n"
    "\n"
    "* **Which files.** PATH is opened without following a symbolic link (a\n"
    "  link is refused: `PATH: a symbolic link; ...`), must be a regular file\n"
    "  owned by the user i2cemu runs as (root is refused another user's file\n"
    "  too: `PATH: owned by user alice (uid 1000), not by the user i2cemu runs\n"
    "  as (uid 0)`), and exactly `size` bytes (`PATH: N bytes, but a 24c02\n"
    "  holds 256`). The file is locked (`flock`), so a second daemon cannot use\n"
    "  the same image.\n"
    "* **New images.** A missing file is created erased (0xFF), written whole\n"
    "  under a temporary name in the same directory, synced, then renamed into\n"
    "  place (never over a file that appeared meanwhile) and the directory\n"
    "  synced: a kill during creation leaves no image or a complete one, never\n"
    "  a short one that would block the next start (at most a temporary\n"
    "  `PATH.XXXXXX` that may be deleted). It is kept once a page has\n"
    "  been programmed, and removed again at shut-down if nothing was, so a\n"
    "  board that fails to start leaves no file behind.\n"
    "* **Atomic pages.** Each programmed page is written at STOP with **one\n"
    "  `pwrite()` of the whole page** at its page-aligned offset. A page is at\n"
    "  most 128 bytes and aligned to its size, so it never straddles a\n"
    "  page-cache page, and the kernel copies one write into one page-cache\n"
    "  page whole: if the daemon is killed at any instant (even by SIGKILL),\n"
    "  the file holds the old page or the new one, never a mix, which is what\n"
    "  the chip's own write cycle guarantees. A client that dies mid-transfer\n"
    "  cannot tear a page either, since nothing is programmed before STOP.\n"
    "* **Durability** (power loss, OS crash), per file with `sync=`: `stop`\n"
    "  (the default) syncs the page (`fdatasync`) at the STOP, before the\n"
    "  transfer completes, so every acknowledged write is on disk; `interval`\n"
    "  syncs at most `interval` ms of board time after a page is programmed, so\n"
    "  that much may be lost; `none` leaves it to the kernel's writeback. The\n"
    "  file is synced at shut-down in every case. A page never straddles a\n"
    "  512-byte sector, so whether a power loss can tear one is up to the disk.\n"
    "* **Failures.** When a page cannot be written or synced (a full disk, an\n"
    "  I/O error), i2cemu says so on standard error; the write whose STOP found\n"
    "  the failure had been acknowledged, but the next write is refused (its\n"
    "  first data byte is NACKed: EIO for the client) until the whole image can\n"
    "  be saved again, which i2cemu tries at each write. Reads keep working. If\n"
    "  the image is still unsaved at shut-down, i2cemu exits with status 1.\n"
    "\n"
    "`tests/unit/devices/test_dev_at24_file.c` checks the single `pwrite()`, the\n"
    "file rules, the policies and injected failures;\n"
    "`tests/e2e/test_eeprom_crash.py` SIGKILLs the daemon and the client at\n"
    "random during page writes through the preload shim and checks that every\n"
    "page is old or new and every acknowledged write is there;\n"
    "`tests/e2e/test_eeprom_durability.py` fills a small tmpfs.\n";

/* Property names follow Linux's at24 binding (size, pagesize) where one
 * exists. */
#define AT24_TYPE(part, sz, pg, match_fn, fl, h)                              \
    static const struct i2cemu_prop at24_props_##part[] = {                   \
        I2CEMU_PROP_UINT_("size", struct at24_state, size, sz, sz, sz, 0,     \
                          "memory size in bytes (fixed by the part)"),        \
        I2CEMU_PROP_UINT_("pagesize", struct at24_state, pagesize, pg, 1,     \
                          AT24_PAGE_MAX, 0,                                   \
                          "page write buffer in bytes, a power of two"),      \
        I2CEMU_PROP_UINT_("twr_us", struct at24_state, twr_us, 5000, 0,       \
                          1000000, 0,                                         \
                          "write cycle time tWR in microseconds"),            \
        I2CEMU_PROP_BOOL_("wp", struct at24_state, wp, false,                 \
                          I2CEMU_PROP_RUNTIME,                                \
                          "write-protect pin: writes are acknowledged but "   \
                          "not programmed"),                                  \
        I2CEMU_PROP_STRING_("file", struct at24_state, file, "", 0,           \
                            "backing image file; a missing one is created "   \
                            "erased (0xFF), and kept once written"),          \
        I2CEMU_PROP_STRING_("image", struct at24_state, image, "", 0,         \
                            "read-only content (an SPD or FRU dump) of at "   \
                            "most size bytes, padded with 0xFF; writes "      \
                            "change memory only"),                            \
        I2CEMU_PROP_ENUM_("sync", struct at24_state, sync, I2CEMU_SYNC_STOP,  \
                          i2cemu_sync_names, 0,                               \
                          "when writes reach the disk: stop (synced at each " \
                          "STOP), interval (within interval ms), none"),      \
        I2CEMU_PROP_UINT_("interval", struct at24_state, interval_ms, 1000,   \
                          1, 3600000, 0,                                      \
                          "sync=interval: milliseconds of writes at risk"),   \
        I2CEMU_PROP_END,                                                      \
    };                                                                        \
    const struct i2cemu_device_type i2cemu_##part = {                         \
        .name = #part,                                                        \
        .help = h,                                                            \
        .family = "24Cxx serial EEPROMs",                                     \
        .doc = at24_doc,                                                      \
        .props = at24_props_##part,                                           \
        .fields = at24_fields,                                                \
        .state_size = sizeof(struct at24_state),                              \
        .tail_size = at24_tail_size,                                          \
        .realize = at24_realize,                                              \
        .unrealize = at24_unrealize,                                          \
        .state_check = at24_state_check,                                      \
        .restored = at24_restored,                                            \
        .event = at24_event,                                                  \
        .events_ignored = I2CEMU_EV_BIT(I2CEMU_EV_NACK),                      \
        .send = at24_send,                                                    \
        .recv = at24_recv,                                                    \
        .recv_buf = at24_recv_buf,                                            \
        .match = match_fn,                                                    \
        .flags = fl | I2CEMU_TYPE_CLIENT_SAFE,                                \
    }

AT24_TYPE(24c01, 128, 8, NULL, I2CEMU_TYPE_TENBIT,
          "EEPROM, 1 Kbit (128 x 8), 8-byte page");
AT24_TYPE(24c02, 256, 8, NULL, I2CEMU_TYPE_TENBIT,
          "EEPROM, 2 Kbit (256 x 8), 8-byte page");
AT24_TYPE(24c04, 512, 16, at24_match, 0,
          "EEPROM, 4 Kbit (512 x 8), 16-byte page, answers 2 addresses");
AT24_TYPE(24c08, 1024, 16, at24_match, 0,
          "EEPROM, 8 Kbit (1024 x 8), 16-byte page, answers 4 addresses");
AT24_TYPE(24c16, 2048, 16, at24_match, 0,
          "EEPROM, 16 Kbit (2048 x 8), 16-byte page, answers 8 addresses");
AT24_TYPE(24c32, 4096, 32, NULL, I2CEMU_TYPE_TENBIT,
          "EEPROM, 32 Kbit (4096 x 8), 32-byte page");
AT24_TYPE(24c64, 8192, 32, NULL, I2CEMU_TYPE_TENBIT,
          "EEPROM, 64 Kbit (8192 x 8), 32-byte page");
AT24_TYPE(24c128, 16384, 64, NULL, I2CEMU_TYPE_TENBIT,
          "EEPROM, 128 Kbit (16384 x 8), 64-byte page");
AT24_TYPE(24c256, 32768, 64, NULL, I2CEMU_TYPE_TENBIT,
          "EEPROM, 256 Kbit (32768 x 8), 64-byte page");
AT24_TYPE(24c512, 65536, 128, NULL, I2CEMU_TYPE_TENBIT,
          "EEPROM, 512 Kbit (65536 x 8), 128-byte page");
