/* SPDX-License-Identifier: MIT */
/*
 * `i2cemu ctl screenshot DEV FILE.png`: the client, not the daemon,
 * writes the file. The daemon may run as another user (root, for CUSE)
 * and must not write where a client names; it sends the frame as a
 * read-only property and we encode it here, with libpng's simplified
 * write API.
 */
#include "cli/screenshot.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

/* The frame's width and height; false if it is not rows of '#' and '.'
 * of one length. */
static bool frame_size(const char *frame, unsigned *w, unsigned *h)
{
    size_t width = strcspn(frame, "\n"), rows = 0;

    if (width == 0 || width > 4096)
        return false;
    for (const char *p = frame;; p += width + 1) {
        if (strspn(p, "#.") != width || (p[width] != '\n' && p[width]))
            return false;
        if (++rows > 4096)
            return false;
        if (!p[width])
            break;
    }
    *w = (unsigned)width;
    *h = (unsigned)rows;
    return true;
}

int cli_screenshot_write(const char *path, const char *frame, unsigned level,
                         char *err, size_t errlen)
{
    png_image image = { .version = PNG_IMAGE_VERSION,
                        .format = PNG_FORMAT_GRAY };
    unsigned w, h;
    png_byte *pixels;

    if (level > 255 || !frame_size(frame, &w, &h)) {
        snprintf(err, errlen, "the device's frame is not an image");
        return -1;
    }
    pixels = malloc((size_t)w * h);
    if (!pixels) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++)
            pixels[(size_t)y * w + x] =
                frame[(size_t)y * (w + 1) + x] == '#' ? (png_byte)level : 0;
    image.width = w;
    image.height = h;
    /* On failure libpng removes what it wrote and says why (the
     * system's reason when the file cannot be opened). */
    if (!png_image_write_to_file(&image, path, 0, pixels, 0, NULL)) {
        snprintf(err, errlen, "%s: %s", path, image.message);
        png_image_free(&image);
        free(pixels);
        return -1;
    }
    free(pixels);
    return 0;
}

int cli_screenshot_save(const json_t *reply, const char *path)
{
    const json_t *props = json_object_get(reply, "props");
    const char *frame = json_string_value(
        json_object_get(json_object_get(props, "frame"), "value"));
    const char *level = json_string_value(
        json_object_get(json_object_get(props, "brightness"), "value"));
    char err[512], *end = NULL;
    unsigned long grey = level ? strtoul(level, &end, 0) : 0;

    if (!frame || !level || !*level || *end) {
        fprintf(stderr, "i2cemu ctl: screenshot: the reply has no frame\n");
        return 1;
    }
    if (cli_screenshot_write(path, frame, grey > 255 ? 256 : (unsigned)grey,
                             err, sizeof(err)) < 0) {
        fprintf(stderr, "i2cemu ctl: screenshot: %s\n", err);
        return 1;
    }
    return 0;
}
