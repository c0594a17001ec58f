/**
 * HCS schema v2 documents, one record per schema type, named as hcsshim's schema2 package names
 * them.
 */
@NullMarked
package dev.silo.schema.hcs;

import org.jspecify.annotations.NullMarked;
