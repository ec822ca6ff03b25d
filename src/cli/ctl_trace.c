/* SPDX-License-Identifier: MIT */
/*
 * `i2cemu ctl trace [--bus N]`: the daemon's bus events, as JSON lines
 * (docs/traces.md), printed as they come until the daemon goes away or
 * the user interrupts: then the stream is stopped cleanly, so its last
 * "dropped" line, if any, is printed too.
 */
#include "cli/ctl.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#define MAX_LINE 65536

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int send_line(int fd, const char *line)
{
    size_t len = strlen(line);

    for (size_t off = 0; off < len;) {
        ssize_t n = send(fd, line + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

/* A reply line, not an event: every reply starts with "ok". */
static bool is_reply(const char *line)
{
    return strncmp(line, "{\"ok\":", 6) == 0;
}

/* Handle one line. Returns -1 to go on, else the exit status. */
static int line_in(char *line, bool *started)
{
    if (!is_reply(line)) {
        puts(line);
        fflush(stdout);
        return ferror(stdout) ? 1 : -1;
    }
    if (strncmp(line, "{\"ok\":true", 10) != 0) {
        json_t *r = json_loads(line, 0, NULL);
        const char *e = json_string_value(json_object_get(r, "error"));
        fprintf(stderr, "i2cemu ctl: %s\n", e ? e : line);
        json_decref(r);
        return 1;
    }
    if (*started)
        return 0; /* the reply to our stop: the stream has ended */
    *started = true;
    return -1;
}

int cli_ctl_trace(int fd, int bus)
{
    struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART */
    char req[64], *buf = malloc(MAX_LINE + 1);
    size_t got = 0;
    bool started = false, stopping = false;
    int status = -1;

    if (!buf) {
        fprintf(stderr, "i2cemu ctl: out of memory\n");
        return 1;
    }
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (bus >= 0)
        snprintf(req, sizeof(req), "{\"op\":\"trace\",\"bus\":%d}\n", bus);
    else
        snprintf(req, sizeof(req), "{\"op\":\"trace\"}\n");
    if (send_line(fd, req) < 0) {
        fprintf(stderr, "i2cemu ctl: cannot send: %s\n", strerror(errno));
        free(buf);
        return 1;
    }
    while (status < 0) {
        if (interrupted && started && !stopping) {
            stopping = true;
            if (send_line(fd, "{\"op\":\"trace\",\"action\":\"stop\"}\n") < 0)
                break;
        } else if (interrupted && !started) {
            status = 1;
            break;
        }
        ssize_t n = read(fd, buf + got, MAX_LINE - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            /* The daemon stopped: the stream ends with it. */
            status = started ? 0 : 1;
            if (!started)
                fprintf(stderr, "i2cemu ctl: the daemon closed the "
                        "connection without a reply\n");
            break;
        }
        got += (size_t)n;
        char *start = buf, *nl;
        while (status < 0 && (nl = memchr(start, '\n', got - (size_t)(start -
                                                                     buf)))) {
            *nl = '\0';
            status = line_in(start, &started);
            start = nl + 1;
        }
        got -= (size_t)(start - buf);
        memmove(buf, start, got);
        if (got == MAX_LINE) {
            fprintf(stderr, "i2cemu ctl: line too long\n");
            status = 1;
        }
    }
    free(buf);
    return status < 0 ? 0 : status;
}
