#!/bin/bash
# HNS load balancer programming benchmark: S load balancers x 10 backends through the in-process
# HostNetworkService on the Linux dataplane (table ip silolb, map elements), side by side with the
# kube-proxy nftables shape (chain per service + chain per endpoint) loaded with `nft -f`.
# Usage: bench/run-lb.sh [REPS [SIZE ...]]      default: 25 1000 10000
# Builds bench and what it needs (mvn -q -pl bench -am compile; SKIP_BUILD=1 skips it). Every run gets
# private network namespaces (silolbb-PID, silolba-PID) that it deletes; the trap removes any left by a
# killed run. Writes the report to bench/results/lb-<UTC date>.txt. Needs root. Env: BENCH_JAVA_HOME;
# LB_SHAPES=A2 (or A) runs one shape only, e.g. to skip the slow kube-proxy shape while iterating
# (default A2,A: both, side by side). Figures are wall time with the process's CPU time beside it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

if [ "$(id -u)" -ne 0 ]; then
  echo "run-lb: must run as root (network namespaces, nftables)" >&2
  exit 1
fi
export JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$repo" && mvn -q -pl bench -am compile)
fi
[ -e "$here/target/jmh-classpath.txt" ] || { echo "run-lb: build first (no SKIP_BUILD=1)" >&2; exit 1; }

pid_file=$(mktemp)
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  pid=$(cat "$pid_file" 2>/dev/null || true)
  if [ -n "$pid" ]; then
    local tag
    tag=$(printf '%x' "$pid")
    for ns in "silolbb-$tag" "silolba-$tag"; do
      ip netns list | grep -qw "$ns" && { echo "run-lb: removing leftover netns $ns" >&2; ip netns del "$ns"; }
    done
  fi
  rm -f "$pid_file"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

reps=${1:-25}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

mkdir -p "$here/results"
out=$here/results/lb-$(date -u +%Y-%m-%dT%H%M%SZ).txt
cp="$here/target/classes:$(cat "$here/target/jmh-classpath.txt")"
{
  echo "run-lb: $(date -u) kernel $(uname -r), $(nft --version), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
  LB_SHAPES=${LB_SHAPES:-A2,A} "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.silo.bench.lb.LbBench \
    "$reps" "${sizes[@]}" &
  echo $! > "$pid_file"
  wait $!
  echo "run-lb: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
echo "run-lb: report in $out" >&2
