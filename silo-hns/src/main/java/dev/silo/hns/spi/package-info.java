/** The dataplane SPI the kernel programming (netlink, nftables) plugs into. */
@NullMarked
package dev.silo.hns.spi;

import org.jspecify.annotations.NullMarked;
