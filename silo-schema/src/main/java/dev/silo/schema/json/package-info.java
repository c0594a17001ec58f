/** The small JSON codec of runhcs's start-up path. */
@NullMarked
package dev.silo.schema.json;

import org.jspecify.annotations.NullMarked;
