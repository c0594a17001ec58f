/**
 * The Linux kernel dataplane behind HNS: one HNS host is one network namespace; nat networks are
 * Linux bridges with masquerade and DNAT in one nftables table {@code ip silo}; HCN namespaces are
 * named network namespaces; endpoints are veth pairs born with their container end inside them.
 */
@NullMarked
package dev.silo.hns.linux;

import org.jspecify.annotations.NullMarked;
