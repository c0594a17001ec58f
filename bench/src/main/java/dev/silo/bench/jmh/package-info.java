/**
 * In-process benchmarks (JMH) of the HCS API that silod would call: no process start per call, only
 * the container's own set-up and tear-down.
 */
@NullMarked
package dev.silo.bench.jmh;

import org.jspecify.annotations.NullMarked;
