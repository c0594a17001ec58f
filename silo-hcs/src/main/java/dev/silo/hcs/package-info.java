/** The Host Compute Service on Linux: compute systems, processes and the OCI translation. */
@NullMarked
package dev.silo.hcs;

import org.jspecify.annotations.NullMarked;
