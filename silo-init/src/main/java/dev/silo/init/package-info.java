/** The silo-init helper: the plan it executes, its launcher and the JNI spawn stub. */
@NullMarked
package dev.silo.init;

import org.jspecify.annotations.NullMarked;
