#!/usr/bin/env bash
# Makes TorchSharp's native shim load on systems whose libstdc++ predates GCC 13 (Debian 12, Ubuntu 22.04).
#
# libLibTorchSharp.so (TorchSharp 0.107) asks for GLIBCXX_3.4.32 for exactly one symbol,
# std::ios_base_library_init(), which GCC 13 emits for <iostream> start-up; everything else it needs is at
# most GLIBCXX_3.4.30. We (1) retarget that version need to GLIBCXX_3.4.30, (2) drop the symbol's version,
# and (3) supply the symbol from a tiny library built with the system g++, added as a NEEDED entry.
# Facts and measurements: docs/torchsharp.md.
#
# Usage: fix-libtorchsharp.sh <dir containing libLibTorchSharp.so>   (idempotent; a no-op where not needed)
# Only the given (build output) copy is changed; the NuGet cache is never touched.
set -euo pipefail

dir=$1
lib="$dir/libLibTorchSharp.so"
shim_name=libreframe_iosinit.so
[[ -f "$lib" ]] || exit 0

libstdcxx=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
if [[ -n "$libstdcxx" ]] && grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
  exit 0 # this system's libstdc++ is new enough: use the package as shipped
fi

# (readelf output is captured first: `readelf | grep -q` under pipefail fails when grep stops reading early.)
versions=$(readelf -V -W "$lib")
dynamic=$(readelf -d "$lib")
if ! grep -q 'Name: GLIBCXX_3\.4\.32' <<<"$versions" && grep -q "$shim_name" <<<"$dynamic" && [[ -f "$dir/$shim_name" ]]; then
  exit 0 # already patched
fi

for tool in readelf patchelf g++; do
  command -v "$tool" >/dev/null || { echo "fix-libtorchsharp: '$tool' is missing (apt-get install binutils patchelf g++)" >&2; exit 1; }
done

# The build hard-links copy-local files to the NuGet cache (Directory.Build.props): patch a private copy and move
# it over the link, so the cache's file (and every other output folder's link to it) stays as shipped.
private=$(mktemp "$dir/.libLibTorchSharp.XXXXXX")
trap 'rm -f "$private"' EXIT
cp "$lib" "$private"
chmod --reference="$lib" "$private"
final=$lib
lib=$private

# --- 1. retarget the version need GLIBCXX_3.4.32 -> GLIBCXX_3.4.30 -------------------------------------
if grep -q 'Name: GLIBCXX_3\.4\.32' <<<"$versions"; then
  # Section file offset of .gnu.version_r
  vr_off=$(awk '$0 ~ /\.gnu\.version_r/ { for (i = 1; i <= NF; i++) if ($i == ".gnu.version_r") { print $(i+3); exit } }' <<<"$(readelf -S -W "$lib")")
  # Offset of the Vernaux entry naming GLIBCXX_3.4.32, relative to the section
  aux_off=$(awk '/Name: GLIBCXX_3\.4\.32/ { sub(":", "", $1); print $1; exit }' <<<"$versions")
  # Offset of the string GLIBCXX_3.4.30 inside .dynstr (already there: other symbols need it)
  str_off=$(awk '$NF == "GLIBCXX_3.4.30" { gsub(/[\[\]]/, "", $0); print "0x" $1; exit }' <<<"$(readelf -p .dynstr -W "$lib")")
  [[ -n "$vr_off" && -n "$aux_off" && -n "$str_off" ]] || { echo "fix-libtorchsharp: unexpected ELF layout in $lib" >&2; exit 1; }

  # SysV ELF hash of the new name (Vernaux.vna_hash must match vna_name)
  name=GLIBCXX_3.4.30 h=0
  for ((i = 0; i < ${#name}; i++)); do
    c=$(printf '%d' "'${name:i:1}")
    h=$(( ((h << 4) + c) & 0xffffffff ))
    g=$(( h & 0xf0000000 ))
    (( g != 0 )) && h=$(( h ^ (g >> 24) ))
    h=$(( h & ~g & 0xffffffff ))
  done

  le32() { local v=$1; printf "\\x$(printf %02x $((v & 255)))\\x$(printf %02x $(((v >> 8) & 255)))\\x$(printf %02x $(((v >> 16) & 255)))\\x$(printf %02x $(((v >> 24) & 255)))"; }
  entry=$(( 0x${vr_off#0x} + aux_off ))
  # Vernaux: vna_hash @+0 (u32), vna_flags @+4, vna_other @+6, vna_name @+8 (u32), vna_next @+12
  le32 "$h"        | dd of="$lib" bs=1 seek=$((entry))     conv=notrunc status=none
  le32 "$((str_off))" | dd of="$lib" bs=1 seek=$((entry + 8)) conv=notrunc status=none
fi

# --- 2. the one GCC 13 symbol becomes unversioned -----------------------------------------------------
patchelf --clear-symbol-version _ZSt21ios_base_library_initv "$lib"

# --- 3. provide it from a shim library next to it ($ORIGIN is in its RUNPATH) --------------------------
if [[ ! -f "$dir/$shim_name" ]]; then
  src=$(mktemp --suffix=.cpp)
  trap 'rm -f "$src" "$private"' EXIT
  cat > "$src" <<'CPP'
#include <ios>
// GCC 13's libstdc++ exports this to run the <iostream> static initialiser once; older ones initialise
// the standard streams from each translation unit instead. A function-local static gives the same effect.
namespace std { void ios_base_library_init() { static ios_base::Init init; } }
CPP
  g++ -shared -fPIC -O2 -o "$dir/$shim_name" "$src"
fi
grep -q "$shim_name" <<<"$dynamic" || patchelf --add-needed "$shim_name" "$lib"
mv -f "$lib" "$final"
lib=$final
echo "fix-libtorchsharp: patched $lib for this system's libstdc++" >&2
