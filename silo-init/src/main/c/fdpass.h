/* Receiving a file descriptor passed with SCM_RIGHTS (the pty master from silo-init's console step):
 * shared by silo-init's console relay and silo-monitor. */
#ifndef SILO_FDPASS_H
#define SILO_FDPASS_H

/* Receives one message on sock and returns the descriptor it carries (close-on-exec), or -1. */
int recv_fd(int sock);

#endif
