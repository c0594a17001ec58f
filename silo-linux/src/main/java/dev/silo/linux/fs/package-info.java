/** File-system calls the JDK has no API for: device nodes and trusted/security xattrs (FFM). */
@NullMarked
package dev.silo.linux.fs;

import org.jspecify.annotations.NullMarked;
