# Shared helpers of the real-client conformance scripts (sourced, not run): package install, TAP-style
# checks with a summary, bounded waits, and cleanup of a private work dir that never crosses a mount.
# shellcheck shell=bash

CLIENTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$CLIENTS_DIR/../../../.." && pwd)
RUNTIME=${RUNTIME:-/usr/sbin/runc}
CACHE=${CACHE:-/var/cache/silo-clients}
export DEBIAN_FRONTEND=noninteractive
PASSED=0
FAILED=0
SKIPPED=0
CHECK_NO=0

log() { echo "# $*"; }
die() { echo "FATAL: $*" >&2; exit 2; }

require_root_runtime() {
  [ "$(id -u)" = 0 ] || die "must run as root"
  case "$RUNTIME" in /*) ;; *) die "RUNTIME must be an absolute path, got '$RUNTIME'" ;; esac
  [ -x "$RUNTIME" ] || die "RUNTIME $RUNTIME is not executable"
}

# Installs the named Debian packages that are missing; `apt-get update` runs once, and only if needed.
need_pkgs() {
  local missing="" p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  log "installing:$missing"
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# check "what" cmd… : runs cmd, prints `ok N - what` or `not ok N - what` plus the cmd's output as comments.
check() {
  local what=$1 out rc=0
  shift
  CHECK_NO=$((CHECK_NO + 1))
  out=$("$@" 2>&1) || rc=$?
  if [ "$rc" = 0 ]; then
    PASSED=$((PASSED + 1))
    echo "ok $CHECK_NO - $what"
  else
    FAILED=$((FAILED + 1))
    echo "not ok $CHECK_NO - $what"
    case $rc in 124 | 137) out="$out${out:+
}(timed out: STEP_TIMEOUT=${STEP_TIMEOUT:-120}s)" ;; esac
    printf '%s\n' "$out" | tail -n 15 | sed 's/^/#   /'
  fi
}

# expect_out "what" PATTERN cmd… : the cmd must succeed and its output must match the grep -E PATTERN.
expect_out() {
  local what=$1 pat=$2
  shift 2
  check "$what" _expect_out "$pat" "$@"
}
_expect_out() {
  local pat=$1 out
  shift
  out=$("$@" 2>&1) || { echo "exit $?: $out"; return 1; }
  printf '%s\n' "$out" | tr -d '\r' | grep -Eq -- "$pat" || { echo "output did not match /$pat/:"; echo "$out"; return 1; }
}

# wait_for SECONDS what cmd… : polls cmd every 0.1 s; fails clearly on timeout.
wait_for() {
  local secs=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + secs))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "timeout after ${secs}s waiting for $what" >&2
      return 1
    fi
    sleep 0.1
  done
}

summary() {
  if [ "$SKIPPED" -gt 0 ]; then
    echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
  else
    echo "$PASSED passed, $FAILED failed"
  fi
}

# Stops the process whose pid is in FILE (TERM, then KILL after 10 s), waiting for it to exit.
stop_pidfile() {
  local f=$1 pid
  [ -s "$f" ] || return 0
  pid=$(cat "$f")
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# Unmounts everything under DIR (deepest first) and removes it without crossing into any mount.
remove_private_dir() {
  local dir=$1 m
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  for m in $(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  if awk -v d="$dir/" 'index($2, d) == 1 { f = 1 } END { exit !f }' /proc/self/mounts; then
    echo "warning: mounts remain under $dir; not removing it" >&2
    return 0
  fi
  rm -rf --one-file-system "$dir"
}

# Removes cgroup directories (v1 controllers and the unified tree) whose name matches the grep -E PATTERN,
# deepest first; used to take away what a client created under a private cgroup parent.
remove_cgroups() {
  local pat=$1 d
  find /sys/fs/cgroup -mindepth 2 -depth -type d 2>/dev/null | grep -E -- "$pat" | while read -r d; do
    rmdir "$d" 2>/dev/null || true
  done
}

# Builds the busybox rootfs (tools/busybox-rootfs.sh) at DIR/rootfs and an OCI image layout of it at
# DIR/oci (tag latest, cmd /bin/sh) with umoci, as reference/clients.md describes.
build_busybox_image() {
  local dir=$1
  need_pkgs umoci busybox-static xz-utils
  "$REPO_ROOT/tools/busybox-rootfs.sh" "$dir/rootfs" "$dir/busybox.tar.xz"
  umoci init --layout "$dir/oci"
  umoci new --image "$dir/oci:latest"
  umoci unpack --image "$dir/oci:latest" "$dir/bundle" >/dev/null
  tar -C "$dir/bundle/rootfs" -xJf "$dir/busybox.tar.xz"
  umoci repack --image "$dir/oci:latest" "$dir/bundle" >/dev/null
  umoci config --image "$dir/oci:latest" --config.cmd /bin/sh \
    --config.env PATH=/usr/sbin:/usr/bin:/sbin:/bin --os linux --architecture amd64
  umoci gc --layout "$dir/oci"
  rm -rf --one-file-system "$dir/bundle"
}

# Starts docker-registry on 127.0.0.1:PORT with storage in DIR and pushes DIR/../oci:latest as
# 127.0.0.1:PORT/busybox-static:latest; the pid goes to DIR.pid.
start_registry() {
  local dir=$1 port=$2 oci=$3
  need_pkgs docker-registry skopeo
  mkdir -p "$dir"
  cat > "$dir.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $dir}}
http: {addr: 127.0.0.1:$port}
YML
  docker-registry serve "$dir.yml" > "$dir.log" 2>&1 &
  echo $! > "$dir.pid"
  wait_for 30 "registry on 127.0.0.1:$port" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" ||
    { cat "$dir.log" >&2; return 1; }
  timeout 120 skopeo copy -q --dest-tls-verify=false "oci:$oci:latest" "docker://127.0.0.1:$port/busybox-static:latest"
}

# A free loopback TCP port (the kernel picks one; the small race is acceptable for a test harness).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}

# Starts a private containerd (CRI off, every path under DIR) and waits until it answers.
start_containerd() {
  local dir=$1
  need_pkgs containerd
  mkdir -p "$dir"
  cat > "$dir.toml" <<TOML
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
[debug]
  address = "$dir/debug.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
TOML
  containerd --config "$dir.toml" > "$dir.log" 2>&1 &
  echo $! > "$dir.pid"
  wait_for 30 "containerd at $dir/containerd.sock" ctr -a "$dir/containerd.sock" version ||
    { tail -n 20 "$dir.log" >&2; return 1; }
}

# Kills and removes every task and container of containerd namespace NS (ctr at socket SOCK).
ctr_purge() {
  local sock=$1 ns=$2 id
  for id in $(timeout 30 ctr -a "$sock" -n "$ns" task ls -q 2>/dev/null); do
    timeout 30 ctr -a "$sock" -n "$ns" task kill -s SIGKILL "$id" >/dev/null 2>&1
    timeout 30 ctr -a "$sock" -n "$ns" task rm -f "$id" >/dev/null 2>&1
  done
  for id in $(timeout 30 ctr -a "$sock" -n "$ns" container ls -q 2>/dev/null); do
    timeout 30 ctr -a "$sock" -n "$ns" container rm "$id" >/dev/null 2>&1
  done
}

# cg_read PID CONTROLLER V1FILE V2FILE: prints the cgroup file of PID's cgroup as seen on the host
# (v1 hierarchy of CONTROLLER, else the unified one), e.g. cg_read 123 memory memory.limit_in_bytes memory.max.
cg_read() {
  local pid=$1 ctrl=$2 f1=$3 f2=$4 path
  path=$(awk -F: -v c="$ctrl" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' \
    "/proc/$pid/cgroup")
  if [ -n "$path" ] && [ -r "/sys/fs/cgroup/$ctrl$path/$f1" ]; then
    cat "/sys/fs/cgroup/$ctrl$path/$f1"
  else
    path=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
    cat "/sys/fs/cgroup$path/$f2"
  fi
}

# Host paths the clients create outside any private dir: skopeo/podman's blob-info cache
# (/var/lib/containers/cache), containerd 1.6 shim sockets and ctr FIFOs (/run/containerd), dockerd's
# plugin dir (/run/docker) and trust key (/etc/docker/key.json), runc's, crun's and runhcs's default roots (used by
# conmon, which passes no --root). host_paths_snapshot must run before the EXIT trap is set, so that
# host_paths_cleanup only removes what this run created (directories only when left empty).
HOST_PATHS="/var/lib/containers /run/containerd /run/docker /etc/docker/key.json /run/runc /run/crun /run/runhcs"
host_paths_snapshot() {
  local p
  : > "$W/host-paths.existed"
  for p in $HOST_PATHS; do
    [ -e "$p" ] && echo "$p" >> "$W/host-paths.existed"
  done
  true
}
host_paths_cleanup() {
  local p
  [ -f "$W/host-paths.existed" ] || return 0
  for p in $HOST_PATHS; do
    grep -qxF "$p" "$W/host-paths.existed" && continue
    [ -e "$p" ] || continue
    case $p in
      /var/lib/containers) rm -rf --one-file-system "$p" ;;
      /etc/docker/key.json) rm -f "$p" ;;
      *) find "$p" -depth -type d -empty -delete 2>/dev/null ;;
    esac
  done
}

# Runs a client command with a time limit (STEP_TIMEOUT, default 120 s) so that a hanging runtime turns
# into a failed check instead of a hung harness. Not for commands that need the tty's foreground group:
# wrap `script` around those, not the client.
bounded() { timeout -k 5 "${STEP_TIMEOUT:-120}" "$@"; }
