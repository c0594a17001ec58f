/**
 * The Linux network dataplane primitives under HNS: named network namespaces ({@link
 * dev.silo.linux.net.NetNs}), rtnetlink ({@link dev.silo.linux.net.Rtnetlink}) and atomic nftables
 * batches ({@link dev.silo.linux.net.Nftables}), all over FFM without an {@code ip} process per
 * change.
 */
@NullMarked
package dev.silo.linux.net;

import org.jspecify.annotations.NullMarked;
