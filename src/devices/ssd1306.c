/* SPDX-License-Identifier: MIT */
/*
 * Solomon Systech SSD1306, the 128x64 OLED controller, on I2C, as Linux's
 * ssd130x-i2c drives it (its of_match "solomon,ssd1306": an I2C client
 * named "ssd1306"). Datasheet: "SSD1306 Advance Information" Rev 1.5,
 * 8.1.5 (I2C), 8.7 (GDDRAM), 9 (command table), 10 (commands).
 *
 * No registers behind a pointer: after the address come control bytes
 * (Co, D/C#) and, after each, command bytes or GDDRAM data. The commands
 * and the display RAM are here; what the glass shows is ssd1306_panel.c.
 */
#include "ssd1306.h"

#include <string.h>

/* What the next written byte of a message is (8.1.5.1). */
enum { PHASE_CONTROL, PHASE_ONE, PHASE_STREAM };

#define CO 0x80 /* continuation: one byte follows, then a control byte */
#define DC 0x40 /* D/C#: the bytes are GDDRAM data, not commands */

/* The length of the command that starts with `op`, arguments included
 * (Table 9-1); an undefined opcode is one byte, and ignored. */
static unsigned cmd_length(uint8_t op)
{
    switch (op) {
    case 0x26: case 0x27: /* horizontal scroll setup */
        return 7;
    case 0x29: case 0x2A: /* vertical and horizontal scroll setup */
        return 6;
    case 0x21: case 0x22: case 0xA3:
        return 3;
    case 0x20: case 0x23: case 0x81: case 0x8D: case 0xA8: case 0xD3:
    case 0xD5: case 0xD6: case 0xD9: case 0xDA: case 0xDB:
        return 2;
    default:
        return 1;
    }
}

/* One byte of display data, then the pointer moves (10.1.3-10.1.5). */
static void write_ram(struct ssd1306_state *s, uint8_t byte)
{
    s->ram[s->page][s->col] = byte;
    s->dirty = true;
    switch (s->addr_mode) {
    case 0: /* horizontal: along the column range, then the next page */
        if (s->col++ >= s->col_end) {
            s->col = s->col_start;
            if (s->page++ >= s->page_end)
                s->page = s->page_start;
        }
        break;
    case 1: /* vertical: down the page range, then the next column */
        if (s->page++ >= s->page_end) {
            s->page = s->page_start;
            if (s->col++ >= s->col_end)
                s->col = s->col_start;
        }
        break;
    default: /* page: along the page; the page stays */
        if (++s->col >= SSD1306_COLS)
            s->col = s->page_mode_col;
        break;
    }
}

/* A complete command in s->cmd (Table 9-1, section 10.1). */
static void run_command(struct ssd1306_state *s)
{
    const uint8_t *a = s->cmd + 1;
    uint8_t op = s->cmd[0];

    if (op <= 0x1F) { /* page mode column start, low or high nibble */
        s->page_mode_col = op < 0x10
                               ? (uint8_t)((s->page_mode_col & 0x70) | op)
                               : (uint8_t)((s->page_mode_col & 0x0F) |
                                           (op & 0x07) << 4);
        if (s->addr_mode == 2)
            s->col = s->page_mode_col;
    } else if (op >= 0x40 && op <= 0x7F) {
        s->start_line = op & 0x3F;
    } else if (op >= 0xB0 && op <= 0xB7) {
        if (s->addr_mode == 2)
            s->page = op & 0x07;
    } else {
        switch (op) {
        case 0x20:
            if ((a[0] & 3) != 3) /* 11b is invalid */
                s->addr_mode = a[0] & 3;
            break;
        case 0x21: /* also puts the pointer at the start */
            s->col = s->col_start = a[0] & 0x7F;
            s->col_end = a[1] & 0x7F;
            break;
        case 0x22:
            s->page = s->page_start = a[0] & 0x07;
            s->page_end = a[1] & 0x07;
            break;
        case 0x23: s->fade = a[0]; break;
        case 0x26: case 0x27: case 0x29: case 0x2A:
            memcpy(s->scroll, s->cmd, sizeof(s->scroll));
            break;
        case 0x2E: s->scrolling = false; break;
        case 0x2F: s->scrolling = true; break;
        case 0x81: s->contrast = a[0]; break;
        case 0x8D: s->charge_pump = a[0]; break;
        case 0xA0: case 0xA1: s->seg_remap = op & 1; break;
        case 0xA3: memcpy(s->vscroll, a, 2); break;
        case 0xA4: case 0xA5: s->entire_on = op & 1; break;
        case 0xA6: case 0xA7: s->inverse = op & 1; break;
        case 0xA8:
            if ((a[0] & 0x3F) >= 15) /* 0-14 are invalid */
                s->mux = a[0] & 0x3F;
            break;
        case 0xAE: case 0xAF: s->display_on = op & 1; break;
        case 0xC0: case 0xC8: s->com_remap = (op >> 3) & 1; break;
        case 0xD3: s->offset = a[0] & 0x3F; break;
        case 0xD5: s->clock = a[0]; break;
        case 0xD6: s->zoom = a[0] & 1; break;
        case 0xD9: s->precharge = a[0]; break;
        case 0xDA: s->com_pins = (a[0] & 0x30) | 0x02; break;
        case 0xDB: s->vcomh = a[0] & 0x70; break;
        default: break; /* E3h NOP, and undefined opcodes */
        }
    }
    s->dirty = true;
}

/* One command byte: an opcode or an argument of the pending command.
 * Arguments may come in later messages: Linux writes each byte of a
 * command in a transfer of its own. */
static void write_command(struct ssd1306_state *s, uint8_t byte)
{
    s->cmd[s->cmd_len++] = byte;
    if (s->cmd_len >= cmd_length(s->cmd[0])) {
        run_command(s);
        s->cmd_len = 0;
    }
}

static enum i2cemu_result ssd1306_event(struct i2cemu_dev *d,
                                        enum i2cemu_event ev)
{
    struct ssd1306_state *s = d->state;
    if (ev == I2CEMU_EV_START_SEND)
        s->phase = PHASE_CONTROL;
    if (s->dirty)
        ssd1306_render(s);
    return I2CEMU_ACK;
}

static enum i2cemu_result ssd1306_send(struct i2cemu_dev *d, uint8_t byte)
{
    struct ssd1306_state *s = d->state;
    switch (s->phase) {
    case PHASE_CONTROL: /* Co D/C# 0 0 0 0 0 0 */
        s->dc = (byte & DC) != 0;
        s->phase = byte & CO ? PHASE_ONE : PHASE_STREAM;
        return I2CEMU_ACK;
    case PHASE_ONE:
        s->phase = PHASE_CONTROL;
        break;
    default:
        break;
    }
    if (s->dc)
        write_ram(s, byte);
    else
        write_command(s, byte);
    return I2CEMU_ACK;
}

/* The datasheet gives I2C a write protocol only, and no read of GDDRAM
 * over a serial interface (9: "No data read is provided in serial mode
 * operation"); in read mode the part sends its status byte, as the
 * parallel interfaces' status read: D6 is 1 while the display is OFF. */
static uint8_t ssd1306_recv(struct i2cemu_dev *d)
{
    const struct ssd1306_state *s = d->state;
    return s->display_on ? 0x00 : 0x40;
}

/* A restored snapshot is a file: bring every value that indexes GDDRAM
 * or the command buffer back into the range the part's registers have. */
static void ssd1306_restored(struct i2cemu_dev *d)
{
    struct ssd1306_state *s = d->state;
    s->phase %= PHASE_STREAM + 1;
    if (s->cmd_len >= cmd_length(s->cmd[0]))
        s->cmd_len = 0;
    s->col &= 0x7F;
    s->col_start &= 0x7F;
    s->col_end &= 0x7F;
    s->page_mode_col &= 0x7F;
    s->page &= 0x07;
    s->page_start &= 0x07;
    s->page_end &= 0x07;
    s->dc = s->dc != 0;
    s->scrolling = s->scrolling != 0;
    s->display_on = s->display_on != 0;
    s->entire_on = s->entire_on != 0;
    s->inverse = s->inverse != 0;
    s->seg_remap = s->seg_remap != 0;
    s->com_remap = s->com_remap != 0;
    ssd1306_render(s);
}

/* Power on (RES#): the reset values of Table 9-1. */
static int ssd1306_realize(struct i2cemu_dev *d, struct i2cemu_error *err)
{
    struct ssd1306_state *s = d->state;
    uint16_t addr = i2cemu_dev_addr(d);
    if (addr != 0x3C && addr != 0x3D) {
        i2cemu_error_set(err, "addr=0x%02x: an ssd1306 answers at 0x3c or "
                         "0x3d (SA0)", addr);
        return -1;
    }
    if (s->height != 32 && s->height != 64) {
        i2cemu_error_set(err, "height=%u: expected 64 or 32", s->height);
        return -1;
    }
    if (s->rotation != 0 && s->rotation != 180) {
        i2cemu_error_set(err, "rotation=%u: expected 0 or 180", s->rotation);
        return -1;
    }
    s->contrast = 0x7F;
    s->addr_mode = 2;
    s->col_end = SSD1306_COLS - 1;
    s->page_end = SSD1306_PAGES - 1;
    s->mux = 63;
    s->com_pins = 0x12;
    s->clock = 0x80;
    s->precharge = 0x22;
    s->vcomh = 0x20;
    s->charge_pump = 0x10;
    s->vscroll[1] = 64;
    ssd1306_render(s);
    return 0;
}

static const struct i2cemu_prop ssd1306_props[] = {
    I2CEMU_PROP_UINT_("height", struct ssd1306_state, height, 64, 32, 64, 0,
                      "rows of the panel: 64 (128x64) or 32 (128x32, wired "
                      "for sequential COM pins)"),
    I2CEMU_PROP_UINT_("rotation", struct ssd1306_state, rotation, 180, 0,
                      180, 0, "how the glass is seen, 0 or 180: at 0 SEG0 "
                      "is the left column and COM0 the top row; 180, as on "
                      "the common modules, upright after A1h C8h"),
    I2CEMU_PROP_BOOL_("external_vcc", struct ssd1306_state, external_vcc,
                      false, 0, "VCC comes from outside; off: the panel "
                      "lights only with the charge pump on (8Dh 14h)"),
    I2CEMU_PROP_UINT_("brightness", struct ssd1306_state, brightness, 0, 0,
                      255, I2CEMU_PROP_READONLY,
                      "grey level of a lit pixel, from the contrast; 0 "
                      "while the panel is dark"),
    I2CEMU_PROP_STRING_("frame", struct ssd1306_state, frame, "",
                        I2CEMU_PROP_READONLY,
                        "what the panel shows: a line per row, # lit, . "
                        "dark"),
    I2CEMU_PROP_END,
};

#define F(n, m) I2CEMU_FIELD(n, struct ssd1306_state, m, I2CEMU_FIELD_RUNTIME)
static const struct i2cemu_field ssd1306_fields[] = {
    F("phase", phase), F("dc", dc), F("cmd", cmd), F("cmd_len", cmd_len),
    F("contrast", contrast), F("addr_mode", addr_mode),
    F("col_start", col_start), F("col_end", col_end),
    F("page_start", page_start), F("page_end", page_end),
    F("page_mode_col", page_mode_col), F("col", col), F("page", page),
    F("start_line", start_line), F("mux", mux), F("offset", offset),
    F("com_pins", com_pins), F("clock", clock), F("precharge", precharge),
    F("vcomh", vcomh), F("charge_pump", charge_pump), F("fade", fade),
    F("zoom", zoom), F("scroll", scroll), F("vscroll", vscroll),
    F("scrolling", scrolling), F("display_on", display_on),
    F("entire_on", entire_on), F("inverse", inverse),
    F("seg_remap", seg_remap), F("com_remap", com_remap), F("dirty", dirty),
    F("ram", ram),
    I2CEMU_FIELD_END,
};
#undef F

static const char ssd1306_doc[] =
    "Source: `src/devices/ssd1306.c` (controller) and\n"
    "`src/devices/ssd1306_panel.c` (what the glass shows), after Solomon\n"
    "Systech's \"SSD1306 Advance Information\" Rev 1.5: 8.1.5 (I2C), 8.7\n"
    "(GDDRAM), 8.8 (segment current), 9 (Table 9-1, the commands), 10.1.\n"
    "Linux's DRM driver `ssd130x-i2c` binds it by its compatible\n"
    "`solomon,ssd1306` (an I2C client named `ssd1306`), the older fbdev\n"
    "`ssd1307fb` by its id `ssd1306fb`: the two types are the same model.\n"
    "Both take the panel's size from the device tree (`solomon,width` and\n"
    "`height`, default 128x64): here the property `height`, 64 or 32.\n"
    "Addresses: 0x3c or 0x3d (SA0).\n"
    "\n"
    "* **I2C (8.1.5.1).** After the address, a control byte `Co D/C# 0 0 0\n"
    "  0 0 0`: with Co = 1 one byte follows and then another control byte;\n"
    "  with Co = 0 every further byte of the message follows. D/C# = 0: the\n"
    "  bytes are commands (Linux writes `00 cmd`), 1: GDDRAM data (`40\n"
    "  data...`). A command's argument bytes may come in later messages, as\n"
    "  Linux sends each byte in a transfer of its own; data bytes between\n"
    "  them go to GDDRAM and leave the command waiting. Every byte is\n"
    "  acknowledged.\n"
    "* **Reads.** The datasheet gives I2C a write protocol only and no\n"
    "  GDDRAM read on a serial interface; a read returns the status byte of\n"
    "  the parallel interfaces' status read: 0x40 (D6, display OFF) while\n"
    "  the display is off, else 0x00 (the other bits read 0 here). An\n"
    "  `i2cdump` of the power-on part is all 0x40.\n"
    "* **Commands** (Table 9-1), with their reset values: contrast 81h\n"
    "  (7Fh); entire display on A4h/A5h (A4h); normal/inverse A6h/A7h (A6h);\n"
    "  display off/on AEh/AFh (off); segment re-map A0h/A1h (A0h); COM scan\n"
    "  direction C0h/C8h (C0h); multiplex ratio A8h (63; 0-14 are invalid\n"
    "  and ignored); display offset D3h (0); start line 40h-7Fh (0); COM\n"
    "  pins DAh (12h); charge pump 8Dh (10h: off); addressing mode 20h (page;\n"
    "  11b is ignored); column range 21h (0-127) and page range 22h (0-7),\n"
    "  which also put the pointer at their start; page mode column start\n"
    "  00h-1Fh and page B0h-B7h, which move the pointer in page mode only.\n"
    "  Clock D5h (80h), pre-charge D9h (22h), VCOMH DBh (20h), fade 23h,\n"
    "  zoom D6h and the scroll setups (26h/27h, 29h/2Ah, A3h, 2Eh/2Fh) are\n"
    "  taken with their arguments and stored. Other opcodes (E3h NOP) are\n"
    "  one byte and ignored.\n"
    "* **GDDRAM** (8.7): 8 pages of 128 columns; a data byte is 8 rows of a\n"
    "  column, D0 at the top. The pointer moves after each byte (10.1.3):\n"
    "  horizontal mode along the column range, then to the next page of the\n"
    "  page range, wrapping to the start of both; vertical mode down the\n"
    "  page range, then to the next column; page mode along the page, after\n"
    "  column 127 back to the page mode column start, the page unchanged.\n"
    "* **The panel.** COM pin c shows display row (c + offset) mod 64 if\n"
    "  that is below the multiplex ratio (else its row stays dark), counted\n"
    "  backwards with C8h, which shows GDDRAM row (row + start line) mod 64.\n"
    "  A module is wired for the COM pins configuration its height needs:\n"
    "  alternative (12h) for 64 rows, sequential (02h, Linux's\n"
    "  `solomon,com-seq`) for 32; another one interleaves or drops rows as\n"
    "  on the glass (Table 10-3; the left/right remap swaps the halves).\n"
    "  A1h shows column 127 at SEG0. At `rotation=0` SEG0 is the left\n"
    "  column and COM0's row the top one, as the datasheet draws the glass.\n"
    "  The default, 180, is the common 0.96\" and 0.91\" modules, seen with\n"
    "  their pins at the top: SEG0 on the right, COM0 at the bottom, so the\n"
    "  usual set-up (A1h C8h: Adafruit's, luma.oled's and u8g2's drivers,\n"
    "  Linux with `solomon,com-invdir`) shows upright, and Linux's default\n"
    "  (A1h C0h) upside down, as on those modules. A7h shows 0 bits lit,\n"
    "  A5h lights every scanned pixel. The\n"
    "  panel is dark while the display is off, and without VCC: unless\n"
    "  `external_vcc` is on, the charge pump must be enabled (8Dh 14h).\n"
    "* **Looking at it.** `frame` (read-only) is what the panel shows, a\n"
    "  line of 128 characters per row, `#` lit and `.` dark, updated at\n"
    "  the end of each message (the next START or STOP). `brightness`\n"
    "  (read-only) is the grey level of a lit pixel, (contrast + 1) x 255\n"
    "  / 256 rounded, as the segment current is proportional to the\n"
    "  contrast (8.8), or 0 while the panel is dark. `i2cemu ctl get DEV\n"
    "  frame` prints the frame; `i2cemu ctl screenshot DEV FILE.png`\n"
    "  writes it as a greyscale PNG ([control.md](control.md)).\n"
    "* **Not modelled:** scrolling, fading, blinking and zoom (stored, not\n"
    "  shown), the oscillator and frame timing, pre-charge and VCOMH levels,\n"
    "  the parallel and SPI interfaces. GDDRAM is not cleared by a reset on\n"
    "  the real part (its power-on content is undefined); here it starts\n"
    "  all 0.\n";

/* Two Linux names: the DRM driver ssd130x-i2c matches the client name
 * against its compatible "solomon,ssd1306"; the older fbdev ssd1307fb
 * has the i2c_device_id "ssd1306fb". */
#define SSD1306(id, help_)                                                    \
    const struct i2cemu_device_type i2cemu_##id = {                           \
        .name = #id,                                                          \
        .family = "SSD1306 OLED display controller",                          \
        .doc = ssd1306_doc,                                                   \
        .help = help_,                                                        \
        .props = ssd1306_props,                                               \
        .fields = ssd1306_fields,                                             \
        .state_size = sizeof(struct ssd1306_state),                           \
        .realize = ssd1306_realize,                                           \
        .restored = ssd1306_restored,                                         \
        .event = ssd1306_event,                                               \
        .send = ssd1306_send,                                                 \
        .recv = ssd1306_recv,                                                 \
    }

SSD1306(ssd1306, "SSD1306 128x64 or 128x32 monochrome OLED display, at 0x3c "
        "or 0x3d");
SSD1306(ssd1306fb, "SSD1306 OLED display by its fbdev (ssd1307fb) name, at "
        "0x3c or 0x3d");
