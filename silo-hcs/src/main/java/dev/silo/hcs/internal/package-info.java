/** Implementation of the compute service: state files, the plan compiler, /proc readers. */
@NullMarked
package dev.silo.hcs.internal;

import org.jspecify.annotations.NullMarked;
