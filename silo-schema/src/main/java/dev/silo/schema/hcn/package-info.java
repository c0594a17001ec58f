/**
 * HCN (Host Compute Network, HNS v2) documents, one record per type, named as hcsshim's {@code hcn}
 * package names them.
 */
@NullMarked
package dev.silo.schema.hcn;

import org.jspecify.annotations.NullMarked;
