#!/bin/bash
# Endpoint networking benchmark: HNS endpoint create+attach (with one port mapping) and detach+delete through
# the in-process API, side by side in the same run with Debian's CNI plugins: `bridge` (host-local IPAM)
# ADD/DEL and `bridge` + `portmap` chained ADD/DEL, called the way a runtime calls them (one process each);
# then 1 000 port mappings added one at a time: HNS endpoints with a PortMapping vs CNI portmap ADDs.
# Everything runs inside a private network namespace created here and removed at exit.
# Usage: bench/run-endpoint.sh [N [WARMUP [MAPS]]]  (defaults 200, 20, 1000; MAPS=0 skips the port-map part; SKIP_BUILD=1 skips the maven build)
# Needs root. Env: BENCH_JAVA_HOME (JDK 25).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
n=${1:-200}
maps=${3:-1000}
warmup=${2:-20}
[ "$(id -u)" -eq 0 ] || { echo "run-endpoint: must run as root (netns, links, nftables)" >&2; exit 1; }
. "$here/lib.sh"
need_packages run-endpoint containernetworking-plugins iptables libnftables1
export JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$repo" && mvn -q -pl bench -am compile)
fi
work=$(mktemp -d /tmp/silo-epbench.XXXXXX)
host="siloeb$$"
cleanup() {
  local rc=$?
  trap - EXIT
  for ns in "$(basename "$work")-br" "$(basename "$work")-pm" "$(basename "$work")-maps"; do
    ip netns del "$ns" 2>/dev/null || true
  done
  ip netns del "$host" 2>/dev/null || true
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
ip netns add "$host"
ip -n "$host" link set lo up
cp="$here/target/classes:$(cat "$here/target/jmh-classpath.txt")"
echo "run-endpoint: load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
ip netns exec "$host" "$JAVA_HOME/bin/java" ${BENCH_JVM_ARGS:-} --enable-native-access=ALL-UNNAMED -cp "$cp" \
  dev.silo.bench.hns.EndpointBench "$n" "$warmup" "$work" /usr/lib/cni "$maps"
echo "run-endpoint: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
