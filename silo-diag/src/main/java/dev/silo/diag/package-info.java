/** hcsdiag: diagnostics of running compute systems. */
@NullMarked
package dev.silo.diag;

import org.jspecify.annotations.NullMarked;
