/* SPDX-License-Identifier: MIT */
/*
 * What an SSD1306 module's glass shows: GDDRAM through the display
 * start line, the multiplex ratio, the display offset, the COM scan
 * direction, the COM pins configuration and the segment re-map
 * (datasheet 10.1.6-10.1.18, Tables 10-1 to 10-3), with normal/inverse,
 * entire display ON, display ON/OFF, the supply and the contrast.
 */
#include "ssd1306.h"

/*
 * Where COM pin c lands on the datasheet's reference glass (Table 10-3),
 * under COM pins configuration `cfg` (DAh): sequential (A[4] = 0) or
 * alternative (A[4] = 1, the two halves interleaved), and A[5], the
 * left/right remap, which swaps the halves.
 */
static unsigned com_position(uint8_t cfg, unsigned c)
{
    bool lr = cfg & 0x20;
    if (!(cfg & 0x10))
        return lr ? (c + 32) % 64 : c;
    return (c < 32 ? 2 * c : 2 * (c - 32) + 1) ^ (lr ? 1u : 0u);
}

/* The glass row a COM pin drives. A module is wired for the configuration
 * its height needs (Linux: solomon,com-seq for 32 rows): alternative for
 * 64 rows (the power-on 12h), sequential for 32 (02h). Other
 * configurations interleave or drop rows, as on the real module. */
static unsigned glass_row(const struct ssd1306_state *s, unsigned c)
{
    unsigned p = com_position(s->com_pins, c);
    if (s->height == 32)
        return p; /* rows 32-63 are not on the glass */
    return p % 2 ? 32 + p / 2 : p / 2;
}

/* The GDDRAM row COM pin c shows, or -1 if the pin is not scanned. */
static int ram_row(const struct ssd1306_state *s, unsigned c)
{
    unsigned n = s->mux + 1u;
    unsigned l = (c + s->offset) % SSD1306_ROWS; /* D3h shifts the COMs */
    if (l >= n)
        return -1;
    unsigned k = s->com_remap ? n - 1 - l : l; /* C8h: COM[N-1] first */
    return (int)((k + s->start_line) % SSD1306_ROWS);
}

void ssd1306_render(struct ssd1306_state *s)
{
    int rows[SSD1306_ROWS];
    unsigned h = s->height, w = SSD1306_COLS;
    /* Without VCC (the charge pump off and none from outside) or in
     * sleep (AEh) nothing lights. */
    bool lit = s->display_on && (s->external_vcc || (s->charge_pump & 0x04));
    char *out = s->frame;

    for (unsigned y = 0; y < h; y++)
        rows[y] = -1;
    for (unsigned c = 0; c < SSD1306_ROWS; c++) {
        unsigned y = glass_row(s, c);
        if (y < h)
            rows[y] = ram_row(s, c);
    }
    /* Segment current: ISEG = contrast / 256 x IREF x 8 (8.8). */
    s->brightness = lit ? (uint8_t)(((s->contrast + 1u) * 255 + 128) / 256)
                        : 0;
    for (unsigned i = 0; i < h; i++) {
        unsigned y = s->rotation == 180 ? h - 1 - i : i;
        for (unsigned j = 0; j < w; j++) {
            unsigned x = s->rotation == 180 ? w - 1 - j : j;
            unsigned col = s->seg_remap ? w - 1 - x : x; /* A1h */
            bool on = false;
            if (lit && rows[y] >= 0) {
                unsigned r = (unsigned)rows[y];
                bool bit = (s->ram[r / 8][col] >> (r % 8)) & 1;
                on = s->entire_on || (bit != s->inverse);
            }
            *out++ = on ? '#' : '.';
        }
        if (i + 1 < h)
            *out++ = '\n';
    }
    *out = '\0';
    s->dirty = false;
}
