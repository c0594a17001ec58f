#!/bin/bash
# Docker Engine benchmark through the stock docker CLI: `docker run --rm IMAGE true` one at a time, then P
# containers started in parallel, daemon idle RSS and per-container RSS of what keeps a container (dockerd:
# containerd-shim-runc-v2; silod: silo-monitor). Every daemon is started privately here (own socket, data
# root, exec root; no network set-up; silod's HNS host is a private netns) and the peers are measured in
# the same run, interleaved, so the machine's noise falls on all alike. dockerd is the reference: Debian's docker.io 20.10 + containerd + runc.
# Usage: bench/run-docker.sh [-n RUNS] [-w WARMUP] [-p PARALLEL] [PEER ...]
#   PEER: dockerd (always measured, the reference) | silod (dist/bin/silod; needs `./silo build`)
#   defaults: -n 30 -w 3 -p 10, peers: dockerd
# Needs root. Installs docker.io, containerd, runc and busybox-static when missing; removes all it made.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
runs=30 warmup=3 par=10
while getopts n:w:p: o; do
  case $o in
    n) runs=$OPTARG ;;
    w) warmup=$OPTARG ;;
    p) par=$OPTARG ;;
    *) echo "usage: bench/run-docker.sh [-n RUNS] [-w WARMUP] [-p PARALLEL] [dockerd|silod ...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
peers=(dockerd)
for p in "$@"; do
  case $p in
    dockerd) ;;
    silod) [ -x "$repo/dist/bin/silod" ] || { echo "run-docker: no $repo/dist/bin/silod: ./silo build first" >&2; exit 1; }
      peers+=(silod) ;;
    *) echo "run-docker: unknown peer '$p' (dockerd, silod)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "run-docker: must run as root (daemons, containers)" >&2; exit 1; }
. "$here/lib.sh"
need_packages run-docker docker.io containerd runc busybox-static
docker=$(command -v docker)
W=$(mktemp -d /tmp/sdb.XXXXXX) # short: silod keeps attach sockets under its exec root (sun_path: 107 bytes)
IMG=silo-bench/busybox:latest
CGP=silo-dockerbench-$$ # every peer's containers go under this cgroup parent, removed at exit
HNSNS=sdb-$$ # silod's HNS host (its default nat network's bridge and nft table), deleted at exit

# Waits up to $1 seconds for the command after the description $2 to succeed (polls every 0.1 s).
wait_for() {
  local limit=$(( $1 * 10 )) what=$2 i=0
  shift 2
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt "$limit" ] || { echo "run-docker: timed out waiting for $what" >&2; return 1; }
    sleep 0.1
  done
}
cli() { local peer=$1; shift; DOCKER_HOST="unix://$W/$peer/sock" timeout 120 "$docker" "$@"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

cleanup() {
  local rc=$?
  trap - EXIT
  for peer in "${peers[@]}"; do
    if [ -S "$W/$peer/sock" ]; then
      ids=$(cli "$peer" ps -aq 2>/dev/null || true)
      [ -z "$ids" ] || cli "$peer" rm -f $ids >/dev/null 2>&1 || true
    fi
  done
  for pidfile in "$W"/*/daemon.pid "$W"/*/containerd.pid; do # dockerd before its containerd
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  pkill -9 -f "containerd-shim-runc-v2 .*$W/" 2>/dev/null || true # only if rm -f above could not run
  grep -F "$W" /proc/mounts | awk '{ print $2 }' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  for c in /sys/fs/cgroup/*/"$CGP" /sys/fs/cgroup/unified/"$CGP"; do
    [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  ip netns del "$HNSNS" 2>/dev/null || true
  rm -rf "$W" || true
  exit $rc
}
trap cleanup EXIT

start_dockerd() {
  local d=$W/dockerd
  mkdir -p "$d/ctrd"
  cat > "$d/ctrd/config.toml" <<EOF
version = 2
root = "$d/ctrd/root"
state = "$d/ctrd/state"
[grpc]
  address = "$d/ctrd/containerd.sock"
EOF
  containerd --config "$d/ctrd/config.toml" > "$d/containerd.log" 2>&1 &
  echo $! > "$d/containerd.pid"
  wait_for 30 "containerd" test -S "$d/ctrd/containerd.sock"
  echo '{}' > "$d/daemon.json"
  dockerd --config-file "$d/daemon.json" --data-root "$d/root" --exec-root "$d/exec" --pidfile "$d/dockerd.pidfile" \
    -H "unix://$d/sock" --containerd "$d/ctrd/containerd.sock" --iptables=false --ip6tables=false \
    --ip-masq=false --ip-forward=false --bridge=none --storage-driver=overlay2 \
    --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$CGP" > "$d/dockerd.log" 2>&1 &
  echo $! > "$d/daemon.pid"
  wait_for 60 "dockerd" cli dockerd version || { tail -n 20 "$d/dockerd.log" >&2; return 1; }
}

start_silod() {
  local d=$W/silod
  mkdir -p "$d"
  ip netns add "$HNSNS"
  "$repo/dist/bin/silod" -H "unix://$d/sock" --data-root "$d/root" --exec-root "$W/x" --hns-host-netns "$HNSNS" \
    > "$d/silod.log" 2>&1 &
  echo $! > "$d/daemon.pid"
  wait_for 60 "silod" cli silod version || { tail -n 20 "$d/silod.log" >&2; return 1; }
}

# One image for every peer: a busybox-static rootfs imported into dockerd, saved as a docker-archive and
# loaded into the others.
start_dockerd
"$repo/tools/busybox-rootfs.sh" "$W/rootfs" >/dev/null
tar -C "$W/rootfs" -c . | cli dockerd import - "$IMG" >/dev/null
cli dockerd save -o "$W/image.tar" "$IMG"
for peer in "${peers[@]}"; do
  [ "$peer" = dockerd ] && continue
  "start_$peer"
  cli "$peer" load -q -i "$W/image.tar" >/dev/null || { tail -n 20 "$W/$peer/$peer.log" >&2; exit 1; }
done
declare -A idle
for peer in "${peers[@]}"; do
  cli "$peer" run --rm --network none "$IMG" true # first run warms caches on every peer alike
  idle[$peer]=$(rss_kb "$(cat "$W/$peer/daemon.pid")")
done
[ -f "$W/dockerd/containerd.pid" ] && idle[containerd]=$(rss_kb "$(cat "$W/dockerd/containerd.pid")")

echo "run-docker: load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# 1. docker run --rm, interleaved: round r runs every peer once.
for peer in "${peers[@]}"; do : > "$W/$peer.run"; done
for ((r = 0; r < warmup + runs; r++)); do
  for peer in "${peers[@]}"; do
    t0=$EPOCHREALTIME
    cli "$peer" run --rm --network none "$IMG" true
    t1=$EPOCHREALTIME
    [ $r -lt "$warmup" ] || echo "$t0 $t1" | awk '{ printf "%.3f\n", ($2 - $1) * 1000 }' >> "$W/$peer.run"
  done
done

# 2. P detached containers started at once, then the RSS of what keeps each one, then rm -f of all.
declare -A partime keeper rmtime
for peer in "${peers[@]}"; do
  t0=$EPOCHREALTIME
  jobs_=()
  for ((i = 0; i < par; i++)); do
    cli "$peer" run -d --network none --name "p$i" "$IMG" sleep 600 >/dev/null &
    jobs_+=($!)
  done
  for j in "${jobs_[@]}"; do wait "$j"; done # not a bare wait: the daemons are background jobs too
  t1=$EPOCHREALTIME
  partime[$peer]=$(echo "$t0 $t1" | awk '{ printf "%.1f", ($2 - $1) * 1000 }')
  [ "$(cli "$peer" ps -q | wc -l)" -eq "$par" ] || { echo "run-docker: $peer is not running $par containers" >&2; exit 1; }
  case $peer in
    dockerd) pids=$(pgrep -f "containerd-shim-runc-v2 .*-address $W/dockerd/ctrd/containerd.sock" || true) ;;
    silod) pids=$(for f in "$W"/x/hcs/*/monitor.pid; do [ -f "$f" ] && echo "$(cat "$f")"; done) ;;
  esac
  total=0 count=0
  for pid in $pids; do total=$((total + $(rss_kb "$pid"))); count=$((count + 1)); done
  keeper[$peer]=$([ "$count" -gt 0 ] && echo "$total $count" | awk '{ printf "%.0f kB (%d procs)", $1 / $2, $2 }' || echo "n/a")
  t0=$EPOCHREALTIME
  cli "$peer" rm -f $(cli "$peer" ps -aq) >/dev/null
  t1=$EPOCHREALTIME
  rmtime[$peer]=$(echo "$t0 $t1" | awk '{ printf "%.1f", ($2 - $1) * 1000 }')
done
echo "run-docker: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%8.1f %8.1f %8.1f", v[1], v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)] }'; }
ref=$(sort -n "$W/dockerd.run" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo
echo "docker run --rm IMAGE true, $runs runs (ms)     min   median      p90   x dockerd"
for peer in "${peers[@]}"; do
  med=$(sort -n "$W/$peer.run" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  printf '%-40s %s %9.2f\n' "$peer" "$(stats "$W/$peer.run")" "$(echo "$med $ref" | awk '{ print $1 / $2 }')"
done
echo
printf '%-10s %22s %16s %22s %28s\n' peer "start $par parallel ms" "rm -f all ms" "daemon idle RSS" "RSS per container keeper"
for peer in "${peers[@]}"; do
  extra=""
  [ "$peer" = dockerd ] && extra=" (+containerd $((idle[containerd] / 1024)) MiB)"
  printf '%-10s %22s %16s %22s %28s\n' "$peer" "${partime[$peer]}" "${rmtime[$peer]}" \
    "$((idle[$peer] / 1024)) MiB$extra" "${keeper[$peer]}"
done
