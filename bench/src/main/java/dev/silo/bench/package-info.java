/**
 * Runtime benchmark: a coordinator ({@link dev.silo.bench.RuntimeBench}) drives one worker process
 * per runtime ({@link dev.silo.bench.Worker}) in interleaved rounds and reports medians and ratios
 * to runc.
 */
@NullMarked
package dev.silo.bench;

import org.jspecify.annotations.NullMarked;
