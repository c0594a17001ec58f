/**
 * The image service the daemon calls in-process: {@link dev.silo.images.ImageService} and the
 * values it takes and answers with.
 */
@NullMarked
package dev.silo.images;

import org.jspecify.annotations.NullMarked;
