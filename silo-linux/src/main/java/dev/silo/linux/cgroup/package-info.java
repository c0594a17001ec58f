/** Cgroup drivers for v1, v2 and hybrid hosts: the Linux form of a Windows job object. */
@NullMarked
package dev.silo.linux.cgroup;

import org.jspecify.annotations.NullMarked;
