# SPDX-License-Identifier: MIT
"""The PCA9555 GPIO expander (docs/writing-models.md's worked example)
through the real i2c-tools."""
import expect

# Inputs 0-1 float high, outputs 2-3 0xff, polarity 4-5 0, configuration
# 6-7 0xff (all inputs); three command bits, so the eight repeat.
POWER_ON = [0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff] * 32


def test_power_on_dump(emu):
    # A word read gets a register and then the other one of its pair.
    words = [POWER_ON[c] | POWER_ON[c ^ 1] << 8 for c in range(256)]
    r = emu("-d", "pca9555,addr=0x20",
            cmd="i2cdump -y 1 0x20 b; i2cdump -y 1 0x20 w")
    assert (r.status, r.out) == (
        0, expect.dump_bytes(POWER_ON) + expect.dump_words(words)), r


def test_output_reads_back(emu):
    # Port 0 driven as outputs: its output register reads the latch and
    # its input register the pins; port 1 reads the `inputs` property.
    r = emu("-d", "pca9555,addr=0x20,inputs=0x1234",
            cmd="i2cset -y 1 0x20 6 0x00 && i2cset -y 1 0x20 2 0x5a && "
                "i2cget -y 1 0x20 2 && i2cget -y 1 0x20 0 w")
    assert (r.status, r.out, r.err) == (0, "0x5a\n0x125a\n", ""), r


def test_word_write_fills_the_pair(emu):
    r = emu("-d", "pca9555,addr=0x21",
            cmd="i2cset -y 1 0x21 5 0xa55a w && i2cget -y 1 0x21 4 w")
    # Written to 5 then 4, so the word at 4 reads back swapped.
    assert (r.status, r.out, r.err) == (0, "0x5aa5\n", ""), r


def test_linux_probe_sequence(emu):
    """gpio-pca953x's accesses to a 16-bit part, one message per register
    pair (regmap bulk access, relying on the pair auto-increment): its
    probe clears the polarity pair; then read the output and direction
    pairs."""
    r = emu("-d", "pca9555,addr=0x27",
            cmd="i2ctransfer -y 1 w3@0x27 0x04 0x00 0x00 "
                "w1@0x27 0x02 r2 w1@0x27 0x06 r2")
    assert (r.status, r.out, r.err) == (0, "0xff 0xff\n0xff 0xff\n", ""), r


# The 8-bit parts: input 0 (pins high), output 1 0xff, polarity 2 0x00,
# configuration 3 0xff; two command bits, so the four repeat.
POWER_ON_8 = [0xff, 0xff, 0x00, 0xff] * 64


def test_8bit_power_on_dumps(emu):
    parts = [("pca9554", 0x20), ("pca9534", 0x38), ("pca9538", 0x70),
             ("tca9554", 0x27)]
    args = [a for t, addr in parts for a in ("-d", f"{t},addr={addr:#x}")]
    r = emu(*args, cmd="; ".join(f"i2cdump -y 1 {addr:#x} b"
                                 for _, addr in parts))
    assert (r.status, r.out) == (0, expect.dump_bytes(POWER_ON_8) * 4), r


def test_16bit_variants_power_on(emu):
    words = [POWER_ON[c] | POWER_ON[c ^ 1] << 8 for c in range(256)]
    r = emu("-d", "pca9535,addr=0x20", "-d", "pca9539,addr=0x74",
            "-d", "tca6416,addr=0x21",
            cmd="i2cdump -y 1 0x20 w; i2cdump -y 1 0x74 b; "
                "i2cdump -y 1 0x21 w")
    assert (r.status, r.out) == (
        0, expect.dump_words(words) + expect.dump_bytes(POWER_ON) +
        expect.dump_words(words)), r


def test_runtime_inputs_and_outputs(emu, i2cemu_bin):
    """`i2cemu ctl set` moves the input pins, read back by i2cget (with
    polarity inversion); `ctl get` shows the output pins after i2cset."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "pca9554,addr=0x20",
            cmd=f"{ctl} set 1-0020 inputs=0x5a && i2cget -y 1 0x20 0 && "
                f"i2cset -y 1 0x20 2 0x0f && i2cget -y 1 0x20 0 && "
                f"i2cset -y 1 0x20 3 0xf0 && i2cset -y 1 0x20 1 0x06 && "
                f"{ctl} get 1-0020 outputs")
    assert (r.status, r.out, r.err) == (
        0, "0x5a\n0x55\noutputs = 0xf6\n", ""), r


def test_ctl_wait_for_an_output_pin(emu, i2cemu_bin):
    """A test can wait for an output pin: `ctl wait` on `outputs` returns
    once the program has driven IO_0 low."""
    ctl = f"env -u LD_PRELOAD {i2cemu_bin} ctl"
    r = emu("-d", "tca9554,addr=0x20",
            cmd=f"{ctl} wait 1-0020 outputs=0xfe --timeout 10000 & w=$!; "
                f"sleep 0.3; i2cset -y 1 0x20 3 0xfe && "
                f"i2cset -y 1 0x20 1 0x00 && wait $w && echo waited")
    assert (r.status, r.out.splitlines()[-1], r.err) == (0, "waited", ""), r
