#!/bin/bash
# Start-up anatomy of runhcs: runs one detached life cycle and one `run` with the launcher's exact command line
# plus -Xlog:class+load, and prints per verb the classes loaded (from the AOT cache / from jars or the runtime
# image / generated), when dev.silo.runhcs.Main was loaded (≈ JVM ready), when the last class was, and wall ms.
# Usage: bench/runhcs-startup.sh [DIST]      (DIST defaults to <repo>/dist; needs root, runc, jq, busybox-static)
# Env: KEEP_LOGS=DIR copies the class-load logs (one per verb) to DIR.
# Note: adding -Xlog keeps -XX:AOTMode=on working with JDK 25 (checked: the cache is used, see the column).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dist=$(cd "${1:-$here/../dist}" && pwd)
work=$(mktemp -d /tmp/silo-startup.XXXXXX)
id="su$$"
trap 'dist/bin/runhcs --root "$work/state" delete --force "$id" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cd "$dist/.." # for the trap's relative path
"$here/make-bundle.sh" "$work/bundle" >/dev/null

# The launcher with its home fixed and the log flag put in front of the main class.
sed -e "s|^home=.*|home=$dist|" -e 's| dev\.silo\.runhcs\.Main | -Xlog:class+load:file="$SILO_CLASSLOG" dev.silo.runhcs.Main |' \
  "$dist/bin/runhcs" > "$work/runhcs"
grep -q 'SILO_CLASSLOG' "$work/runhcs" || { echo "runhcs-startup: launcher format not recognised" >&2; exit 1; }

verb() { # name args...
  local name=$1 log=$work/$1.log s e; shift
  s=$EPOCHREALTIME
  SILO_CLASSLOG=$log sh "$work/runhcs" --root "$work/state" "$@" >/dev/null
  e=$EPOCHREALTIME
  awk -v name="$name" -v wall="$(echo "($e - $s) * 1000" | bc)" '
    { t = substr($1, 2) + 0; last = t }
    / dev\.silo\.runhcs\.Main / { main = t }
    /source: shared objects file/ { aot++; next }
    /source: jrt:|source: file:/ { disk++; next }
    { gen++ }
    END { printf "%-8s %7d %7d %7d %7d %9.1f %9.1f %9.1f\n", name, NR, aot, disk, gen, main * 1000, last * 1000, wall }
  ' "$log"
  if [ -n "${KEEP_LOGS:-}" ]; then mkdir -p "$KEEP_LOGS" && cp "$log" "$KEEP_LOGS/"; fi
}
printf "%-8s %7s %7s %7s %7s %9s %9s %9s\n" verb classes aot jar/jrt other "Main@ms" "last@ms" "wall ms"
verb create create --bundle "$work/bundle" --pid-file "$work/pid" "$id"
verb start start "$id"
while kill -0 "$(cat "$work/pid")" 2>/dev/null; do sleep 0.01; done
verb state state "$id"
verb delete delete "$id"
verb run run --bundle "$work/bundle" "$id-r"
verb version --version
