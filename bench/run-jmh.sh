#!/bin/bash
# In-process benchmark (JMH): the detached container life cycle through dev.silo.hcs.ComputeService.
# Usage: bench/run-jmh.sh [JMH options ...]     e.g. bench/run-jmh.sh -prof gc   or   -wi 1 -i 2
# Builds bench and what it needs (mvn -q -pl bench -am compile, incl. silo-init's native helper; SKIP_BUILD=1
# skips it), makes a busybox bundle, runs InProcessLifecycleBench and prints its median (p0.50) in ms,
# then a per-phase breakdown of the same cycle (LifecyclePhases; PHASE_RUNS=N, default 100, 0 skips it).
# Writes JMH's JSON to bench/results/jmh-<UTC date>.json. Needs root. Env: BENCH_JAVA_HOME (JDK 25).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

if [ "$(id -u)" -ne 0 ]; then
  echo "run-jmh: must run as root (containers, cgroups, mount namespaces)" >&2
  exit 1
fi
. "$here/lib.sh"
need_packages run-jmh runc busybox-static jq  # runc only for `runc spec` in make-bundle.sh

export JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$repo" && mvn -q -pl bench -am compile)
fi
native=$repo/silo-init/target/native
for f in "$here/target/jmh-classpath.txt" "$native/silo-init" "$native/libsilospawn.so"; do
  [ -e "$f" ] || { echo "run-jmh: $f is missing; run without SKIP_BUILD=1" >&2; exit 1; }
done

prefix="sj$$"
work=$(mktemp -d /tmp/silo-jmh.XXXXXX)

cleanup() {
  local rc=$? cg
  trap - EXIT INT TERM
  # The benchmark removes its containers itself; this is for a fork that died mid-op: kill what is left in
  # cgroups named after our ids, then remove those cgroups and the scratch tree (state root, bundle).
  for cg in /sys/fs/cgroup/*/"$prefix"-*; do
    [ -d "$cg" ] || continue
    echo "run-jmh: removing leftover cgroup $cg" >&2
    xargs -r kill -9 < "$cg/cgroup.procs" 2>/dev/null || true
  done
  for cg in /sys/fs/cgroup/*/"$prefix"-*; do
    [ -d "$cg" ] && { rmdir "$cg" 2>/dev/null || echo "run-jmh: cannot remove $cg" >&2; }
  done
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$here/make-bundle.sh" "$work/bundle" >/dev/null

mkdir -p "$here/results"
out=$here/results/jmh-$(date -u +%Y-%m-%dT%H%M%SZ).json
# The forked JVM gets its settings here (JMH's -jvmArgsAppend replaces the annotation's); its temp dir is
# inside $work so that the trap removes a state root left by a killed fork.
props="-Djava.io.tmpdir=$work -Dsilo.bench.bundle=$work/bundle -Dsilo.bench.idPrefix=$prefix"
props+=" -Dsilo.init.helper=$native/silo-init -Dsilo.init.jni=$native/libsilospawn.so"
fork_args="--enable-native-access=ALL-UNNAMED $props"
cp="$here/target/classes:$(cat "$here/target/jmh-classpath.txt")"
echo "run-jmh: load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main InProcessLifecycleBench -rf json -rff "$out" \
  -jvmArgsAppend "$fork_args" "$@"
echo "run-jmh: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "run-jmh: JSON in $out" >&2
jq -r '.[] | "\(.benchmark): median (p0.50) \(.primaryMetric.scorePercentiles["50.0"]) \(.primaryMetric.scoreUnit), p0.90 \(.primaryMetric.scorePercentiles["90.0"]), samples \([.primaryMetric.rawDataHistogram[][][][1]] | add)"' "$out"
if [ "${PHASE_RUNS:-100}" -gt 0 ]; then
  # shellcheck disable=SC2086 # $fork_args is a list of options without spaces inside
  "$JAVA_HOME/bin/java" $fork_args -cp "$cp" dev.silo.bench.jmh.LifecyclePhases "${PHASE_RUNS:-100}" 100
fi
