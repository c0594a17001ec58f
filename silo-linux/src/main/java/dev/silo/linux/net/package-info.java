/**
 * The Linux network dataplane primitives under HNS: named network namespaces ({@link
 * dev.silo.linux.net.NetNs}), rtnetlink ({@link dev.silo.linux.net.Rtnetlink}) and atomic nftables
 * batches ({@link dev.silo.linux.net.Nftables}), all over FFM without an {@code ip} process per
 * change.
 *
 * <p>A nat-network endpoint, for example:
 *
 * <pre>{@code
 * NetNs ctr = NetNs.create("silo-ep1");                       // HNS namespace
 * try (Rtnetlink host = Rtnetlink.open();                     // daemon's namespace
 *     Rtnetlink in = Rtnetlink.open(ctr);
 *     Nftables nft = Nftables.open(null)) {
 *   host.links().addVeth("silo-ep1", "eth0", ctr);            // peer born inside ctr
 *   host.links().setMaster("silo-ep1", "silobr0");
 *   host.links().setUp("silo-ep1");
 *   in.addresses().add("eth0", IpPrefix.parse("172.20.0.2/16"));
 *   in.links().setUp("eth0");
 *   in.routes().add(Route.via(IpPrefix.parse("0.0.0.0/0"), gateway, "eth0"));
 *   nft.apply("add element ip silo ports { tcp . 8080 : 172.20.0.2 . 80 }");
 * }
 * }</pre>
 *
 * <p>Every failure is a {@link dev.silo.linux.net.NetException} naming the operation, the object
 * and the kernel's (or nft's) reason on one line; argument checks fail earlier with {@link
 * IllegalArgumentException}.
 */
@NullMarked
package dev.silo.linux.net;

import org.jspecify.annotations.NullMarked;
