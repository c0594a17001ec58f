#!/bin/bash
# Builds the benchmark's OCI bundle in DEST: a busybox rootfs (tools/busybox-rootfs.sh) and `runc spec`
# patched to run /bin/true without a tty, with rlimits clamped to this host's hard limits (there is no
# CAP_SYS_RESOURCE here, so a hard limit above the host's makes the container's setrlimit fail).
# Usage: bench/make-bundle.sh DEST      (needs busybox-static, runc, jq)
set -euo pipefail
dest=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
sh "$repo/tools/busybox-rootfs.sh" "$dest/rootfs"
(cd "$dest" && runc spec)
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
jq --argjson nofile "${nofile/unlimited/1048576}" --argjson nproc "${nproc/unlimited/1048576}" '
  def clamp($max): .hard = ([.hard, $max] | min) | .soft = ([.soft, .hard] | min);
  .process.args = ["/bin/true"]
  | .process.terminal = false
  | .process.rlimits = [.process.rlimits[]
      | if .type == "RLIMIT_NOFILE" then clamp($nofile)
        elif .type == "RLIMIT_NPROC" then clamp($nproc) else . end]
' "$dest/config.json" > "$dest/config.json.new"
mv "$dest/config.json.new" "$dest/config.json"
