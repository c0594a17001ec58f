/** HNS benchmarks: endpoint create+attach side by side with the CNI bridge plugin. */
@NullMarked
package dev.silo.bench.hns;

import org.jspecify.annotations.NullMarked;
