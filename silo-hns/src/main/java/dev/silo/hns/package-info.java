/** The in-process Host Network Service API (HCN v2) and its v1 HNSCall translator. */
@NullMarked
package dev.silo.hns;

import org.jspecify.annotations.NullMarked;
