/* SPDX-License-Identifier: MIT */
/* The SSD1306 model's state, shared by its controller (ssd1306.c) and its
 * panel (ssd1306_panel.c, what the glass shows). */
#ifndef I2CEMU_DEVICES_SSD1306_H
#define I2CEMU_DEVICES_SSD1306_H

#include <stdbool.h>
#include <stdint.h>

#include "devices.h"

enum {
    SSD1306_COLS = 128,
    SSD1306_PAGES = 8,
    SSD1306_ROWS = 64, /* GDDRAM rows, COM0-COM63 */
    /* The text frame: a line of 128 characters per panel row, rows
     * separated by '\n', then the NUL. */
    SSD1306_FRAME_SIZE = SSD1306_ROWS * (SSD1306_COLS + 1),
};

struct ssd1306_state {
    /* properties */
    uint8_t height;     /* rows of glass: 64 or 32 */
    uint16_t rotation;  /* 0 or 180: how the module is mounted */
    bool external_vcc;  /* VCC supplied from outside, not the charge pump */
    uint8_t brightness; /* read-only: grey level of a lit pixel, 0-255 */
    char frame[SSD1306_FRAME_SIZE]; /* read-only: what the panel shows */

    /* the I2C interface (datasheet 8.1.5) */
    uint8_t phase; /* what the next byte written is: enum in ssd1306.c */
    uint8_t dc;    /* D/C# of the last control byte: 1 GDDRAM data */
    /* the command decoder: a command and its arguments so far */
    uint8_t cmd[7];
    uint8_t cmd_len;

    /* the command registers (datasheet 9, Table 9-1); flags are 0 or 1
     * (uint8_t: a snapshot file may hold any byte) */
    uint8_t contrast;                /* 81h */
    uint8_t addr_mode;               /* 20h: 0 horiz., 1 vert., 2 page */
    uint8_t col_start, col_end;      /* 21h */
    uint8_t page_start, page_end;    /* 22h */
    uint8_t page_mode_col;           /* 00h-1Fh: page mode column start */
    uint8_t col, page;               /* the GDDRAM pointer */
    uint8_t start_line;              /* 40h-7Fh */
    uint8_t mux;                     /* A8h: multiplex ratio - 1 */
    uint8_t offset;                  /* D3h */
    uint8_t com_pins;                /* DAh */
    uint8_t clock, precharge, vcomh; /* D5h, D9h, DBh: stored only */
    uint8_t charge_pump;             /* 8Dh */
    uint8_t fade, zoom;              /* 23h, D6h: stored only */
    uint8_t scroll[7];               /* 26h/27h/29h/2Ah: the last setup */
    uint8_t vscroll[2];              /* A3h */
    uint8_t scrolling;               /* 2Fh / 2Eh */
    uint8_t display_on;              /* AEh / AFh */
    uint8_t entire_on;               /* A4h / A5h */
    uint8_t inverse;                 /* A6h / A7h */
    uint8_t seg_remap;               /* A0h / A1h */
    uint8_t com_remap;               /* C0h / C8h */
    uint8_t dirty;                   /* frame is behind the registers */
    uint8_t ram[SSD1306_PAGES][SSD1306_COLS]; /* GDDRAM */
};

/* Recompute `frame` and `brightness` from the registers and GDDRAM. */
void ssd1306_render(struct ssd1306_state *s);

#endif
