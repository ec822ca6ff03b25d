# SPDX-License-Identifier: MIT
"""`meson install` into a DESTDIR: the files of issue 8 item 1, an
installed i2cemu that finds its shim, and the docs/library.md example
built with pkg-config against the installed library."""
import re
import subprocess

from conftest import ROOT, installed_files, multiarch, run, tools_env

# Every public header of the tree is installed.
HEADERS = sorted(p.name for p in (ROOT / "include" / "i2cemu").glob("*.h"))
DOCS = ["README.md", "architecture.md", "conformance.md", "control.md",
        "cuse.md", "devices.md", "faults.md", "library.md", "protocol.md",
        "record-replay.md", "traces.md", "usage.md", "vhost-user.md",
        "writing-models.md"]


def expected_files():
    lib = f"usr/lib/{multiarch()}"
    examples = {f"usr/share/doc/i2cemu/examples/{p.name}"
                for p in (ROOT / "examples").iterdir()}
    return ({"usr/bin/i2cemu",
             f"{lib}/i2cemu/libi2cemu-preload.so",
             f"{lib}/i2cemu/libi2cemu-record.so",
             f"{lib}/libi2cemu.a",
             f"{lib}/libi2cemu.so",
             f"{lib}/libi2cemu.so.0",
             f"{lib}/libi2cemu.so.0.1.0",
             f"{lib}/pkgconfig/i2cemu.pc",
             "usr/share/man/man1/i2cemu.1"} |
            {f"usr/lib/python3/dist-packages/i2cemu/{m}.py"
             for m in ("__init__", "board", "control", "pytest_plugin")} |
            {f"usr/include/i2cemu/{h}" for h in HEADERS} |
            {f"usr/share/doc/i2cemu/{d}" for d in DOCS} | examples)


def test_install_puts_each_file_in_place(destdir):
    assert installed_files(destdir) == expected_files()
    assert len(list((ROOT / "examples").glob("*.cfg"))) >= 3


def test_shared_library_exports_the_api_alone(destdir):
    so = destdir / f"usr/lib/{multiarch()}/libi2cemu.so.0"
    syms = run(["nm", "-D", "--defined-only", str(so)]).stdout.split("\n")
    names = [line.split()[-1] for line in syms if line.strip()]
    assert "i2cemu_smbus_read_word_data" in names
    assert [n for n in names if not n.startswith("i2cemu_")] == []
    soname = run(["readelf", "-d", str(so)]).stdout
    assert "Library soname: [libi2cemu.so.0]" in soname


def test_installed_program_finds_its_shim(destdir, tmp_path):
    """No build tree, no I2CEMU_PRELOAD: the shim next to the program's
    own tree (bin/../lib/ARCH/i2cemu/) is the one loaded."""
    i2cemu = destdir / "usr/bin/i2cemu"
    env = {**tools_env(), "XDG_RUNTIME_DIR": str(tmp_path)}
    p = subprocess.run([str(i2cemu), "-d", "24c02,addr=0x50", "--", "sh",
                        "-c", 'echo "$LD_PRELOAD"; i2cget -y 1 0x50 0'],
                       cwd="/", env=env, capture_output=True, text=True)
    shim = destdir / f"usr/lib/{multiarch()}/i2cemu/libi2cemu-preload.so"
    assert (p.returncode, p.stdout, p.stderr) == (0, f"{shim}\n0xff\n", "")


def library_example():
    """The C block under "## Example" in docs/library.md."""
    doc = (ROOT / "docs/library.md").read_text()
    section = doc[doc.index("## Example"):]
    return re.search(r"```c\n(.*?)```", section, re.S).group(1)


def test_library_doc_example_is_the_unit_test():
    unit = (ROOT / "tests/unit/core/test_api_example.c").read_text()
    begin = "/* --- docs/library.md example begins --- */\n"
    end = "/* --- docs/library.md example ends --- */"
    assert unit[unit.index(begin) + len(begin):unit.index(end)] == \
        library_example()


def pkg_config(destdir, *args):
    """pkg-config seeing the DESTDIR's i2cemu.pc (and the system's)."""
    pcdir = destdir / f"usr/lib/{multiarch()}/pkgconfig"
    env = {**tools_env(), "PKG_CONFIG_PATH": str(pcdir),
           "PKG_CONFIG_SYSROOT_DIR": str(destdir)}
    return run(["pkg-config", *args], env=env).stdout.split()


def test_library_example_builds_with_pkg_config(destdir, tmp_path):
    """docs/library.md, unchanged: cc $(pkg-config --cflags --libs i2cemu
    cmocka), against the shared library and then the static one."""
    src = tmp_path / "test_tmp102.c"
    src.write_text(library_example())
    flags = pkg_config(destdir, "--cflags", "--libs", "i2cemu")
    assert f"-I{destdir}/usr/include" in flags
    cmocka = run(["pkg-config", "--cflags", "--libs", "cmocka"]).stdout.split()
    run(["cc", "-o", str(tmp_path / "shared"), str(src), *flags, *cmocka])
    libdir = destdir / f"usr/lib/{multiarch()}"
    env = {**tools_env(), "LD_LIBRARY_PATH": str(libdir)}
    assert f"{libdir}/libi2cemu.so.0" in run(["ldd", str(tmp_path / "shared")],
                                              env=env).stdout
    p = run([str(tmp_path / "shared")], env=env)
    assert "[       OK ] driver_reads_the_temperature" in p.stdout

    static = pkg_config(destdir, "--static", "--libs", "i2cemu")
    static = [f"{libdir}/libi2cemu.a" if f == "-li2cemu" else f
              for f in static]
    run(["cc", "-o", str(tmp_path / "static"), str(src),
         *pkg_config(destdir, "--cflags", "i2cemu"), *static, *cmocka])
    assert "libi2cemu" not in run(["ldd", str(tmp_path / "static")]).stdout
    p = run([str(tmp_path / "static")], env=tools_env())
    assert "[       OK ] driver_reads_the_temperature" in p.stdout
