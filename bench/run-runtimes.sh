#!/bin/bash
# Whole-process runtime benchmark: runc, crun (and later runhcs) side by side, interleaved.
# Usage: bench/run-runtimes.sh [-n RUNS] [-w WARMUP] [name=/abs/path ...]
#   default runtimes: runc=$(command -v runc) crun=$(command -v crun); runc, if given, is the ratio reference.
#   e.g. bench/run-runtimes.sh -n 20 runc=/usr/sbin/runc crun=/usr/bin/crun runhcs=/work/main/dist/bin/runhcs
# Options of RuntimeBench itself (e.g. --hide-cgroup2 NAME,...) may follow after `--`.
# Env: SKIP_BUILD=1 reuses bench/target/classes; BENCH_JAVA_HOME overrides the JDK 25 location.
# Needs root. Installs missing Debian packages; builds a busybox bundle; cleans up everything it made (trap).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=30
warmup=3
while getopts n:w:h opt; do
  case $opt in
    n) runs=$OPTARG ;;
    w) warmup=$OPTARG ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

if [ "$(id -u)" -ne 0 ]; then
  echo "run-runtimes: must run as root (containers, cgroups, mount namespaces)" >&2
  exit 1
fi

# Packages: runtimes, the rootfs binary, jq for the config patch, GNU time for peak RSS.
. "$here/lib.sh"
need_packages run-runtimes runc crun busybox-static jq time

if [ $# -eq 0 ]; then
  set -- "runc=$(command -v runc)" "crun=$(command -v crun)"
fi

export JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$repo" && mvn -q -pl bench -am compile)
fi

prefix="sb$$"
work=$(mktemp -d /tmp/silo-bench.XXXXXX)

# Runs a command in a private mount namespace without cgroup2, where crun accepts this hybrid host.
without_cgroup2() {
  unshare -m --propagation private sh -c \
    'umount /sys/fs/cgroup/unified && mount -t tmpfs -o size=1m silo-bench /sys/fs/cgroup/unified && exec "$@"' sh "$@"
}

cleanup() {
  local rc=$? spec name rt root id
  trap - EXIT INT TERM
  for spec in "$@"; do
    case $spec in *=/*) ;; *) continue ;; esac
    name=${spec%%=*} rt=${spec#*=} root=$work/state/$name
    [ -d "$root" ] || continue
    for id in $("$rt" --root "$root" list -q 2>/dev/null || without_cgroup2 "$rt" --root "$root" list -q 2>/dev/null || true); do
      "$rt" --root "$root" delete --force "$id" >/dev/null 2>&1 \
        || without_cgroup2 "$rt" --root "$root" delete --force "$id" >/dev/null 2>&1 \
        || echo "run-runtimes: could not delete $name container $id" >&2
    done
  done
  # Cgroups named after our container ids, in case a runtime died between create and delete.
  find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d -name "$prefix-*" -exec rmdir {} + 2>/dev/null || true
  rm -rf "$work"
  exit $rc
}
trap 'cleanup "$@"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bundle=$work/bundle
"$here/make-bundle.sh" "$bundle"

mkdir -p "$here/results"
out=$here/results/$(date -u +%Y-%m-%dT%H%M%SZ).json
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$here/target/classes" dev.silo.bench.RuntimeBench \
  --work "$work" --bundle "$bundle" --runs "$runs" --warmup "$warmup" --out "$out" --id-prefix "$prefix" "$@"
