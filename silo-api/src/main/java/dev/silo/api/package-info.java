/** Silo's portable API, named as the Windows Host Compute Service names it. */
@NullMarked
package dev.silo.api;

import org.jspecify.annotations.NullMarked;
