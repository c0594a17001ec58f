#!/bin/bash
# Runs runc 1.1.5's own integration tests (bats, from Debian's source package) against $RUNTIME.
# Usage: RUNTIME=/abs/runtime silo-tck/src/test/clients/runc-bats.sh [FILE…]   (FILE = name without .bats)
# Prints the TAP of every file, a `# file FILE: p passed, f failed, s skipped, Ts` line per file, and a final
# `N passed, N failed, N skipped`; exits non-zero on any failure.
set -eu
# No stdin: runs must not depend on a terminal (bats gets its own pty from `script`).
exec </dev/null
. "$(dirname "$0")/lib.sh"

DEFAULT_FILES="start_hello create delete kill exec ps state list pause run cgroups spec update events hooks
  mounts mask tty"
W=$(mktemp -d)

# Snapshot of the plain (non-mountpoint) dirs directly under /sys/fs/cgroup, so that only the ones the
# suite left behind (runc creates controller dirs there on hybrid hosts) are removed afterwards.
cgroup_top_dirs() {
  local d
  for d in /sys/fs/cgroup/*/; do
    d=${d%/}
    mountpoint -q "$d" || echo "$d"
  done | sort
}

cleanup() {
  set +e
  # Tests kill their containers in teardown; anything still listed in a private state dir is stale.
  local st
  for st in "$W"/tmp/bats-run-*/state "$W"/tmp/bats-run-*/*/state; do
    [ -d "$st" ] || continue
    "$RUNTIME" --root "$st" list -q 2>/dev/null | while read -r id; do
      "$RUNTIME" --root "$st" delete -f "$id" >/dev/null 2>&1
    done
  done
  kill_in_test_cgroups
  [ -d /sys/fs/cgroup/unified/runc-cgroups-integration-test ] &&
    find /sys/fs/cgroup/unified/runc-cgroups-integration-test -depth -type d -exec rmdir {} \; 2>/dev/null
  remove_cgroups '/runc-cgroups-integration-test(/|$)'
  comm -13 "$W/cg.before" <(cgroup_top_dirs) | while read -r d; do
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  restore_dev_null
  remove_private_dir "$W"
}

# exec.bats "exec --user vs /dev/null ownership" (runc#3674): a runtime with that bug chowns the host's
# /dev/null to the exec user when it is the process's stdio (crun 1.8.1 does). Put the owner back.
restore_dev_null() {
  [ -s "$W/dev-null.owner" ] || return 0
  local was now
  was=$(cat "$W/dev-null.owner")
  now=$(stat -c %u:%g /dev/null)
  if [ "$now" != "$was" ]; then
    chown "$was" /dev/null
    echo "# WARNING: $RUNTIME changed the host's /dev/null owner to $now; restored $was" >&2
  fi
}

# A runtime that hangs (seen with crun in cgroups.bats) leaves processes in the suite's test cgroups,
# possibly frozen: thaw those cgroups and SIGKILL their processes so the cgroups can be removed.
kill_in_test_cgroups() {
  local d pid _
  # shellcheck disable=SC2044 # cgroup paths here never hold blanks
  for d in $(find /sys/fs/cgroup -path '*/runc-cgroups-integration-test*' -type d 2>/dev/null); do
    [ -f "$d/freezer.state" ] && echo THAWED > "$d/freezer.state" 2>/dev/null
    [ -f "$d/cgroup.freeze" ] && echo 0 > "$d/cgroup.freeze" 2>/dev/null
    for pid in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  for _ in $(seq 50); do
    find /sys/fs/cgroup -path '*/runc-cgroups-integration-test*' -name cgroup.procs -exec cat {} + 2>/dev/null |
      grep -q . || return 0
    sleep 0.1
  done
}

prepare() {
  require_root_runtime
  need_pkgs bats jq gawk util-linux busybox-static golang-go gcc
  SRC="$CACHE/runc-1.1.5"
  if [ ! -x "$SRC/contrib/cmd/recvtty/recvtty" ] || [ ! -s "$SRC/tests/integration/testdata/debian-amd64.tar.xz" ]; then
    CACHE="$CACHE" "$REPO_ROOT/tools/install-client-deps.sh"
  fi
  cgroup_top_dirs > "$W/cg.before"
  stat -c %u:%g /dev/null > "$W/dev-null.owner"
  mkdir -p "$W/tmp"
  private_suite
}

# The suite runs from a private copy (the cache stays pristine) in which the one test that needs the
# internet ("spec validator": git clone + go get from GitHub) is skipped: only loopback traffic is allowed.
private_suite() {
  mkdir -p "$W/runc/tests"
  cp -a "$SRC/tests/integration" "$W/runc/tests/"
  rm -rf "$W/runc/tests/integration/testdata"
  ln -s "$SRC/tests/integration/testdata" "$W/runc/tests/integration/testdata"
  ln -s "$SRC/contrib" "$W/runc/contrib"
  cp "$SRC/go.mod" "$W/runc/go.mod"
  sed -i '/^@test "spec validator" {/a\	skip "needs the internet (git clone github.com); harness is loopback-only"' \
    "$W/runc/tests/integration/spec.bats"
  grep -q 'harness is loopback-only' "$W/runc/tests/integration/spec.bats" || die "could not patch spec.bats"
  SUITE="$W/runc/tests/integration"
}

# Runs one bats file under a pseudo-terminal (foreground `run` and tty tests need one), printing its TAP
# as it comes and keeping it in $W/FILE.tap for the counts.
run_file() {
  local f=$1 start rc p fl s plan missing
  start=$(date +%s%N)
  (cd "$SUITE" &&
    RUNC="$RUNTIME" TMPDIR="$W/tmp" \
      timeout -k 10 "${FILE_TIMEOUT:-900}" script -qefc "bats --tap -T $f.bats" /dev/null </dev/null) 2>&1 | tr -d '\r' | tee "$W/$f.tap"
  rc=${PIPESTATUS[0]}
  p=$(grep -cE '^ok [0-9]+' "$W/$f.tap" | head -n1) || true
  s=$(grep -cE '^ok [0-9]+ .*# skip' "$W/$f.tap") || true
  fl=$(grep -cE '^not ok [0-9]+' "$W/$f.tap") || true
  p=$((p - s))
  # Tests the plan announced but that never reported (a hang hit FILE_TIMEOUT, bats died) count as
  # failed, and so does a file that fails before printing any result (bad setup, missing helper).
  plan=$(grep -m1 -oE '^1\.\.[0-9]+' "$W/$f.tap" | cut -d. -f3) || true
  missing=$((${plan:-0} - p - s - fl))
  if [ "$missing" -gt 0 ]; then
    fl=$((fl + missing))
    echo "not ok - $f.bats: $missing test(s) never reported (exit $rc; 124 = FILE_TIMEOUT ${FILE_TIMEOUT:-900}s)"
  fi
  if [ "$rc" != 0 ] && [ "$fl" = 0 ]; then fl=1; echo "not ok - $f.bats: bats exited $rc"; fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + fl)); SKIPPED=$((SKIPPED + s))
  printf '# file %s: %d passed, %d failed, %d skipped, %.1fs\n' "$f" "$p" "$fl" "$s" \
    "$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { print (b - a) / 1e9 }')"
}

main() {
  trap cleanup EXIT
  trap "exit 130" INT
  trap "exit 143" TERM
  prepare
  local files f t0
  files=${*:-$DEFAULT_FILES}
  t0=$(date +%s)
  echo "# runc 1.1.5 bats against RUNTIME=$RUNTIME ($("$RUNTIME" --version 2>&1 | head -n1))"
  for f in $files; do
    f=${f%.bats}
    [ -f "$SUITE/$f.bats" ] || die "no such bats file: $f"
    run_file "$f"
    restore_dev_null
  done
  echo "# total $(($(date +%s) - t0))s"
  summary_bats
  [ "$FAILED" = 0 ]
}

summary_bats() { echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"; }

main "$@"
