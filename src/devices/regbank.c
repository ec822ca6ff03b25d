/* SPDX-License-Identifier: MIT */
/*
 * regbank: a generic register bank with the semantics of one chip of
 * Linux's i2c-stub (drivers/i2c/i2c-stub.c; i2c-dev-abi.md 6.3, 6.4):
 * 256 16-bit words, an 8-bit byte pointer, SMBus block buffers keyed by
 * command, and optional register banks.
 *
 * On a `stub`-profile bus it answers whole SMBus transactions through
 * smbus_xfer, exactly as i2c-stub does. On a plain `i2c` bus it is a
 * byte-level register device over the same storage: the first byte of a
 * write sets the pointer, each further byte sets the low byte of
 * word[pointer++] (high byte kept, and a write to bank_reg selects a bank),
 * and each byte read is the low byte of word[pointer++]. The core's SMBus
 * emulation then gives the stub's results for byte, byte-data and I2C
 * block transfers; a word read sees the low bytes of two registers, as on
 * any byte-register chip.
 *
 * Property `file` loads an i2cdump text dump (byte or word mode), so a
 * dump of a real chip becomes an emulated chip.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"

struct regbank_block {
    uint8_t len; /* 0: never written */
    uint8_t data[I2C_SMBUS_BLOCK_MAX];
};

struct regbank_state {
    /* Properties (i2c-stub's module parameters for one chip). */
    uint32_t bank_reg, bank_mask, bank_start, bank_end;
    char file[256];
    /* Chip state. */
    uint8_t pointer;
    uint8_t bank_sel;  /* 0: the main array */
    bool have_pointer; /* byte level: this write's first byte was seen */
    uint16_t words[256];
    struct regbank_block blocks[256];
    uint16_t bank_words[]; /* bank_mask >> shift banks of bank_size words */
};

static unsigned bank_shift(const struct regbank_state *s)
{
    return (unsigned)__builtin_ctz(s->bank_mask);
}

static unsigned bank_count(const struct regbank_state *s)
{
    return s->bank_mask ? s->bank_mask >> bank_shift(s) : 0;
}

static unsigned bank_size(const struct regbank_state *s)
{
    return s->bank_end - s->bank_start + 1;
}

/* i2c-stub's stub_get_wordp(): the word a byte or word access sees. */
static uint16_t *wordp(struct regbank_state *s, uint8_t reg)
{
    if (s->bank_sel && reg >= s->bank_start && reg <= s->bank_end)
        return &s->bank_words[(s->bank_sel - 1u) * bank_size(s) + reg -
                              s->bank_start];
    return &s->words[reg];
}

/* BYTE_DATA write: the low byte only; bank_reg selects a bank. */
static void write_byte(struct regbank_state *s, uint8_t reg, uint8_t v)
{
    uint16_t *w = wordp(s, reg);
    *w = (uint16_t)((*w & 0xFF00) | v);
    if (s->bank_mask && reg == s->bank_reg)
        s->bank_sel = (uint8_t)((v >> bank_shift(s)) & bank_count(s));
}

static int i2c_block(struct regbank_state *s, char read_write, uint8_t cmd,
                     union i2c_smbus_data *data)
{
    /* Fixed i2c-stub (commit 6036b5067a81): a length the union cannot
     * hold is refused rather than overrunning it. */
    if (data->block[0] == 0 || data->block[0] > I2C_SMBUS_BLOCK_MAX)
        return -EINVAL;
    /* Clamped to the registers left, and the caller sees the clamp. Banks
     * are ignored: the main array is used. */
    if (data->block[0] > 256 - cmd)
        data->block[0] = (uint8_t)(256 - cmd);
    for (unsigned i = 0; i < data->block[0]; i++) {
        uint16_t *w = &s->words[cmd + i];
        if (read_write == I2C_SMBUS_WRITE)
            *w = (uint16_t)((*w & 0xFF00) | data->block[1 + i]);
        else
            data->block[1 + i] = (uint8_t)*w;
    }
    return 0;
}

static int smbus_block(struct regbank_state *s, char read_write, uint8_t cmd,
                       union i2c_smbus_data *data)
{
    struct regbank_block *b = &s->blocks[cmd];

    if (read_write == I2C_SMBUS_READ) {
        if (!b->len)
            return -EOPNOTSUPP; /* block read without prior block write */
        data->block[0] = b->len;
        memcpy(&data->block[1], b->data, b->len);
        return 0;
    }
    uint8_t len = data->block[0];
    if (len == 0 || len > I2C_SMBUS_BLOCK_MAX)
        return -EINVAL;
    /* The longest write sets the read length; an older tail stays. */
    if (len > b->len)
        b->len = len;
    memcpy(b->data, &data->block[1], len);
    /* Byte and word reads of the command see (first byte, length). */
    s->words[cmd] = (uint16_t)(b->data[0] << 8 | b->len);
    return 0;
}

static int regbank_smbus_xfer(struct i2cemu_dev *d, uint16_t flags,
                              char read_write, uint8_t command, int size,
                              union i2c_smbus_data *data)
{
    struct regbank_state *s = d->state;
    (void)flags; /* PEC is ignored, as by i2c-stub */

    switch (size) {
    case I2C_SMBUS_QUICK:
        return 0;
    case I2C_SMBUS_BYTE:
        if (read_write == I2C_SMBUS_WRITE)
            s->pointer = command;
        else
            data->byte = (uint8_t)*wordp(s, s->pointer++);
        return 0;
    case I2C_SMBUS_BYTE_DATA:
        if (read_write == I2C_SMBUS_WRITE)
            write_byte(s, command, data->byte);
        else
            data->byte = (uint8_t)*wordp(s, command);
        s->pointer = (uint8_t)(command + 1);
        return 0;
    case I2C_SMBUS_WORD_DATA:
        if (read_write == I2C_SMBUS_WRITE)
            *wordp(s, command) = data->word;
        else
            data->word = *wordp(s, command);
        return 0;
    case I2C_SMBUS_I2C_BLOCK_BROKEN:
    case I2C_SMBUS_I2C_BLOCK_DATA:
        return i2c_block(s, read_write, command, data);
    case I2C_SMBUS_BLOCK_DATA:
        return smbus_block(s, read_write, command, data);
    default: /* process calls */
        return -EOPNOTSUPP;
    }
}

static enum i2cemu_result regbank_event(struct i2cemu_dev *d,
                                        enum i2cemu_event ev)
{
    struct regbank_state *s = d->state;
    if (ev == I2CEMU_EV_START_SEND)
        s->have_pointer = false;
    return I2CEMU_ACK;
}

static enum i2cemu_result regbank_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct regbank_state *s = d->state;
    if (!s->have_pointer) {
        s->pointer = byte;
        s->have_pointer = true;
    } else {
        write_byte(s, s->pointer++, byte);
    }
    return I2CEMU_ACK;
}

static uint8_t regbank_recv(struct i2cemu_dev *d)
{
    struct regbank_state *s = d->state;
    return (uint8_t)*wordp(s, s->pointer++);
}

/* ---- i2cdump text --------------------------------------------------- */

/*
 * i2cdump's two table layouts (i2c-tools tools/i2cdump.c), after any
 * other lines (its prompt and warnings, if stderr was captured too):
 *   byte: "     0  1  2 ... f    0123456789abcdef", then rows
 *         "%02x: " + 16 cells of "%02x " / "XX " / "   " + "   " + ASCII
 *   word: "     0,8  1,9 ... 7,f", then rows every 8 registers
 *         "%02x: " + 8 cells of "%04x " / "XXXX " / "     "
 * A blank cell is a register outside `-r first-last`. XX marks a failed
 * read; it and blank cells leave the register at 0. The byte layout also
 * serves i2cdump's b, c, W, s and i modes.
 */
static const char byte_header[] =
    "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f";
static const char word_header[] =
    "     0,8  1,9  2,a  3,b  4,c  5,d  6,e  7,f";

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Character i of the line, as blank past its end (trailing blanks are
 * often stripped). */
static char at(const char *line, size_t len, size_t i)
{
    return i < len ? line[i] : ' ';
}

/* Parse one row into s->words; returns NULL or what is wrong. */
static const char *parse_row(struct regbank_state *s, const char *line,
                             size_t len, bool word, uint32_t *seen,
                             char *why, size_t whylen)
{
    unsigned digits = word ? 4 : 2, cells = word ? 8 : 16;
    int hi = hexval(at(line, len, 0)), lo = hexval(at(line, len, 1));

    if (hi < 0 || lo < 0 || at(line, len, 2) != ':' ||
        at(line, len, 3) != ' ')
        return "expected a row such as \"00: ...\" or the end of the dump";
    unsigned row = (unsigned)(hi << 4 | lo);
    if (row % cells) {
        snprintf(why, whylen, "row %02x: the rows of this dump start at "
                 "multiples of %u", row, cells);
        return why;
    }
    if (*seen & 1u << row / cells) {
        snprintf(why, whylen, "row %02x appears twice", row);
        return why;
    }
    *seen |= 1u << row / cells;

    for (unsigned i = 0; i < cells; i++) {
        size_t off = 4 + i * (digits + 1);
        unsigned v = 0, nhex = 0, nx = 0, nblank = 0;
        char cell[5] = "";
        for (unsigned k = 0; k < digits; k++) {
            char c = cell[k] = at(line, len, off + k);
            int h = hexval(c);
            if (h >= 0) {
                v = v << 4 | (unsigned)h;
                nhex++;
            }
            nx += c == 'X';
            nblank += c == ' ';
        }
        if (nblank == digits || nx == digits) /* outside the range, or XX */
            continue;
        if (nhex != digits || at(line, len, off + digits) != ' ') {
            snprintf(why, whylen, "register %02x: expected %u hex digits, "
                     "XX or blanks, not \"%s\"", row + i, digits, cell);
            return why;
        }
        s->words[row + i] = (uint16_t)v;
    }
    return NULL;
}

static int load_dump(struct regbank_state *s, struct i2cemu_error *err)
{
    FILE *f = fopen(s->file, "re");
    if (!f) {
        i2cemu_error_set(err, "%s: %s", s->file, strerror(errno));
        return -1;
    }

    char *line = NULL, why[128];
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    int mode = 0; /* 0: before the header, 1: byte rows, 2: word rows */
    uint32_t seen = 0;
    const char *bad = NULL;

    while (!bad && (n = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)n;
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        line[len] = '\0';
        if (strspn(line, " \t") == len)
            continue;
        if (mode)
            bad = parse_row(s, line, len, mode == 2, &seen, why, sizeof(why));
        else if (strncmp(line, byte_header, sizeof(byte_header) - 1) == 0)
            mode = 1;
        else if (strncmp(line, word_header, sizeof(word_header) - 1) == 0)
            mode = 2;
        /* Else i2cdump's own messages, when stderr was captured too. */
    }
    if (!bad && ferror(f))
        bad = strerror(errno);
    else if (!bad && !mode)
        bad = "no i2cdump table header (\"     0  1  2  3 ...\" or "
              "\"     0,8  1,9 ...\")";
    free(line);
    fclose(f);
    if (bad) {
        i2cemu_error_set(err, "%s:%u: %s", s->file, lineno, bad);
        return -1;
    }
    return 0;
}

static int regbank_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct regbank_state *s = d->state;

    if (s->bank_mask && s->bank_end < s->bank_start) {
        i2cemu_error_set(err, "bank_end=0x%02x is below bank_start=0x%02x",
                         s->bank_end, s->bank_start);
        return -1;
    }
    return s->file[0] ? load_dump(s, err) : 0;
}

static size_t regbank_tail_size(const void *state)
{
    const struct regbank_state *s = state;
    if (!s->bank_mask || s->bank_end < s->bank_start)
        return 0;
    return bank_count(s) * bank_size(s) * sizeof(uint16_t);
}

/* bank_sel indexes the banks' words, and a block's length is how much a
 * block read copies out of its 32 bytes into the caller's union. */
static int regbank_state_check(struct i2cemu_dev *d, const void *state,
                               struct i2cemu_error *err)
{
    (void)d;
    const struct regbank_state *s = state;
    if (s->bank_sel > bank_count(s)) {
        i2cemu_error_set(err, "bank_sel %u is past the last bank (%u)",
                         s->bank_sel, bank_count(s));
        return -1;
    }
    for (unsigned i = 0; i < 256; i++)
        if (s->blocks[i].len > I2C_SMBUS_BLOCK_MAX) {
            i2cemu_error_set(err, "blocks[%u]: length %u is over %d", i,
                             s->blocks[i].len, I2C_SMBUS_BLOCK_MAX);
            return -1;
        }
    return 0;
}

static const struct i2cemu_prop regbank_props[] = {
    I2CEMU_PROP_UINT_("bank_reg", struct regbank_state, bank_reg, 0, 0, 255,
                      I2CEMU_PROP_HEX,
                      "register whose byte-data writes select the bank"),
    I2CEMU_PROP_UINT_("bank_mask", struct regbank_state, bank_mask, 0, 0, 255,
                      I2CEMU_PROP_HEX, "bank number bits in bank_reg "
                      "(contiguous); 0: no banks"),
    I2CEMU_PROP_UINT_("bank_start", struct regbank_state, bank_start, 0, 0,
                      255, I2CEMU_PROP_HEX, "first banked register"),
    I2CEMU_PROP_UINT_("bank_end", struct regbank_state, bank_end, 0, 0, 255,
                      I2CEMU_PROP_HEX,
                      "last banked register (not below bank_start)"),
    I2CEMU_PROP_STRING_("file", struct regbank_state, file, "", 0,
                        "i2cdump output (byte or word mode) to load"),
    I2CEMU_PROP_END,
};

static const struct i2cemu_field regbank_fields[] = {
    I2CEMU_FIELD("pointer", struct regbank_state, pointer,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("bank_sel", struct regbank_state, bank_sel,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("have_pointer", struct regbank_state, have_pointer,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("words", struct regbank_state, words, I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD("blocks", struct regbank_state, blocks,
                 I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_TAIL("bank_words", struct regbank_state, bank_words,
                      I2CEMU_FIELD_RUNTIME),
    I2CEMU_FIELD_END,
};

static const char regbank_doc[] =
    "Source: `src/devices/regbank.c`. A generic register bank with the\n"
    "semantics of one chip of Linux's i2c-stub (`drivers/i2c/i2c-stub.c`;\n"
    "`i2c-dev-abi.md` sections 6.3 and 6.4). It is the only type that may "
    "sit\n"
    "on a `stub`-profile bus.\n"
    "\n"
    "The bank properties are i2c-stub's module parameters of the same names,\n"
    "for one chip.\n"
    "\n"
    "State: an 8-bit pointer, 256 16-bit words, an SMBus block buffer per\n"
    "command byte (length and 32 bytes), and `bank_mask >> shift` banks of\n"
    "`bank_end - bank_start + 1` words. All of it starts at 0 and is shared "
    "by\n"
    "every client.\n"
    "\n"
    "### On a `stub` bus: i2c-stub exactly\n"
    "\n"
    "| transaction | effect |\n"
    "|---|---|\n"
    "| QUICK | success, no change |\n"
    "| send byte | pointer = command |\n"
    "| receive byte | low byte of word[pointer] (bank-aware); pointer + 1 "
    "(mod 256) |\n"
    "| write byte data | low byte of word[command] (bank-aware), high byte "
    "kept; a write to `bank_reg` selects a bank; pointer = command + 1 |\n"
    "| read byte data | low byte of word[command] (bank-aware); pointer = "
    "command + 1 |\n"
    "| write/read word data | word[command] (bank-aware); pointer unchanged "
    "|\n"
    "| I2C block (sizes 8 and 6) | length 0 or above 32: EINVAL; else "
    "clamped to 256 - command and written back to `block[0]`; low bytes of "
    "words[command...], high bytes kept; main array; pointer unchanged |\n"
    "| SMBus block write | length 0 or above 32: EINVAL; the command's "
    "buffer keeps the longest length written and any older tail; "
    "word[command] = (first byte << 8) \\| length |\n"
    "| SMBus block read | EOPNOTSUPP if the command was never block-written; "
    "else the buffer |\n"
    "| process calls, anything else | EOPNOTSUPP |\n"
    "\n"
    "The PEC flag is ignored. An address with no chip fails with ENODEV (the\n"
    "stub bus's NACK errno). Banks: a byte-data write of v to `bank_reg`\n"
    "selects bank `(v >> shift) & (bank_mask >> shift)`, where shift is the\n"
    "number of trailing zero bits of `bank_mask`; bank 0 is the main array.\n"
    "While a bank is selected, byte, byte-data and word accesses to "
    "registers\n"
    "`bank_start`-`bank_end` use it; block transfers always use the main "
    "array.\n"
    "The EINVAL for I2C block lengths is the fixed kernel's (upstream commit\n"
    "6036b5067a81); unfixed kernels overrun memory for lengths above 32.\n"
    "\n"
    "### 10-bit addresses\n"
    "\n"
    "`addr=0x150,tenbit=on` gives the chip a 10-bit address (0x000-0x3FF), for\n"
    "clients that set `I2C_TENBIT` (Linux's i2c-stub takes 7-bit addresses\n"
    "only). A 10-bit and a 7-bit device may share a number.\n"
    "\n"
    "### On a plain `i2c` bus: a byte-level register device\n"
    "\n"
    "The same storage behind a byte-register protocol, like most register "
    "chips:\n"
    "\n"
    "* the first byte of a write sets the pointer;\n"
    "* each further byte sets the low byte of word[pointer] (high byte kept;\n"
    "  a write to `bank_reg` selects a bank) and advances the pointer;\n"
    "* each byte read is the low byte of word[pointer] (bank-aware), and the\n"
    "  pointer advances; it wraps at 8 bits.\n"
    "\n"
    "Through the core's SMBus emulation this gives i2c-stub's results for "
    "send\n"
    "and receive byte, byte data and I2C block transfers (except that a "
    "block\n"
    "crossing 0xFF wraps to 0x00 instead of being clamped). A word read sees\n"
    "the low bytes of two consecutive registers, as on any byte-register "
    "chip,\n"
    "and SMBus block reads return the bytes at the command like any other "
    "read.\n"
    "\n"
    "### Loading an i2cdump\n"
    "\n"
    "`file=PATH` loads the text that `i2cdump` prints, so a dump of a real\n"
    "chip becomes an emulated one:\n"
    "\n"
    "```\n"
    "$ i2cdump -y 1 0x50 > chip.txt        # or: i2cdump -y 1 0x2d w\n"
    "$ i2cemu -d regbank,addr=0x50,file=chip.txt\n"
    "```\n"
    "\n"
    "* **Byte layout** (modes b, c, W, s, i): the header\n"
    "  `     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f` (with or "
    "without the\n"
    "  ASCII heading), then rows `00: 12 34 ...` of 16 cells; the ASCII "
    "column\n"
    "  is ignored. Each value sets the low byte of its register.\n"
    "* **Word layout** (mode w): the header `     0,8  1,9  2,a ...`, then "
    "rows\n"
    "  every 8 registers, `00: 1234 abcd ...`. Each value sets the whole "
    "word,\n"
    "  which is what a word read on a `stub` bus returns.\n"
    "* `XX` / `XXXX` (a failed read) and blank cells (registers outside an\n"
    "  `-r` range) leave the register at 0. Lines before the header "
    "(i2cdump's\n"
    "  prompt and warnings, when its stderr was captured too) and blank "
    "lines\n"
    "  are skipped; rows may be missing or out of order, and trailing blanks "
    "may\n"
    "  be stripped.\n"
    "* Anything else refuses the device with `PATH:LINE: what is wrong`, "
    "e.g.\n"
    "  `chip.txt:3: register 12: expected 2 hex digits, XX or blanks, not "
    "\"g4\"`,\n"
    "  `chip.txt:5: row 10 appears twice`, `chip.txt:4: expected a row such "
    "as\n"
    "  \"00: ...\" or the end of the dump`, `chip.txt:7: no i2cdump table "
    "header\n"
    "  (...)`.\n";

const struct i2cemu_device_type i2cemu_regbank = {
    .name = "regbank",
    .help = "generic register bank, the semantics of a Linux i2c-stub chip",
    .doc = regbank_doc,
    .props = regbank_props,
    .fields = regbank_fields,
    .state_size = sizeof(struct regbank_state),
    .tail_size = regbank_tail_size,
    .realize = regbank_realize,
    .state_check = regbank_state_check,
    .event = regbank_event,
    .send = regbank_send,
    .recv = regbank_recv,
    .smbus_xfer = regbank_smbus_xfer,
    .flags = I2CEMU_TYPE_TENBIT | I2CEMU_TYPE_CLIENT_SAFE,
};
