/**
 * OCI runtime-spec documents (config.json, process.json) read and written with Silo's own JSON
 * codec.
 */
@NullMarked
package dev.silo.schema.oci;

import org.jspecify.annotations.NullMarked;
