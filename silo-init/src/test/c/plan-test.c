/*
 * C test of silo-init's plan reader and sync protocol, unprivileged (no new namespaces).
 * Exit 0 = pass, 77 = skip, 1 = fail. Usage: plan-test PATH/TO/silo-init
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static uint8_t plan[4096];
static size_t plen;

static void u32(uint32_t v) {
  for (int i = 0; i < 4; i++)
    plan[plen++] = (uint8_t)(v >> (8 * i));
}

static void str(const char *s) {
  u32((uint32_t)strlen(s));
  memcpy(plan + plen, s, strlen(s));
  plen += strlen(s);
}

static void header(uint32_t magic, uint32_t count, uint32_t flags) {
  plen = 0;
  u32(magic);
  u32(1);
  u32(count);
  u32(flags);
}

/* opcode + reserved + length placeholder; returns the offset of the length */
static size_t step(uint16_t op) {
  u32(op);
  size_t at = plen;
  u32(0);
  return at;
}

static void end_step(size_t at) {
  uint32_t n = (uint32_t)(plen - at - 4);
  for (int i = 0; i < 4; i++)
    plan[at + i] = (uint8_t)(n >> (8 * i));
}

/* Runs the helper on the current plan; returns its exit code and fills the messages' types. */
static int run(const char *helper, uint32_t *types, int32_t *words, int max, int *count) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    dup2(sv[1], 5);
    execl(helper, helper, "--sync-fd", "5", (char *)NULL);
    _exit(127);
  }
  close(sv[1]);
  send(sv[0], plan, plen, 0);
  uint8_t m[2048];
  ssize_t n;
  *count = 0;
  while (*count < max && (n = recv(sv[0], m, sizeof m, 0)) > 0) {
    memcpy(&types[*count], m, 4);
    words[*count] = 0;
    if (n >= 12)
      memcpy(&words[*count], m + 8, 4); /* ERROR: errno */
    else if (n >= 8)
      memcpy(&words[*count], m + 4, 4);
    (*count)++;
  }
  close(sv[0]);
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define CHECK(cond, what)                                                                                      \
  do {                                                                                                       \
    if (!(cond)) {                                                                                           \
      fprintf(stderr, "plan-test: %s\n", what);                                                              \
      return 1;                                                                                              \
    }                                                                                                        \
  } while (0)

int main(int argc, char **argv) {
  if (argc != 2 || access(argv[1], X_OK) != 0)
    return 77;
  uint32_t t[8];
  int32_t w[8];
  int n;

  header(0x12345678, 0, 0);
  CHECK(run(argv[1], t, w, 8, &n) == 1 && n == 1 && t[0] == 3 && w[0] == EINVAL, "bad magic → ERROR(EINVAL)");

  header(0x534c4f50, 2, 1); /* foreground: P waits for C, which fails */
  end_step(step(45)); /* READY */
  size_t at = step(99);
  end_step(at);
  CHECK(run(argv[1], t, w, 8, &n) == 1 && n == 3 && t[0] == 1 && t[1] == 2 && t[2] == 3 && w[2] == EINVAL,
        "unknown opcode → PID, READY, ERROR(EINVAL), exit 1");

  header(0x534c4f50, 1, 1); /* foreground */
  at = step(46);
  str("true");
  u32(1);
  str("true");
  u32(1);
  str("PATH=/usr/bin:/bin");
  end_step(at);
  CHECK(run(argv[1], t, w, 8, &n) == 0 && n == 1 && t[0] == 1, "PATH search + foreground exit 0");
  return 0;
}
