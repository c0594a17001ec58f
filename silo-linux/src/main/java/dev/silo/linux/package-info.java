/** Probes of what the Linux host supports. */
@NullMarked
package dev.silo.linux;

import org.jspecify.annotations.NullMarked;
