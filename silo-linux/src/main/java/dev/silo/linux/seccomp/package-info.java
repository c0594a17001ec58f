/** The OCI seccomp profile compiled to a classic BPF program in Java. */
@NullMarked
package dev.silo.linux.seccomp;

import org.jspecify.annotations.NullMarked;
