#!/bin/bash
# Drives $RUNTIME through a private dockerd 20.10 (`--add-runtime silo=$RUNTIME --default-runtime silo`, no
# iptables, no bridge, vfs, its own containerd) with a busybox image pulled from a private loopback
# registry: run, exec (plain and tty), top, pause/unpause, kill, start, stop, rm and cgroup limits.
# Usage: RUNTIME=/abs/runtime silo-tck/src/test/clients/dockerd.sh
# Prints `ok N - what` / `not ok N - what` and a final `N passed, N failed`; exit status 1 on any failure.
set -eu
# No stdin: the clients must not read a terminal, so runs behave the same in CI and by hand.
exec </dev/null
. "$(dirname "$0")/lib.sh"

W=$(mktemp -d)
CGP=silotck$$
PORT=$(free_port)
IMG=127.0.0.1:$PORT/busybox-static:latest

cleanup() {
  set +e
  if [ -x "$W/dk" ] && [ -S "$W/d/docker.sock" ]; then
    "$W/dk" ps -aq 2>/dev/null | xargs -r "$W/dk" rm -f >/dev/null 2>&1
  fi
  stop_pidfile "$W/d/pid.run"
  [ -S "$W/ctrd/containerd.sock" ] && ctr_purge "$W/ctrd/containerd.sock" moby
  stop_pidfile "$W/ctrd.pid"
  stop_pidfile "$W/reg.pid"
  host_paths_cleanup
  remove_cgroups "/$CGP(/|\$)"
  remove_private_dir "$W"
}

# $W/dk is the docker CLI bound to the private daemon; a file so that `script -c` can run it too.
write_wrapper() {
  cat > "$W/dk" <<EOF
#!/bin/sh
export DOCKER_HOST="unix://$W/d/docker.sock" DOCKER_CONFIG="$W/dcfg"
exec docker "\$@"
EOF
  chmod +x "$W/dk"
}
d() { bounded "$W/dk" "$@"; }
drun() { d run --network none "$@"; }
status_is() { [ "$(d inspect -f '{{.State.Status}}' "$1" 2>/dev/null)" = "$2" ]; }
freezer_state() {
  local id
  id=$(d inspect -f '{{.Id}}' "$1")
  cat "/sys/fs/cgroup/freezer/$CGP/$id/freezer.state" 2>/dev/null || cat "/sys/fs/cgroup/$CGP/$id/cgroup.freeze"
}
in_tty() { bounded script -qefc "$1" /dev/null </dev/null; }
exit_code_is() {
  local want=$1 rc=0
  shift
  "$@" || rc=$?
  [ "$rc" = "$want" ] || { echo "exit $rc, want $want"; return 1; }
}

start_dockerd() {
  mkdir -p "$W/d" "$W/dcfg"
  echo '{}' > "$W/daemon.json"
  dockerd --config-file "$W/daemon.json" --data-root "$W/d/root" --exec-root "$W/d/exec" --pidfile "$W/d/pid" \
    -H "unix://$W/d/docker.sock" --containerd "$W/ctrd/containerd.sock" --iptables=false --ip6tables=false \
    --ip-masq=false --ip-forward=false --bridge=none --storage-driver=vfs \
    --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$CGP" \
    --add-runtime "silo=$RUNTIME" --default-runtime silo > "$W/dockerd.log" 2>&1 &
  echo $! > "$W/d/pid.run"
  wait_for 30 "dockerd at $W/d/docker.sock" d version || { tail -n 20 "$W/dockerd.log" >&2; return 1; }
}

setup() {
  require_root_runtime
  need_pkgs docker.io containerd docker-registry umoci skopeo busybox-static util-linux
  write_wrapper
  mkdir -p "$W/img"
  build_busybox_image "$W/img" >/dev/null
  start_registry "$W/reg" "$PORT" "$W/img/oci"
  start_containerd "$W/ctrd"
  start_dockerd
  d pull -q "$IMG" >/dev/null
}

lifecycle_checks() {
  expect_out "run --rm prints the process output" '^hello-silo$' drun --rm "$IMG" sh -c 'echo hello-silo'
  check "run --rm propagates exit code 7" exit_code_is 7 drun --rm "$IMG" sh -c 'exit 7'
  expect_out "run --rm -t gives the process a tty" '(^|\^@)/dev/pts/[0-9]+$' \
    in_tty "$W/dk run --network none --rm -t $IMG tty"
  check "run -d starts a detached container" drun -d --name d-d "$IMG" sleep 600
  check "container is running" wait_for 30 "d-d running" status_is d-d running
  expect_out "exec prints output" '^exec-ok$' d exec d-d sh -c 'echo exec-ok'
  check "exec propagates exit code 3" exit_code_is 3 d exec d-d sh -c 'exit 3'
  expect_out "exec -t gets a tty" '(^|\^@)/dev/pts/[0-9]+$' in_tty "$W/dk exec -t d-d tty"
  expect_out "top shows the container's process" 'sleep 600' d top d-d
  check "pause" d pause d-d
  check "paused container is paused" wait_for 30 "d-d paused" status_is d-d paused
  expect_out "paused container's cgroup is frozen" '^(FROZEN|1)$' freezer_state d-d
  check "unpause" d unpause d-d
  check "unpaused container is running" wait_for 30 "d-d running" status_is d-d running
  check "kill (SIGKILL)" d kill d-d
  check "killed container exits" wait_for 30 "d-d exited" status_is d-d exited
  check "start the stopped container again" d start d-d
  check "restarted container is running" wait_for 30 "d-d running" status_is d-d running
  check "stop -t 2 (TERM, then KILL)" d stop -t 2 d-d
  check "stopped container is exited" status_is d-d exited
  local id
  id=$(d inspect -f '{{.Id}}' d-d)
  check "rm" d rm d-d
  check "container is gone from docker" bash -c "! '$W/dk' inspect d-d"
  check "runtime state of d-d is gone" bash -c "! '$RUNTIME' --root '$W/d/exec/runtime-silo/moby' state '$id'"
}

# Cgroup files are read from inside: docker's spec mounts cgroupfs and runc binds the container's own
# dirs there (v1: one dir per hierarchy; here cpu and cpuacct are separate). FIRST_OF cats the first
# readable file of its arguments.
FIRST_OF='f() { for x in "$@"; do [ -r "$x" ] && { cat "$x"; return; }; done; echo none; }; f'
limit_checks() {
  expect_out "--memory 64m visible inside" '^67108864$' drun --rm --memory 64m "$IMG" \
    sh -c "$FIRST_OF /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max"
  expect_out "--cpus 0.5 visible inside (quota 50000/100000)" '^(50000|50000 100000)$' drun --rm --cpus 0.5 "$IMG" \
    sh -c "$FIRST_OF /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us /sys/fs/cgroup/cpu.max"
  expect_out "--pids-limit 42 visible inside" '^42$' drun --rm --pids-limit 42 "$IMG" \
    sh -c "$FIRST_OF /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max"
}

main() {
  host_paths_snapshot
  trap cleanup EXIT
  trap "exit 130" INT
  trap "exit 143" TERM
  local t0
  t0=$(date +%s)
  setup
  echo "# dockerd $(dockerd --version | awk '{ print $3 }' | tr -d ,) with RUNTIME=$RUNTIME, registry 127.0.0.1:$PORT"
  lifecycle_checks
  limit_checks
  echo "# $(($(date +%s) - t0))s"
  summary
  [ "$FAILED" = 0 ]
}
main "$@"
