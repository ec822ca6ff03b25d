/* SPDX-License-Identifier: MIT */
/* Read-only memory images: an SPD or FRU dump served by an EEPROM model.
 * Never written back; a shorter file leaves erased cells after it. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <i2cemu/device.h>

#include "image.h"

int dev_image_load(const char *path, uint8_t *mem, size_t size,
                   const char *what, struct i2cemu_error *err)
{
    /* O_NONBLOCK: a FIFO must not hang the daemon before it is refused. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        i2cemu_error_set(err, "image=%s: %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        i2cemu_error_set(err, "image=%s: not a regular file", path);
        goto fail;
    }
    if (st.st_size > (off_t)size) {
        i2cemu_error_set(err, "image=%s: %lld bytes, but a %s holds %zu",
                         path, (long long)st.st_size, what, size);
        goto fail;
    }
    memset(mem, 0xFF, size);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, mem + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            i2cemu_error_set(err, "image=%s: %s", path,
                             n < 0 ? strerror(errno) : "shorter than it was");
            goto fail;
        }
        got += (size_t)n;
    }
    close(fd);
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    return -1;
}
