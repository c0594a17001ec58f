/** The store, the unpacker, the registry client and the archive formats behind ImageService. */
@NullMarked
package dev.silo.images.internal;

import org.jspecify.annotations.NullMarked;
