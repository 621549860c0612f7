#!/bin/bash
# tests/package.sh MAKE TOUR - pidsim as a C library is used on Debian:
#
#   - make install DESTDIR=TMP PREFIX=/usr puts the command, the headers,
#     the static and the shared library (soname libpidsim.so.MAJOR, the
#     versioned file, the dev symlink), pidsim.pc and the man pages where
#     they belong; each man page renders with man -l, without warnings;
#   - the shared library exports the public API only: nm -D lists pidsim_*
#     symbols alone, the API's entry points among them, and none of
#     pidsim_debug.h's hooks;
#   - examples/api/tour.c compiles with pkg-config --cflags --libs pidsim
#     against that tree (PKG_CONFIG_SYSROOT_DIR), links the installed shared
#     library, and prints what the build tree's copy (TOUR) prints;
#   - make uninstall leaves nothing behind;
#   - the plain build uses the CC, CFLAGS, CPPFLAGS and LDFLAGS it is
#     given, keeps the project's own flags, and neither installs nor needs
#     the test packages (make -n);
#   - make help names every phony target.
set -u
make=${1:?usage: tests/package.sh MAKE TOUR}
tour=${2:?usage: tests/package.sh MAKE TOUR}
cc=${CC:-gcc}
[ "$cc" = cc ] && cc=gcc
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root

fail() {
	echo "FAIL $*"
	failed=1
}

ok() {
	echo "ok   $*"
}

# ---- make install ------------------------------------------------------------
if ! $make --no-print-directory install DESTDIR="$root" PREFIX=/usr >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log"
	fail "make install DESTDIR=$root PREFIX=/usr"
	exit 1
fi
version=$(sed -n 's/^#define PIDSIM_VERSION "\(.*\)"$/\1/p' include/pidsim.h)
major=${version%%.*}
lib=$root/usr/lib
missing=""
for f in usr/bin/pidsim usr/include/pidsim.h usr/include/pidsim_image.h \
	 usr/include/pidsim_scenario.h usr/lib/libpidsim.a "usr/lib/libpidsim.so.$version" \
	 usr/lib/pkgconfig/pidsim.pc usr/share/man/man1/pidsim.1 \
	 usr/share/man/man5/pidsim-scenario.5; do
	[ -f "$root/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "make install: every file in place" || fail "make install: missing:$missing"
[ -e "$root/usr/include/pidsim_debug.h" ] && fail "pidsim_debug.h is installed (the test tree's)"
if [ "$(readlink "$lib/libpidsim.so.$major")" = "libpidsim.so.$version" ] &&
   [ "$(readlink "$lib/libpidsim.so")" = "libpidsim.so.$major" ] &&
   readelf -d "$lib/libpidsim.so.$version" | grep -q "SONAME.*\[libpidsim.so.$major\]"; then
	ok "libpidsim.so -> libpidsim.so.$major -> libpidsim.so.$version, soname libpidsim.so.$major"
else
	fail "shared library names: $(ls -l "$lib" | grep libpidsim.so)"
fi
[ -x "$root/usr/bin/pidsim" ] && [ "$("$root/usr/bin/pidsim" --version)" = "pidsim $version" ] &&
	ok "the installed pidsim --version says $version" ||
	fail "the installed pidsim --version: $("$root/usr/bin/pidsim" --version 2>&1)"

# ---- Man pages ---------------------------------------------------------------
for page in "$root/usr/share/man/man1/pidsim.1" "$root/usr/share/man/man5/pidsim-scenario.5"; do
	name=$(basename "$page")
	warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	if ! MANWIDTH=80 MANPAGER=cat man -l "$page" >"$tmp/man.txt" 2>"$tmp/man.err" ||
	   ! grep -q "^NAME" "$tmp/man.txt" || [ -s "$tmp/man.err" ] || [ -n "$warn" ]; then
		fail "man -l $name: $(head -3 "$tmp/man.err") $warn"
	else
		ok "man -l $name: $(wc -l <"$tmp/man.txt") lines, no warnings"
	fi
done

grep -q "^\.TH .*\"pidsim $version\"" "$root/usr/share/man/man1/pidsim.1" &&
	grep -q "^\.TH .*\"pidsim $version\"" "$root/usr/share/man/man5/pidsim-scenario.5" ||
	fail "the man pages' .TH lines do not say pidsim $version (include/pidsim.h)"

# ---- The shared library's exports ----------------------------------------------
nm -D --defined-only "$lib/libpidsim.so.$version" | awk '{ print $3 }' >"$tmp/syms"
others=$(grep -v '^pidsim_' "$tmp/syms" | tr '\n' ' ')
debug=$(grep '^pidsim_debug' "$tmp/syms" | tr '\n' ' ')
absent=""
for s in pidsim_version pidsim_kernel_create pidsim_fork pidsim_kill_in pidsim_checkpoint \
	 pidsim_image_decode pidsim_sc_parse pidsim_sc_run_opts; do
	grep -qx "$s" "$tmp/syms" || absent="$absent $s"
done
if [ -n "$others" ] || [ -n "$debug" ] || [ -n "$absent" ]; then
	fail "nm -D: not pidsim_*: '$others'; test hooks: '$debug'; API missing: '$absent'"
else
	ok "nm -D lists $(wc -l <"$tmp/syms") symbols, every one pidsim_*, no pidsim_debug_*"
fi

# ---- examples/api with pkg-config, against the installed tree ----------------
export PKG_CONFIG_LIBDIR=$lib/pkgconfig PKG_CONFIG_PATH=$lib/pkgconfig
export PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
flags=$(echo $(pkg-config --cflags --libs pidsim))
if [ "$(pkg-config --modversion pidsim)" != "$version" ] ||
   [ "$flags" != "-I$root/usr/include -L$root/usr/lib -lpidsim" ]; then
	fail "pkg-config --cflags --libs pidsim: '$flags' (version $(pkg-config --modversion pidsim))"
fi
mkdir -p "$tmp/user"
cp examples/api/tour.c "$tmp/user/"
if (cd "$tmp/user" && $cc -std=c11 -Wall -Wextra -Werror tour.c $(pkg-config --cflags --libs pidsim) \
	-o tour) 2>"$tmp/cc.err"; then
	LD_LIBRARY_PATH=$lib "$tmp/user/tour" >"$tmp/installed.out" 2>&1
	rc=$?
	"$tour" >"$tmp/build.out" 2>&1
	if [ $rc -ne 0 ] || ! cmp -s "$tmp/installed.out" "$tmp/build.out"; then
		fail "examples/api/tour.c against the installed tree: exit $rc"
		diff "$tmp/build.out" "$tmp/installed.out" | head -10
	elif ! LD_LIBRARY_PATH=$lib ldd "$tmp/user/tour" | grep -q "libpidsim.so.$major => $lib/"; then
		fail "examples/api/tour.c: not linked with the installed libpidsim.so.$major"
	else
		ok "cc tour.c \$(pkg-config --cflags --libs pidsim): runs on the installed libpidsim.so.$major"
	fi
else
	fail "examples/api/tour.c does not compile against the installed tree: $(head -5 "$tmp/cc.err")"
fi
# The static library, as pkg-config --static would link it.
if (cd "$tmp/user" && $cc -std=c11 -I"$root/usr/include" tour.c "$lib/libpidsim.a" \
	-o tour-static) 2>"$tmp/cc.err" && "$tmp/user/tour-static" >"$tmp/static.out" 2>&1 &&
   cmp -s "$tmp/static.out" "$tmp/build.out"; then
	ok "tour.c linked with the installed libpidsim.a"
else
	fail "tour.c with the installed libpidsim.a: $(head -3 "$tmp/cc.err")"
fi

# ---- make uninstall ------------------------------------------------------------
$make --no-print-directory uninstall DESTDIR="$root" PREFIX=/usr >"$tmp/uninstall.log" 2>&1 ||
	{ cat "$tmp/uninstall.log"; fail "make uninstall"; }
left=$(find "$root" -type f -o -type l | sed "s|^$root||" | tr '\n' ' ')
[ -z "$left" ] && ok "make uninstall: nothing left" || fail "make uninstall left: $left"

# ---- The plain build's flags and needs (make -n, nothing built) ---------------
$make --no-print-directory -n -B all BUILD="$tmp/b" CC=pidsim-cc CFLAGS=-Opidsim \
	CPPFLAGS=-DPIDSIM_CPP LDFLAGS=-Lpidsim-ld 2>&1 |
	sed -e ':a' -e '/\\$/N; s/\\\n//; ta' >"$tmp/n.out"	# one command a line
compiles=$(grep -c -- ' -c .*\.c -o ' "$tmp/n.out")
bad=$(grep -- ' -c .*\.c -o ' "$tmp/n.out" | grep -v -- '^pidsim-cc .*-std=c11 .*-Wall -Wextra .*-DPIDSIM_CPP -Opidsim ' | head -1)
links=$(grep -- '^pidsim-cc ' "$tmp/n.out" | grep -v -- ' -c ' | grep -vc -- '-Lpidsim-ld')
if [ "$compiles" -lt 10 ] || [ -n "$bad" ] || [ "$links" -ne 0 ]; then
	fail "make all CC=... CFLAGS=...: $compiles compiles; not as given: '$bad'; links without LDFLAGS: $links"
else
	ok "make all CC=pidsim-cc CFLAGS=-Opidsim CPPFLAGS=... LDFLAGS=...: $compiles compiles use them, with -std=c11 -Wall -Wextra"
fi
# (the check for uthash.h names the package in its message; nothing runs
# apt-get or dpkg, nothing needs cmocka or clang)
needs='apt-get (update|install -y)|dpkg -s|cmocka|clang'
if grep -qE "$needs" "$tmp/n.out"; then
	fail "make all asks for the test packages: $(grep -m1 -E "$needs" "$tmp/n.out")"
else
	ok "make all needs no test package and installs nothing"
fi

# ---- make help ------------------------------------------------------------------
$make --no-print-directory help >"$tmp/help" 2>&1
unlisted=""
for t in $($make --no-print-directory -pRrq -f Makefile : 2>/dev/null | sed -n 's/^\.PHONY: //p'); do
	grep -q "^$t " "$tmp/help" || unlisted="$unlisted $t"
done
[ -z "$unlisted" ] && ok "make help lists every phony target, one line each" ||
	fail "make help does not list:$unlisted"

exit $failed
