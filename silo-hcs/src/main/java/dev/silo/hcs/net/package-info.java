/** How HCS reaches the Host Network Service: the store location, the dataplane, netns paths. */
@NullMarked
package dev.silo.hcs.net;

import org.jspecify.annotations.NullMarked;
