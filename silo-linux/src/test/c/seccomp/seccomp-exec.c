/*
 * Test helper for SeccompIT: installs a compiled classic-BPF seccomp program and execs a command under it.
 * Usage: seccomp-exec PROGRAM_FILE FLAGS COMMAND [ARG...]
 * PROGRAM_FILE holds struct sock_filter[] exactly as SeccompCompiler emits it; FLAGS is the
 * SECCOMP_FILTER_FLAG_* bit set (decimal). Exit 125 with a message on stderr when installing fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fail(const char *what) {
  fprintf(stderr, "seccomp-exec: %s: %s\n", what, strerror(errno));
  return 125;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s PROGRAM_FILE FLAGS COMMAND [ARG...]\n", argv[0]);
    return 125;
  }
  FILE *f = fopen(argv[1], "rb");
  if (f == NULL) {
    return fail(argv[1]);
  }
  static struct sock_filter insns[BPF_MAXINSNS + 1];
  size_t n = fread(insns, sizeof(insns[0]), BPF_MAXINSNS + 1, f);
  fclose(f);
  if (n == 0 || n > BPF_MAXINSNS) {
    fprintf(stderr, "seccomp-exec: %s: %zu instructions\n", argv[1], n);
    return 125;
  }
  struct sock_fprog prog = {.len = (unsigned short) n, .filter = insns};
  unsigned long flags = strtoul(argv[2], NULL, 10);
  /* Unprivileged filters need no_new_privs; as root it keeps the test close to what runhcs does. */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return fail("prctl(PR_SET_NO_NEW_PRIVS)");
  }
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) < 0) { /* NEW_LISTENER returns an fd */
    return fail("seccomp(SECCOMP_SET_MODE_FILTER)");
  }
  execvp(argv[3], &argv[3]);
  return fail(argv[3]);
}
