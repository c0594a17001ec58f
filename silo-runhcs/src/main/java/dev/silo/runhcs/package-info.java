/** runhcs: the runc-compatible OCI runtime CLI. */
@NullMarked
package dev.silo.runhcs;

import org.jspecify.annotations.NullMarked;
