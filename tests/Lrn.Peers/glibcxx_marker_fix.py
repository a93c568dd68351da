#!/usr/bin/env python3
"""Let TorchSharp's native library load on a libstdc++ older than the one it was linked against.

Why: TorchSharp 0.107.0's libLibTorchSharp.so (linux-x64) was built with GCC 13, so its version-needs table
asks libstdc++.so.6 for GLIBCXX_3.4.32. Debian 12 ships GCC 12's libstdc++ (up to GLIBCXX_3.4.30), and the
dynamic loader refuses the whole library: "version `GLIBCXX_3.4.32' not found". The only symbol bound to that
version is `_ZSt21ios_base_library_initv`, a marker GCC 13 emits in every object that includes <iostream>;
it is never called and no relocation refers to it. Nothing else in the library needs a newer libstdc++.

What it does, to the ONE file named on the command line (the build passes the copy in the build output,
never the NuGet package cache):
  1. Reads which versions the file needs from libstdc++.so.6 (.gnu.version_r) and which versions the
     system's libstdc++.so.6 defines (its .gnu.version_d, found through `ldconfig -p`).
  2. If none is missing, changes nothing.
  3. If exactly the versions in ALLOWED are missing, and each is used only by its unreferenced marker
     symbol (an undefined symbol, named by no relocation), it rewrites the file so the marker is
     unversioned (.gnu.version entry = 1, "global") and unlinks that version's Vernaux entry from
     .gnu.version_r. Section sizes and offsets do not change; only a few bytes do.
  4. Anything else missing: exits with status 1 and says what, changing nothing. libtorch will not load.
The rewrite goes to a new file that replaces the old one, so a hard link into the package cache (which
MSBuild can create for copy-local files) is broken rather than written through. The new file keeps the old one's
size, mode and timestamps, so the next incremental build does not copy the original over it again.

Usage: glibcxx_marker_fix.py PATH/libLibTorchSharp.so
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile

# The versions this script may drop, each with the only symbol allowed to carry it.
ALLOWED = {"GLIBCXX_3.4.32": "_ZSt21ios_base_library_initv"}
LIBSTDCXX = "libstdc++.so.6"

SHT_REL = 9
SHT_RELA = 4
SHT_DYNSYM = 11
SHT_GNU_VERDEF = 0x6FFFFFFD
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
SHN_UNDEF = 0
VER_NDX_GLOBAL = 1
VERSYM_HIDDEN = 0x8000


class ElfError(Exception):
    pass


class Elf:
    """Just enough of a little-endian ELF64 file: section headers, dynamic symbols, version tables."""

    def __init__(self, data: bytearray, path: str):
        self.data = data
        self.path = path
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ElfError(f"{path}: not a little-endian 64-bit ELF file")
        self.machine = struct.unpack_from("<H", data, 0x12)[0]
        shoff = struct.unpack_from("<Q", data, 0x28)[0]
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        self.sections = []
        for i in range(shnum):
            name, typ, _flags, _addr, offset, size, link, info, _align, entsize = struct.unpack_from(
                "<IIQQQQIIQQ", data, shoff + i * shentsize)
            self.sections.append({"type": typ, "offset": offset, "size": size, "link": link,
                                  "info": info, "entsize": entsize})

    def section(self, typ: int):
        found = [s for s in self.sections if s["type"] == typ]
        return found[0] if found else None

    def cstr(self, strtab, offset: int) -> str:
        start = strtab["offset"] + offset
        end = self.data.index(0, start)
        return self.data[start:end].decode("ascii", "replace")

    def defined_versions(self) -> set[str]:
        """Names in .gnu.version_d (Verdef: 20 bytes; its first Verdaux names the version)."""
        verdef = self.section(SHT_GNU_VERDEF)
        if verdef is None:
            return set()
        strtab = self.sections[verdef["link"]]
        names = set()
        at = verdef["offset"]
        while True:
            _ver, _flags, _ndx, _cnt, _hash, aux, nxt = struct.unpack_from("<HHHHIII", self.data, at)
            names.add(self.cstr(strtab, struct.unpack_from("<I", self.data, at + aux)[0]))
            if nxt == 0:
                return names
            at += nxt

    def needs(self):
        """.gnu.version_r as a list of (file, verneed offset, [vernaux dicts]) (Verneed and Vernaux: 16 bytes each)."""
        verneed = self.section(SHT_GNU_VERNEED)
        if verneed is None:
            return []
        strtab = self.sections[verneed["link"]]
        result = []
        at = verneed["offset"]
        while True:
            _ver, _cnt, file_off, aux, nxt = struct.unpack_from("<HHIII", self.data, at)
            auxes = []
            a = at + aux
            while True:
                _hash, flags, other, name_off, anext = struct.unpack_from("<IHHII", self.data, a)
                auxes.append({"offset": a, "other": other, "name": self.cstr(strtab, name_off), "next": anext})
                if anext == 0:
                    break
                a += anext
            result.append((self.cstr(strtab, file_off), at, auxes))
            if nxt == 0:
                return result
            at += nxt

    def dynsyms(self):
        """(index, name, shndx) of every .dynsym entry (Elf64_Sym: 24 bytes)."""
        dynsym = self.section(SHT_DYNSYM)
        strtab = self.sections[dynsym["link"]]
        count = dynsym["size"] // 24
        for i in range(count):
            name_off, _info, _other, shndx = struct.unpack_from("<IBBH", self.data, dynsym["offset"] + i * 24)
            yield i, self.cstr(strtab, name_off), shndx

    def versym_offset(self, index: int) -> int:
        return self.section(SHT_GNU_VERSYM)["offset"] + 2 * index

    def relocated_symbols(self) -> set[int]:
        """Indices of the dynamic symbols that some REL/RELA section refers to."""
        dynsym_index = self.sections.index(self.section(SHT_DYNSYM))
        used = set()
        for s in self.sections:
            if s["type"] not in (SHT_REL, SHT_RELA) or s["link"] != dynsym_index:
                continue
            entsize = s["entsize"] or (24 if s["type"] == SHT_RELA else 16)
            for at in range(s["offset"], s["offset"] + s["size"], entsize):
                info = struct.unpack_from("<Q", self.data, at + 8)[0]
                used.add(info >> 32)
        return used


def system_libstdcxx(machine: int) -> str | None:
    """The libstdc++.so.6 the dynamic loader would pick for this machine type, from `ldconfig -p`."""
    for ldconfig in ("ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"):
        try:
            listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=True).stdout
            break
        except (OSError, subprocess.CalledProcessError):
            continue
    else:
        return None
    for line in listing.splitlines():
        parts = line.strip().split(" => ")
        if len(parts) == 2 and parts[0].startswith(LIBSTDCXX + " "):
            path = parts[1].strip()
            try:
                with open(path, "rb") as f:
                    header = f.read(0x14)
            except OSError:
                continue
            if header[:4] == b"\x7fELF" and len(header) == 0x14 and struct.unpack_from("<H", header, 0x12)[0] == machine:
                return path
    return None


def in_package_cache(path: str) -> bool:
    """True inside NUGET_PACKAGES, ~/.nuget/packages, or any extracted package (a folder above holds .nupkg.metadata)."""
    caches = [os.environ.get("NUGET_PACKAGES"), os.path.join(os.path.expanduser("~"), ".nuget", "packages")]
    if any(c and path.startswith(os.path.abspath(c) + os.sep) for c in caches):
        return True
    folder = os.path.dirname(path)
    while True:
        if os.path.exists(os.path.join(folder, ".nupkg.metadata")):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def read_elf(path: str) -> Elf:
    with open(path, "rb") as f:
        return Elf(bytearray(f.read()), path)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    target = os.path.abspath(argv[1])
    if in_package_cache(target):
        print(f"glibcxx_marker_fix: refusing to touch a NuGet package folder: {target}", file=sys.stderr)
        return 1

    elf = read_elf(target)
    needed = [aux for file, _, auxes in elf.needs() if file == LIBSTDCXX for aux in auxes]
    if not needed:
        print(f"glibcxx_marker_fix: {target} needs no libstdc++ versions (already fixed?); nothing changed")
        return 0

    libstdcxx = system_libstdcxx(elf.machine)
    if libstdcxx is None:
        print(f"glibcxx_marker_fix: no {LIBSTDCXX} found through ldconfig; {target} left as it is")
        return 0
    have = read_elf(libstdcxx).defined_versions()
    missing = [aux for aux in needed if aux["name"] not in have]
    if not missing:
        fixed_earlier = [v for v in ALLOWED if v not in have]
        why = f"already rewritten, it no longer needs {', '.join(fixed_earlier)}" if fixed_earlier else "it has every version the library needs"
        print(f"glibcxx_marker_fix: {os.path.basename(target)} loads with {libstdcxx} ({why}); nothing changed")
        return 0

    relocated = elf.relocated_symbols()
    versym = elf.section(SHT_GNU_VERSYM)
    plan = []
    for aux in missing:
        marker = ALLOWED.get(aux["name"])
        users = [(i, name, shndx) for i, name, shndx in elf.dynsyms()
                 if struct.unpack_from("<H", elf.data, versym["offset"] + 2 * i)[0] & ~VERSYM_HIDDEN == aux["other"]]
        ok = (marker is not None and len(users) == 1 and users[0][1] == marker
              and users[0][2] == SHN_UNDEF and users[0][0] not in relocated)
        if not ok:
            print(f"glibcxx_marker_fix: {target} needs {aux['name']} from {LIBSTDCXX}, which {libstdcxx} lacks, "
                  f"for {[u[1] for u in users]}; only {ALLOWED} can be dropped safely. "
                  f"libtorch will not load here: install a newer libstdc++ (GCC 13 or later).", file=sys.stderr)
            return 1
        plan.append((aux, users[0]))

    for aux, (index, name, _) in plan:
        # The marker becomes an unversioned global reference...
        struct.pack_into("<H", elf.data, elf.versym_offset(index), VER_NDX_GLOBAL)
        # ...and its Vernaux leaves the chain, so the loader no longer checks that version.
        for file, vn_at, auxes in elf.needs():
            if file != LIBSTDCXX:
                continue
            position = next(k for k, a in enumerate(auxes) if a["offset"] == aux["offset"])
            if len(auxes) == 1:
                raise ElfError(f"{target}: {aux['name']} is the only version needed from {LIBSTDCXX}; not expected")
            vn_cnt = struct.unpack_from("<H", elf.data, vn_at + 2)[0]
            struct.pack_into("<H", elf.data, vn_at + 2, vn_cnt - 1)
            if position == 0:
                vn_aux = struct.unpack_from("<I", elf.data, vn_at + 8)[0]
                struct.pack_into("<I", elf.data, vn_at + 8, vn_aux + aux["next"])
            else:
                previous = auxes[position - 1]
                struct.pack_into("<I", elf.data, previous["offset"] + 12,
                                 0 if aux["next"] == 0 else previous["next"] + aux["next"])
        print(f"glibcxx_marker_fix: {os.path.basename(target)}: dropped {aux['name']} (used only by the marker {name}); "
              f"{libstdcxx} lacks it")

    check = Elf(elf.data, target)
    left = [a["name"] for f, _, auxes in check.needs() if f == LIBSTDCXX for a in auxes if a["name"] not in have]
    if left:
        raise ElfError(f"{target}: still needs {left} after the rewrite")

    # Same mode, size and timestamps as the copy it replaces: MSBuild's incremental copy (size and time) then
    # leaves the rewritten file alone on the next build instead of copying the original over it again.
    before = os.stat(target)
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".glibcxx-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(elf.data)
        os.chmod(temp, before.st_mode & 0o7777)
        os.utime(temp, ns=(before.st_atime_ns, before.st_mtime_ns))
        os.replace(temp, target)
    except BaseException:
        os.unlink(temp)
        raise
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (ElfError, OSError, struct.error, ValueError, StopIteration) as error:
        print(f"glibcxx_marker_fix: {error}", file=sys.stderr)
        sys.exit(1)
