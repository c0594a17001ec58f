/* silo-monitor: small helpers without stdio (every page of libc touched is resident). */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* rename(2) only: nothing of stdio is used */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

size_t str_len(const char *s) {
  size_t n = 0;
  while (s[n])
    n++;
  return n;
}

size_t fmt_uint(char *out, unsigned long long v) {
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (size_t i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  return n;
}

static void put_digits(char *out, unsigned long long v, int width) {
  for (int i = width - 1; i >= 0; i--) {
    out[i] = (char)('0' + v % 10);
    v /= 10;
  }
}

/* Days since 1970-01-01 → civil date (Howard Hinnant's algorithm); gmtime_r would pull in tz code. */
static void civil(long long days, long long *y, unsigned *m, unsigned *d) {
  days += 719468;
  long long era = (days >= 0 ? days : days - 146096) / 146097;
  unsigned doe = (unsigned)(days - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (long long)yoe + era * 400 + (*m <= 2);
}

size_t fmt_time(char *out) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return fmt_timespec(out, &ts);
}

size_t fmt_timespec(char *out, const struct timespec *at) {
  struct timespec ts = *at;
  long long secs = ts.tv_sec;
  long long days = secs / 86400, rem = secs % 86400;
  long long y;
  unsigned m, d;
  civil(days, &y, &m, &d);
  put_digits(out, (unsigned long long)y, 4);
  out[4] = '-';
  put_digits(out + 5, m, 2);
  out[7] = '-';
  put_digits(out + 8, d, 2);
  out[10] = 'T';
  put_digits(out + 11, (unsigned long long)(rem / 3600), 2);
  out[13] = ':';
  put_digits(out + 14, (unsigned long long)(rem / 60 % 60), 2);
  out[16] = ':';
  put_digits(out + 17, (unsigned long long)(rem % 60), 2);
  /* Go's time.RFC3339Nano, as moby writes "time": trailing zeros of the fraction dropped, and the
   * fraction with them when the time is a whole second */
  size_t n = 19;
  if (ts.tv_nsec != 0) {
    out[n++] = '.';
    put_digits(out + n, (unsigned long long)ts.tv_nsec, 9);
    n += 9;
    while (out[n - 1] == '0')
      n--;
  }
  out[n++] = 'Z';
  return n;
}

int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

int write_atomically(const char *name, const char *content, size_t len) {
  char tmp[64];
  size_t n = str_len(name);
  if (n + 5 > sizeof tmp)
    return ENAMETOOLONG;
  for (size_t i = 0; i < n; i++)
    tmp[i] = name[i];
  tmp[n] = '.';
  tmp[n + 1] = 't';
  tmp[n + 2] = 'm';
  tmp[n + 3] = 'p';
  tmp[n + 4] = '\0';
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return errno;
  int err = write_all(fd, content, len) < 0 || fsync(fd) < 0 ? errno : 0;
  close(fd);
  if (!err && rename(tmp, name) < 0)
    err = errno;
  if (err)
    unlink(tmp);
  return err;
}

/* Before detaching, stderr is the starter's; afterwards it is /dev/null and the exit code is all. */
void die(const char *what, int err) {
  char msg[160];
  size_t n = 0, w = str_len(what);
  const char *pre = "silo-monitor: ";
  for (size_t i = 0; pre[i]; i++)
    msg[n++] = pre[i];
  for (size_t i = 0; i < w && n < sizeof msg - 40; i++)
    msg[n++] = what[i];
  const char *mid = ": errno ";
  for (size_t i = 0; mid[i]; i++)
    msg[n++] = mid[i];
  n += fmt_uint(msg + n, (unsigned long long)(err < 0 ? -err : err));
  msg[n++] = '\n';
  (void)write_all(2, msg, n);
  _exit(err > 0 && err < 120 ? err : 1);
}
