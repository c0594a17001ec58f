/**
 * Processes and file descriptors through FFM: pidfds, pipes, pty window sizes, console sockets and
 * a posix_spawn that wires stdio, for the in-process HCS API (never on runhcs's start-up path).
 */
@NullMarked
package dev.silo.linux.process;

import org.jspecify.annotations.NullMarked;
