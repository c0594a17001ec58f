#!/bin/sh
# One-off generator for SyscallNumbers.java: prints "name number" lines per ABI from the kernel's
# UAPI headers (Debian linux-libc-dev). The C compiler resolves the macros, so aliases such as
# __NR3264_fcntl and the x32 bit come out as plain numbers.
# Usage: gen-syscall-tables.sh x86_64|i386|x32|aarch64
set -eu
abi=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case $abi in
  x86_64) hdr='#include <x86_64-linux-gnu/asm/unistd_64.h>'; defs='' ;;
  i386) hdr='#include <x86_64-linux-gnu/asm/unistd_32.h>'; defs='' ;;
  x32) hdr='#include <x86_64-linux-gnu/asm/unistd_x32.h>'; defs='-D__X32_SYSCALL_BIT=0x40000000' ;;
  # arm64's asm/unistd.h sets these before including the generic table (kernel 5.x/6.x).
  aarch64) hdr='#include <asm-generic/unistd.h>'
    defs='-D__BITS_PER_LONG=64 -D__ARCH_WANT_RENAMEAT -D__ARCH_WANT_NEW_STAT -D__ARCH_WANT_SET_GET_RLIMIT -D__ARCH_WANT_SYS_CLONE3 -D__ARCH_WANT_MEMFD_SECRET' ;;
  *) echo "unknown abi $abi" >&2; exit 2 ;;
esac
printf '%s\n' "$hdr" > "$tmp/h.c"
# shellcheck disable=SC2086
names=$(gcc -E -dM $defs "$tmp/h.c" | sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' | grep -v -e '^syscalls$' -e '^arch_specific_syscall$' | sort -u)
{
  echo '#include <stdio.h>'
  echo "$hdr"
  echo 'int main(void) {'
  for n in $names; do printf '  printf("%%s %%ld\\n", "%s", (long) (__NR_%s));\n' "$n" "$n"; done
  echo '  return 0; }'
} > "$tmp/p.c"
# shellcheck disable=SC2086
gcc $defs -o "$tmp/p" "$tmp/p.c"
"$tmp/p"
