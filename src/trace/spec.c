/* SPDX-License-Identifier: MIT */
/* --trace FORMAT:FILE[,bus=N]: parsed, then opened into a sink. */
#include "trace/sink.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <i2cemu/device.h>

static const char *const formats[] = {
    [TRACE_TEXT] = "text",
    [TRACE_JSON] = "json",
    [TRACE_VCD] = "vcd",
    [TRACE_PCAP] = "pcap",
};

/* A ",bus=N" at the end of s: where it starts, and N in *bus (-2 when N
 * is not a bus number). */
static const char *bus_suffix(const char *s, int *bus)
{
    const char *c = strrchr(s, ',');
    char *end;

    *bus = -1;
    if (!c || strncmp(c, ",bus=", 5) != 0)
        return s + strlen(s);
    errno = 0;
    long n = strtol(c + 5, &end, 10);
    *bus = c[5] >= '0' && c[5] <= '9' && !*end && !errno && n <= INT_MAX
               ? (int)n : -2;
    return c;
}

int trace_spec_parse(const char *s, struct trace_spec *spec,
                     struct i2cemu_error *err)
{
    const char *colon = strchr(s, ':');
    size_t flen = colon ? (size_t)(colon - s) : strlen(s);
    unsigned f = 0;

    *spec = (struct trace_spec){ .bus = -1 };
    while (f < sizeof(formats) / sizeof(*formats) &&
           (strlen(formats[f]) != flen || strncmp(s, formats[f], flen) != 0))
        f++;
    if (f == sizeof(formats) / sizeof(*formats)) {
        i2cemu_error_set(err, "--trace %s: unknown format '%.*s' (text, "
                         "json, vcd or pcap)", s, (int)flen, s);
        return -1;
    }
    if (!colon) {
        i2cemu_error_set(err, "--trace %s: expected FORMAT:FILE", s);
        return -1;
    }
    const char *path = colon + 1, *end = bus_suffix(path, &spec->bus);
    spec->format = f;
    if (spec->bus == -2) {
        i2cemu_error_set(err, "--trace %s: bus=%s: expected a bus number",
                         s, end + 5);
        return -1;
    }
    if (end == path) {
        i2cemu_error_set(err, "--trace %s: no file name", s);
        return -1;
    }
    if (end - path == 1 && *path == '-' &&
        (f == TRACE_VCD || f == TRACE_PCAP)) {
        i2cemu_error_set(err, "--trace %s: write %s to a file, not to "
                         "standard output", s, formats[f]);
        return -1;
    }
    spec->path = strndup(path, (size_t)(end - path));
    if (!spec->path) {
        i2cemu_error_set(err, "out of memory");
        return -1;
    }
    return 0;
}

void trace_spec_fini(struct trace_spec *spec)
{
    free(spec->path);
    spec->path = NULL;
}

struct trace_sink *trace_spec_open(struct i2cemu_board *b,
                                   const struct trace_spec *spec, int *bus,
                                   struct i2cemu_error *err)
{
    const char *fmt = formats[spec->format];

    *bus = spec->bus < 0 ? -1 : i2cemu_bus_find(b, spec->bus);
    if (spec->bus >= 0 && *bus < 0) {
        i2cemu_error_set(err, "--trace %s:%s: there is no bus %d", fmt,
                         spec->path, spec->bus);
        return NULL;
    }
    if (spec->format == TRACE_VCD && *bus < 0) {
        if (i2cemu_bus_count(b) != 1) {
            i2cemu_error_set(err, "--trace %s:%s: a VCD shows one bus: "
                             "add ,bus=N", fmt, spec->path);
            return NULL;
        }
        *bus = 0;
    }

    bool std = strcmp(spec->path, "-") == 0;
    /* "e": not inherited by the command i2cemu runs. */
    FILE *f = std ? stdout : fopen(spec->path, "we");
    if (!f) {
        i2cemu_error_set(err, "--trace %s:%s: %s", fmt, spec->path,
                         strerror(errno));
        return NULL;
    }
    struct trace_sink *s = NULL;
    switch (spec->format) {
    case TRACE_TEXT:
        s = trace_text_sink_new(b, f);
        break;
    case TRACE_JSON:
        s = trace_json_new(b, f, NULL);
        break;
    case TRACE_VCD:
        s = trace_vcd_new(b, f, (unsigned)*bus);
        break;
    case TRACE_PCAP:
        s = trace_pcap_new(b, f, NULL);
        break;
    }
    if (!s) {
        trace_file_close(f);
        i2cemu_error_set(err, "out of memory");
        return NULL;
    }
    s->name = spec->path;
    return s;
}
