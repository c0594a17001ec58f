/** Store, IPAM and validation behind the service; not exported. */
@NullMarked
package dev.silo.hns.internal;

import org.jspecify.annotations.NullMarked;
