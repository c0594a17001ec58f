#!/bin/bash
# Drives $RUNTIME through podman 4.3 + conmon (`podman --runtime $RUNTIME`, cgroupfs manager, vfs storage,
# private root/runroot) with a busybox image pulled from a private loopback registry: run, exec (plain and
# tty), ps/top, pause/unpause, kill, start, stop, rm and cgroup limits.
# Usage: RUNTIME=/abs/runtime silo-tck/src/test/clients/podman.sh
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
  [ -x "$W/pw" ] && p rm -f -a -t 0 >/dev/null 2>&1
  stop_pidfile "$W/reg.pid"
  remove_cgroups "/$CGP(/|\$)"
  # podman puts conmon under <parent>/conmon, and <parent> is created on first use.
  if [ ! -e "$W/libpod_parent.existed" ]; then remove_cgroups '/libpod_parent(/|$)'; fi
  host_paths_cleanup
  remove_private_dir "$W"
}

# $W/pw is podman with the private configuration; a file so that `script -c` can run it too.
write_wrapper() {
  cat > "$W/pw" <<EOF
#!/bin/sh
export CONTAINERS_CONF="$W/containers.conf" CONTAINERS_REGISTRIES_CONF="$W/registries.conf"
exec podman --root "$W/p/root" --runroot "$W/p/runroot" --storage-driver vfs --runtime "$RUNTIME" "\$@"
EOF
  chmod +x "$W/pw"
}
p() { bounded "$W/pw" "$@"; }
prun() { p run --cgroup-parent "/$CGP" "$@"; }
status_is() { [ "$(p inspect -f '{{.State.Status}}' "$1" 2>/dev/null)" = "$2" ]; }
freezer_state() {
  local id
  id=$(p inspect -f '{{.Id}}' "$1")
  cat /sys/fs/cgroup/freezer/"$CGP"/*"$id"*/freezer.state 2>/dev/null || cat /sys/fs/cgroup/"$CGP"/*"$id"*/cgroup.freeze
}
in_tty() { bounded script -qefc "$1" /dev/null </dev/null; }
exit_code_is() {
  local want=$1 rc=0
  shift
  "$@" || rc=$?
  [ "$rc" = "$want" ] || { echo "exit $rc, want $want"; return 1; }
}

setup() {
  require_root_runtime
  need_pkgs podman conmon umoci skopeo docker-registry busybox-static util-linux
  mkdir -p "$W/img" "$W/p/tmp"
  cat > "$W/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
netns = "none"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$W/p/tmp"
[engine.runtimes]
silo = ["$RUNTIME"]
EOF
  printf 'unqualified-search-registries = []\n[[registry]]\nlocation = "127.0.0.1:%s"\ninsecure = true\n' "$PORT" \
    > "$W/registries.conf"
  write_wrapper
  build_busybox_image "$W/img" >/dev/null
  start_registry "$W/reg" "$PORT" "$W/img/oci"
  p pull -q --tls-verify=false "$IMG" >/dev/null
}

lifecycle_checks() {
  expect_out "run --rm prints the process output" '^hello-silo$' prun --rm "$IMG" sh -c 'echo hello-silo'
  check "run --rm propagates exit code 7" exit_code_is 7 prun --rm "$IMG" sh -c 'exit 7'
  expect_out "run --rm -t gives the process a tty" '(^|\^@)/dev/pts/[0-9]+$' \
    in_tty "$W/pw run --cgroup-parent /$CGP --rm -t $IMG tty"
  check "run -d starts a detached container" prun -d --name p-d "$IMG" sleep 600
  check "container is running" wait_for 30 "p-d running" status_is p-d running
  expect_out "exec prints output" '^exec-ok$' p exec p-d sh -c 'echo exec-ok'
  check "exec propagates exit code 3" exit_code_is 3 p exec p-d sh -c 'exit 3'
  expect_out "exec -t gets a tty" '(^|\^@)/dev/pts/[0-9]+$' \
    in_tty "$W/pw exec -t p-d tty"
  expect_out "ps lists the container" 'p-d' p ps
  expect_out "top shows the container's process" 'sleep 600' p top p-d
  check "pause" p pause p-d
  check "paused container is paused" wait_for 30 "p-d paused" status_is p-d paused
  expect_out "paused container's cgroup is frozen" '^(FROZEN|1)$' freezer_state p-d
  check "unpause" p unpause p-d
  check "unpaused container is running" wait_for 30 "p-d running" status_is p-d running
  check "kill (SIGKILL)" p kill -s KILL p-d
  check "killed container exits" wait_for 30 "p-d exited" status_is p-d exited
  check "start the stopped container again" p start p-d
  check "restarted container is running" wait_for 30 "p-d running" status_is p-d running
  check "stop -t 2 (TERM, then KILL)" p stop -t 2 p-d
  check "stopped container is exited" status_is p-d exited
  local id
  id=$(p inspect -f '{{.Id}}' p-d)
  check "rm" p rm p-d
  check "container is gone from podman" bash -c "! '$W/pw' container exists p-d"
  check "runtime state of p-d is gone" bash -c "! '$RUNTIME' state '$id'"
}

# Cgroup files are read from inside: runc bind-mounts the container's own cgroup dirs at /sys/fs/cgroup
# (v1: one dir per hierarchy; on this host cpu and cpuacct are separate ones). FIRST_OF cats the first
# readable file of its arguments.
FIRST_OF='f() { for x in "$@"; do [ -r "$x" ] && { cat "$x"; return; }; done; echo none; }; f'
limit_checks() {
  expect_out "--memory 64m visible inside" '^67108864$' prun --rm --memory 64m "$IMG" \
    sh -c "$FIRST_OF /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max"
  expect_out "--cpus 0.5 visible inside (quota 50000/100000)" '^(50000|50000 100000)$' prun --rm --cpus 0.5 "$IMG" \
    sh -c "$FIRST_OF /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us /sys/fs/cgroup/cpu.max"
  expect_out "--pids-limit 42 visible inside" '^42$' prun --rm --pids-limit 42 "$IMG" \
    sh -c "$FIRST_OF /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max"
}

# Host paths podman or the runtime may create outside $W; recorded before the trap so that cleanup
# only ever removes what this run made.
record_existing() {
  [ -d /sys/fs/cgroup/memory/libpod_parent ] && : > "$W/libpod_parent.existed"
  host_paths_snapshot
}

main() {
  record_existing
  trap cleanup EXIT
  trap "exit 130" INT
  trap "exit 143" TERM
  local t0
  t0=$(date +%s)
  setup
  echo "# podman $(podman --version | awk '{ print $3 }') with RUNTIME=$RUNTIME, registry 127.0.0.1:$PORT"
  lifecycle_checks
  limit_checks
  echo "# $(($(date +%s) - t0))s"
  summary
  [ "$FAILED" = 0 ]
}
main "$@"
