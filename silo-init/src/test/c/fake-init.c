/* Stands in for silo-init in monitor-test: reports itself as the container (PID, READY on fd 3),
 * echoes one line of stdin, writes enough to rotate the log, and exits 3. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
  uint32_t pid[2] = {1, (uint32_t)getpid()}, ready = 2; /* little-endian on every host we build for */
  if (send(3, pid, sizeof pid, 0) < 0 || send(3, &ready, sizeof ready, 0) < 0)
    return 90;
  char line[128];
  if (!fgets(line, sizeof line, stdin))
    return 91;
  printf("got %s", line);
  for (int i = 0; i < 10; i++)
    printf("line %d <&>\n", i);
  fflush(stdout);
  fprintf(stderr, "e\n");
  return 3;
}
