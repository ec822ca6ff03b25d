/* SPDX-License-Identifier: MIT */
/*
 * The replay type (src/devices/replay.c, replay_parse.c): recordings in
 * the format of docs/record-replay.md, replayed in strict and register
 * mode through the bus, and refused with the line that is wrong.
 */
#include <errno.h>
#include <unistd.h>

#include "devtest.h"

static char path[64];

/* A recording file holding the header and `body`. */
static const char *recording(const char *body)
{
    FILE *f;

    snprintf(path, sizeof(path), "/tmp/i2cemu-replay-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f, "# i2cemu-recording 1\n%s", body);
    assert_int_equal(fclose(f), 0);
    return path;
}

static unsigned add(struct bench *t, const char *body, const char *extra)
{
    char spec[160];

    snprintf(spec, sizeof(spec), "replay,addr=0x50,file=%s%s",
             recording(body), extra);
    unsigned dev = bench_add(t, spec);
    unlink(path);
    return dev;
}

static void refused(const char *body, const char *what)
{
    struct bench t;
    char spec[160];

    bench_init(&t, I2CEMU_CLOCK_FAST);
    snprintf(spec, sizeof(spec), "replay,addr=0x50,file=%s",
             recording(body));
    bench_refuse(&t, spec, what);
    unlink(path);
    bench_fini(&t);
}

static const char *prop(struct bench *t, unsigned dev, const char *name)
{
    static char out[300];

    assert_true(i2cemu_device_get(t->b, dev, name, out, sizeof(out),
                                  &t->err) >= 0);
    return out;
}

/* CRC-8/SMBUS, bit by bit: the reference for the PEC the device sends. */
static uint8_t crc8(const uint8_t *p, size_t n)
{
    uint8_t crc = 0;

    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (uint8_t)(crc & 0x80 ? crc << 1 ^ 0x07 : crc << 1);
    }
    return crc;
}

static const char session[] =
    "i2c-1 smbus 50:r byte_data 10 ->5a = 0\n"
    "# a comment, and a blank line\n"
    "\n"
    "i2c-1 rdwr 50:w:20 50:r:0102 = 2\n"
    "i2c-1 rdwr 48:w:00 48:r:1900 = 2\n"       /* another device */
    "i2c-2 smbus 50:r byte_data 10 ->77 = 0\n" /* another bus */
    "i2c-1 smbus 50:w word_data 30 3412> = 0\n"
    "i2c-1 write 50:w:40aa = 2\n"
    "i2c-1 read 50:r:bbcc = 2\n"
    "i2c-1 rdwr 50:w:10 50:r:?1 = -1 ENXIO\n";

static void strict_replays_the_session_in_order(void **state)
{
    struct bench t;
    uint8_t r[2];

    (void)state;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = add(&t, session, "");
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), r, 1), 2);
    assert_int_equal(r[0], 0x5a);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x20), r, 2), 2);
    assert_bytes(r, 0x01, 0x02);
    /* Recorded as on the wire: low byte first. */
    bench_write(&t, 0x50, 0x30, 0x34, 0x12);
    bench_write(&t, 0x50, 0x40, 0xaa);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, r, 2), 1);
    assert_bytes(r, 0xbb, 0xcc);
    /* It failed when recorded: it fails again, at the address. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), r, 1), -ENXIO);
    assert_string_equal(prop(&t, dev, "replayed"), "6");
    assert_string_equal(prop(&t, dev, "mismatches"), "0");
    assert_false(i2cemu_device_line(t.b, dev, 0));

    /* The recording has ended. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), r, 1), -ENXIO);
    assert_string_equal(prop(&t, dev, "mismatches"), "1");
    assert_true(i2cemu_device_line(t.b, dev, 0));
    bench_fini(&t);
}

static void strict_reports_a_mismatch_once(void **state)
{
    struct bench t;
    uint8_t r[2];

    (void)state;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = add(&t, session, "");
    /* Another register: NACKed at the byte, with both requests named. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x11), r, 1), -EIO);
    assert_string_equal(prop(&t, dev, "mismatches"), "1");
    assert_non_null(strstr(prop(&t, dev, "last_mismatch"),
                           "transfer 1 ("));
    assert_non_null(strstr(prop(&t, dev, "last_mismatch"),
                           " line 2): expected \"W 10, R 1\", got \"W 11\": "
                           "another byte"));
    assert_true(i2cemu_device_line(t.b, dev, 0));
    /* It used up transfer 1; transfer 2 answers as recorded. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x20), r, 2), 2);
    assert_bytes(r, 0x01, 0x02);
    /* A read where a write was recorded: NACKed at the address. */
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, r, 2), -ENXIO);
    assert_non_null(strstr(prop(&t, dev, "last_mismatch"),
                           "expected \"W 30 34 12\", got \"R\": another "
                           "direction"));
    /* Fewer bytes than recorded: the transfer ended early. */
    bench_write(&t, 0x50, 0x40);
    assert_non_null(strstr(prop(&t, dev, "last_mismatch"),
                           "expected \"W 40 aa\", got \"W 40\": the transfer "
                           "ended early"));
    assert_string_equal(prop(&t, dev, "mismatches"), "3");
    assert_string_equal(prop(&t, dev, "replayed"), "1");
    bench_fini(&t);
}

static void smbus_pec_and_blocks_become_wire_bytes(void **state)
{
    struct bench t;
    uint8_t r[8];

    (void)state;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    add(&t,
        "i2c-1 smbus 50:rp byte_data 10 ->5a = 0\n"
        "i2c-1 smbus 50:r block_data 20 ->03aabbcc = 0\n"
        "i2c-1 smbus 50:r i2c_block_data 00 02>020102 = 0\n"
        "i2c-1 smbus 50:wp byte_data 10 7e> = 0\n"
        "i2c-1 smbus 50:r byte 00 ->42 = 0\n"
        "i2c-1 smbus 50:w quick 00 - = 0\n", "");
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), r, 2), 2);
    assert_int_equal(r[0], 0x5a);
    assert_int_equal(r[1], crc8(BYTES(0xa0, 0x10, 0xa1, 0x5a)));
    /* A block read: the count, then the data. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x20), r, 4), 2);
    assert_bytes(r, 0x03, 0xaa, 0xbb, 0xcc);
    /* An I2C block read: the data alone. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x00), r, 2), 2);
    assert_bytes(r, 0x01, 0x02);
    /* A write with PEC carries it as its last byte. */
    uint8_t pec = crc8(BYTES(0xa0, 0x10, 0x7e));
    assert_int_equal(bench_xfer(&t, 0x50, (uint8_t[]){ 0x10, 0x7e, pec }, 3,
                                NULL, 0), 1);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, r, 1), 1);
    assert_int_equal(r[0], 0x42);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, NULL, 0), 1);
    bench_fini(&t);
}

static void register_mode_answers_any_order(void **state)
{
    struct bench t;
    uint8_t r[4];

    (void)state;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    add(&t, session, ",mode=register");
    /* Folded: 10=5a, 20..21=01 02, 30..31=34 12, 40=aa, 41..42=bb cc
     * (a read goes on from the pointer), nothing else. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x40), r, 3), 2);
    assert_bytes(r, 0xaa, 0xbb, 0xcc);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x1f), r, 3), 2);
    assert_bytes(r, 0xff, 0x01, 0x02);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), r, 1), 2);
    assert_int_equal(r[0], 0x5a);
    /* Writes are kept; reads go on from the pointer. */
    bench_write(&t, 0x50, 0x30, 0x99);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x30), r, 1), 2);
    assert_int_equal(r[0], 0x99);
    assert_int_equal(bench_xfer(&t, 0x50, NULL, 0, r, 1), 1);
    assert_int_equal(r[0], 0x12);
    bench_fini(&t);
}

static void recorded_bus_picks_another_bus(void **state)
{
    struct bench t;
    uint8_t r[1];

    (void)state;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    add(&t, session, ",recorded_bus=2");
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), r, 1), 2);
    assert_int_equal(r[0], 0x77);
    bench_fini(&t);
}

/* Each failure as the device can make the master report it: an address
 * NACK (the bus's errno), a written byte NACKed (EIO), a written byte
 * stretched past the timeout (ETIMEDOUT), a block count of 0 (EPROTO). */
static void failures_replay_with_their_errno(void **state)
{
    struct bench t;
    uint8_t r[40];
    struct i2c_msg block[] = {
        {.addr = 0x50, .len = 1, .buf = (uint8_t[]){0x20}},
        {.addr = 0x50, .flags = I2C_M_RD | I2C_M_RECV_LEN, .len = 1,
         .buf = r}};

    (void)state;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    unsigned dev = add(
        &t,
        "i2c-1 rdwr 50:w:10 50:r:?1 = -1 EIO\n"
        "i2c-1 smbus 50:w byte_data 11 22> = -1 ETIMEDOUT\n"
        "i2c-1 smbus 50:r block_data 20 ->- = -1 EPROTO\n"
        "i2c-1 rdwr 50:r:?2 50:w:30 = -1 EIO\n"
        "i2c-1 smbus 50:r byte_data 10 ->5a = 0\n", "");
    bench_trace_on(&t);
    /* EIO: the first byte written is NACKed, nothing is read. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), r, 1), -EIO);
    assert_string_equal(bench_trace(&t), "S 50 W A 10 N P\n");
    bench_trace_clear(&t);
    /* ETIMEDOUT: the device holds SCL after the command byte. */
    uint64_t t0 = i2cemu_loop_now(t.loop);
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x11, 0x22), NULL, 0),
                     -ETIMEDOUT);
    assert_true(i2cemu_loop_now(t.loop) - t0 >= 1000 * MS);
    /* The byte whose ACK never came is not traced. */
    assert_string_equal(bench_trace(&t), "S 50 W A P\n");
    bench_trace_clear(&t);
    /* EPROTO: a count of 0, NACKed by the master. */
    assert_int_equal(bench_transfer(&t, bench_bus(&t, 1), block, 2),
                     -EPROTO);
    assert_string_equal(bench_trace(&t), "S 50 W A 20 A Sr 50 R A 00 N P\n");
    bench_trace_clear(&t);
    /* EIO after a read: the read reads 0xff, the write's byte is NACKed. */
    struct i2c_msg rw[] = {
        {.addr = 0x50, .flags = I2C_M_RD, .len = 2, .buf = r},
        {.addr = 0x50, .len = 1, .buf = (uint8_t[]){0x30}}};
    assert_int_equal(bench_transfer(&t, bench_bus(&t, 1), rw, 2), -EIO);
    assert_string_equal(bench_trace(&t),
                        "S 50 R A ff A ff N Sr 50 W A 30 N P\n");
    /* They were replayed as recorded, and the session goes on. */
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), r, 1), 2);
    assert_int_equal(r[0], 0x5a);
    assert_string_equal(prop(&t, dev, "replayed"), "5");
    assert_string_equal(prop(&t, dev, "mismatches"), "0");
    bench_fini(&t);
}

/* An address NACK replays with the bus's errno, which must be the
 * recorded one. */
static void an_address_nack_takes_the_bus_errno(void **state)
{
    struct bench t;
    uint8_t r[1];

    (void)state;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    assert_true(i2cemu_bus_add_spec(t.b, "1 nack=EREMOTEIO", &t.err) >= 0);
    add(&t, "i2c-1 smbus 50:r byte_data 10 ->- = -1 EREMOTEIO\n", "");
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), r, 1), -EREMOTEIO);
    bench_fini(&t);
    refused("i2c-1 smbus 50:r byte_data 10 ->- = -1 EREMOTEIO\n",
            ":2: EREMOTEIO cannot be replayed: an address NACK on i2c-1 is "
            "ENXIO (a bus with nack=EREMOTEIO replays it)");
}

/* What the device cannot make the master report is refused at load. */
static void unreplayable_failures_are_refused(void **state)
{
    (void)state;
    refused("i2c-1 smbus 50:r byte_data 10 ->5a = 0\n"
            "i2c-1 rdwr 50:w:10 = -1 EAGAIN\n",
            ":3: EAGAIN cannot be replayed: a device at 0x50 on i2c-1 fails "
            "a transfer with ENXIO (its address NACKed), EIO (a written byte "
            "NACKed), ETIMEDOUT (a written byte stretched) or EPROTO (a "
            "block count)");
    refused("i2c-1 read 50:r:?1 = -1 EIO\n",
            ":2: EIO cannot be replayed: the transfer writes no byte to "
            "NACK");
    refused("i2c-1 smbus 50:r byte 00 ->- = -1 ETIMEDOUT\n",
            ":2: ETIMEDOUT cannot be replayed: the transfer writes no byte "
            "to stretch");
    refused("i2c-1 smbus 50:r byte_data 10 ->- = -1 EPROTO\n",
            ":2: EPROTO cannot be replayed: the transfer has no SMBus block "
            "read");
    /* Register mode replays no failure, and refuses none. */
    struct bench t;
    uint8_t r[1];
    bench_init(&t, I2CEMU_CLOCK_FAST);
    add(&t, "i2c-1 smbus 50:r byte_data 10 ->5a = 0\n"
            "i2c-1 rdwr 50:w:10 = -1 EAGAIN\n", ",mode=register");
    assert_int_equal(bench_xfer(&t, 0x50, BYTES(0x10), r, 1), 2);
    assert_int_equal(r[0], 0x5a);
    bench_fini(&t);
}

static void bad_recordings_are_refused_with_the_line(void **state)
{
    (void)state;
    refused("i2c-1 rdwr 50:w:10 = 2\n", ":2: 1 messages, but the result is 2");
    refused("\ni2c-1 rdwr 50:x:10 = 1\n", ":3: \"50:x:10\": expected r or w");
    refused("i2c-1 rdwr 50:w:1 = 1\n", "expected pairs of hex digits");
    refused("i2c-1 rdwr 50:w:zz = 1\n", "\"zz\" is not hex");
    refused("i2c-1 rdwr 50:wn:10 = 1\n", "flag 'n' cannot be replayed");
    refused("i2c-1 rdwr 90:w:10 = 1\n", "address 90 needs the t");
    refused("i2c-1 rdwr 50:r:?1 = 1\n", "?N (bytes not read) is for a read "
            "of a failed transfer");
    refused("i2c-1 rdwr 50:r:- = -1 ENXIO\n", "a failed transfer read "
            "nothing: ?N");
    refused("i2c-1 rdwr 50:w:10 = -1 EWHAT\n", "a failure is \"= -1 ERRNO\"");
    refused("i2c-1 rdwr 50:w:10 = 1 x\n", "\"x\" after the result");
    refused("i2c-1 teleport 50:w:10 = 1\n", "unknown kind \"teleport\"");
    refused("i2c-1 smbus 50:r byte_dat 10 ->5a = 0\n",
            "smbus: unknown size \"byte_dat\"");
    refused("i2c-1 smbus 50:r i2c_block_broken 10 01>0101 = 0\n",
            "i2c_block_broken cannot be replayed");
    refused("i2c-1 smbus 50:r word_data 10 ->5a = 0\n",
            "word_data read: expected 2 bytes of data, not 1");
    refused("i2c-1 smbus 50:r byte_data 100 ->5a = 0\n",
            "\"100\" is no command byte");
    refused("i2c-1 smbus 50:w block_data 10 00> = 0\n",
            "block_data with these data cannot be sent");
    refused("i2c-1 read 50:w:10 = 1\n", "a read is a read (r) message");
    refused("i2c-1 read 50:r:1010 = 1\n", "2 bytes, but the result is 1");
    refused("i2c-x rdwr 50:w:10 = 1\n", "expected i2c-N");
    refused("i2c-1 rdwr 48:w:10 = 1\n", "no transfer to 0x50 on i2c-1");
    refused("", "no transfer to 0x50 on i2c-1");

    struct bench t;
    bench_init(&t, I2CEMU_CLOCK_FAST);
    bench_refuse(&t, "replay,addr=0x50,file=/nonexistent/rec",
                 "/nonexistent/rec: No such file or directory");
    char spec[128];
    strcpy(path, "/tmp/i2cemu-replay-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "i2c-1 rdwr 50:w:10 = 1\n", 23), 23);
    close(fd);
    snprintf(spec, sizeof(spec), "replay,addr=0x50,file=%s", path);
    bench_refuse(&t, spec, "not a recording (its first line is not "
                 "\"# i2cemu-recording 1\")");
    unlink(path);
    bench_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strict_replays_the_session_in_order),
        cmocka_unit_test(strict_reports_a_mismatch_once),
        cmocka_unit_test(smbus_pec_and_blocks_become_wire_bytes),
        cmocka_unit_test(register_mode_answers_any_order),
        cmocka_unit_test(recorded_bus_picks_another_bus),
        cmocka_unit_test(bad_recordings_are_refused_with_the_line),
        cmocka_unit_test(failures_replay_with_their_errno),
        cmocka_unit_test(an_address_nack_takes_the_bus_errno),
        cmocka_unit_test(unreplayable_failures_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
