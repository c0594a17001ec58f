#!/bin/bash
# Drives $RUNTIME through a private containerd 1.6 (CRI off) and `ctr run --runc-binary $RUNTIME`, i.e. the
# runc v2 shim's exact argv: run/exec (plain and tty), ps, pause/resume, kill, rm and cgroup limits.
# Usage: RUNTIME=/abs/runtime silo-tck/src/test/clients/containerd.sh
# Prints `ok N - what` / `not ok N - what` and a final `N passed, N failed`; exit status 1 on any failure.
set -eu
# No stdin: the clients must not read a terminal (ctr copies stdin into the container).
exec </dev/null
. "$(dirname "$0")/lib.sh"

W=$(mktemp -d)
NS=silotck$$
IMG=localhost/busybox-static:latest

cleanup() {
  set +e
  [ -S "$W/ctrd/containerd.sock" ] && ctr_purge "$W/ctrd/containerd.sock" "$NS"
  stop_pidfile "$W/ctrd.pid"
  host_paths_cleanup
  remove_cgroups "/$NS(/|\$)"
  remove_private_dir "$W"
}

c() { bounded ctr -a "$W/ctrd/containerd.sock" -n "$NS" "$@"; }
crun_() { c run --runc-binary "$RUNTIME" --runc-root "$W/runc-root" --fifo-dir "$W/fifo" "$@"; }
cexec() { c task exec --fifo-dir "$W/fifo" "$@"; }
ignore_rc() { "$@" || true; }
task_status() { c task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'; }
status_is() { [ "$(task_status "$1")" = "$2" ]; }
freezer_state() { cat "/sys/fs/cgroup/freezer/$NS/$1/freezer.state" 2>/dev/null || cat "/sys/fs/cgroup/$NS/$1/cgroup.freeze"; }
# Fails listing any of the globs that is a directory on a cgroup filesystem (plain tmpfs dirs, as crun
# leaves under an unmounted /sys/fs/cgroup/unified, are not cgroups).
no_cgroup_dirs() {
  local d found=0
  # shellcheck disable=SC2068
  for d in $@; do
    [ -d "$d" ] || continue
    case $(stat -f -c %T "$d") in cgroup*) echo "left: $d"; found=1 ;; esac
  done
  [ "$found" = 0 ]
}
in_tty() { bounded script -qefc "$1" /dev/null </dev/null; }

setup() {
  require_root_runtime
  need_pkgs containerd umoci skopeo busybox-static util-linux jq
  mkdir -p "$W/img"
  build_busybox_image "$W/img" >/dev/null
  tar -C "$W/img/oci" -cf "$W/img.tar" .
  start_containerd "$W/ctrd"
  c images import --base-name localhost/busybox-static --all-platforms "$W/img.tar" >/dev/null
}

exit_code_is() {
  local want=$1 rc=0
  shift
  "$@" || rc=$?
  [ "$rc" = "$want" ] || { echo "exit $rc, want $want"; return 1; }
}

lifecycle_checks() {
  expect_out "run --rm prints the process output" '^hello-silo$' crun_ --rm "$IMG" t-rm sh -c 'echo hello-silo'
  check "run --rm propagates exit code 7" exit_code_is 7 crun_ --rm "$IMG" t-rc sh -c 'exit 7'
  expect_out "run --rm -t gives the process a tty" '(^|\^@)/dev/pts/[0-9]+$' \
    in_tty "ctr -a $W/ctrd/containerd.sock -n $NS run --runc-binary $RUNTIME --runc-root $W/runc-root --fifo-dir $W/fifo --rm -t $IMG t-tty tty"
  check "run -d starts a detached task" crun_ -d "$IMG" t-d sleep 600
  check "task is RUNNING" wait_for 30 "t-d running" status_is t-d RUNNING
  expect_out "task exec prints output" '^exec-ok$' cexec --exec-id e1 t-d sh -c 'echo exec-ok'
  check "task exec propagates exit code 3" exit_code_is 3 cexec --exec-id e1b t-d sh -c 'exit 3'
  expect_out "task exec -t gets a tty" '(^|\^@)/dev/pts/[0-9]+$' \
    in_tty "ctr -a $W/ctrd/containerd.sock -n $NS task exec --fifo-dir $W/fifo -t --exec-id e2 t-d tty"
  expect_out "task ps lists the init pid" "^$(c task ls | awk '$1 == "t-d" { print $2 }')[[:space:]]" c task ps t-d
  check "task pause" c task pause t-d
  check "paused task is PAUSED" wait_for 30 "t-d paused" status_is t-d PAUSED
  expect_out "paused task's cgroup is frozen" '^(FROZEN|1)$' freezer_state t-d
  check "task resume" c task resume t-d
  check "resumed task is RUNNING" wait_for 30 "t-d running" status_is t-d RUNNING
  expect_out "resumed task's cgroup is thawed" '^(THAWED|0)$' freezer_state t-d
  check "task kill -s SIGKILL" c task kill -s SIGKILL t-d
  check "killed task is STOPPED" wait_for 30 "t-d stopped" status_is t-d STOPPED
  check "task rm" c task rm t-d
  check "container rm" c container rm t-d
  check "runtime state of t-d is gone" bash -c "! '$RUNTIME' --root '$W/runc-root/$NS' state t-d"
  check "cgroup of t-d is gone" no_cgroup_dirs "/sys/fs/cgroup/*/$NS/t-d" "/sys/fs/cgroup/$NS/t-d"
}

# ctr's default spec mounts no cgroupfs inside, so the files are read on the host, in the cgroup that
# /proc/<task pid>/cgroup names (the same directories runc would bind-mount inside).
limit_checks() {
  local pid
  check "run -d --memory-limit 64 MiB --cpus 0.5" crun_ -d --memory-limit 67108864 --cpus 0.5 "$IMG" t-lim sleep 600
  pid=$(c task ls | awk '$1 == "t-lim" { print $2 }')
  expect_out "memory limit 67108864 in the task's cgroup" '^67108864$' \
    cg_read "$pid" memory memory.limit_in_bytes memory.max
  expect_out "cpu quota 50000 in the task's cgroup" '^50000( 100000)?$' cg_read "$pid" cpu cpu.cfs_quota_us cpu.max
  expect_out "cpu period 100000 in the task's cgroup" '^100000$|^50000 100000$' \
    cg_read "$pid" cpu cpu.cfs_period_us cpu.max
  ctr_purge "$W/ctrd/containerd.sock" "$NS"
  # ctr has no pids flag: a spec from `ctr oci spec` patched with jq carries linux.resources.pids.
  c oci spec | jq --arg root "$W/img/rootfs" --arg cg "/$NS/t-pids" '.linux.resources.pids = {limit: 42}
    | .process.terminal = false | .root = {path: $root, readonly: true} | .linux.cgroupsPath = $cg
    | .process.env = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"] | .process.args = ["/bin/sleep", "600"]' \
    > "$W/pids-spec.json"
  check "run -d --config spec with pids limit 42" crun_ -d --config "$W/pids-spec.json" t-pids
  pid=$(c task ls | awk '$1 == "t-pids" { print $2 }')
  expect_out "pids limit 42 in the task's cgroup" '^42$' cg_read "$pid" pids pids.max pids.max
  # busybox sh reports the EAGAIN of fork(2) as "can't fork" and gives up with status 2.
  expect_out "pids limit enforced: 50 background sleeps cannot all start" "can't fork" \
    ignore_rc cexec --exec-id e-pids t-pids /bin/sh -c 'i=0; while [ $i -lt 50 ]; do /bin/sleep 60 & i=$((i+1)); done'
  ctr_purge "$W/ctrd/containerd.sock" "$NS"
}

main() {
  host_paths_snapshot
  trap cleanup EXIT
  trap "exit 130" INT
  trap "exit 143" TERM
  local t0
  t0=$(date +%s)
  setup
  echo "# containerd $(containerd --version | awk '{ print $3 }') with RUNTIME=$RUNTIME"
  lifecycle_checks
  limit_checks
  echo "# $(($(date +%s) - t0))s"
  summary
  [ "$FAILED" = 0 ]
}
main "$@"
