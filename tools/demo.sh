#!/bin/sh
# The README's first command: real containers run by runhcs and shown by hcsdiag/hnsdiag.
#   nat path (once the Linux dataplane programs HNS networks): a NAT network made with hnsdiag from
#     a JSON document, two endpoints (one mapping host port 8080 to 80), a web server and a client
#     container joined to them through the dev.silo.endpoint annotation, the client fetching from
#     the web server by address, and the host fetching through the mapped port.
#   veth path (until then): two network namespaces joined by a veth pair made here.
# SILO_DEMO=nat|veth forces a path. Everything the demo creates is removed on exit.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd -P)
runhcs=$top/dist/bin/runhcs
hcsdiag=$top/dist/bin/hcsdiag
hnsdiag=$top/dist/bin/hnsdiag
[ "$(id -u)" = 0 ] || { echo "demo: containers need root; run as root" >&2; exit 1; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

mode=${SILO_DEMO:-}
if [ -z "$mode" ]; then
  # The nat path needs a dataplane that really programs links, addresses and nft rules.
  if "$hnsdiag" --version | grep -q LinuxDataplane; then mode=nat; else mode=veth; fi
fi
[ "$mode" = nat ] && exec "$top/tools/demo-nat.sh"

W=$(mktemp -d /tmp/silo-demo.XXXXXX)
root=$W/state
tag=$$
nsa=silo-demo-a-$tag
nsb=silo-demo-b-$tag

cleanup() {
  "$runhcs" --root "$root" delete --force web >/dev/null 2>&1 || true
  "$runhcs" --root "$root" delete --force client >/dev/null 2>&1 || true
  ip netns del "$nsa" 2>/dev/null || true
  ip netns del "$nsb" 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT INT TERM


say "building a busybox rootfs"
"$top/tools/busybox-rootfs.sh" "$W/rootfs" >/dev/null
mkdir -p "$W/rootfs/www"
echo "hello from a Silo container (served by busybox httpd in network namespace $nsa)" > "$W/rootfs/www/index.html"

say "network: two namespaces joined by a veth pair, 10.231.$((tag % 250)).1 <-> .2"
net=10.231.$((tag % 250))
ip netns add "$nsa"
ip netns add "$nsb"
ip -n "$nsa" link add eth0 type veth peer name eth0 netns "$nsb"
ip -n "$nsa" addr add "$net.1/24" dev eth0
ip -n "$nsb" addr add "$net.2/24" dev eth0
for n in "$nsa" "$nsb"; do ip -n "$n" link set lo up; ip -n "$n" link set eth0 up; done

bundle() { # dir netns hostname args-json
  mkdir -p "$1"
  ln -s "$W/rootfs" "$1/rootfs"
  "$runhcs" spec --bundle "$1"
  jq --arg ns "/var/run/netns/$2" --arg h "$3" --argjson args "$4" \
    '.process.terminal = false | .hostname = $h | .root.readonly = false | .process.args = $args
     | .linux.namespaces |= map(if .type == "network" then .path = $ns else . end)' \
    "$1/config.json" > "$1/config.tmp" && mv "$1/config.tmp" "$1/config.json"
}
bundle "$W/web" "$nsa" web '["httpd", "-f", "-p", "80", "-h", "/www"]'
# Debian 12's busybox wget crashes; a raw HTTP request through nc does the same job.
bundle "$W/client" "$nsb" client '["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do printf \"GET / HTTP/1.0\\r\\n\\r\\n\" | nc -w 2 '"$net"'.1 80 && exit 0; sleep 0.2; done; exit 1"]'

say "runhcs run -d web   (busybox httpd in $nsa)"
"$runhcs" --root "$root" run -d --bundle "$W/web" web
"$runhcs" --root "$root" state web

say "runhcs run client   (HTTP GET http://$net.1/ from $nsb)"
"$runhcs" --root "$root" run --bundle "$W/client" client

say "runhcs exec web ps   (processes inside the web container)"
"$runhcs" --root "$root" exec web ps

say "hcsdiag list"
"$hcsdiag" list --root "$root"

say "hcsdiag stat web --json"
"$hcsdiag" stat web --root "$root" --json

say "runhcs kill web KILL; runhcs delete web"
"$runhcs" --root "$root" kill web KILL
"$runhcs" --root "$root" delete --force web
"$hcsdiag" list --root "$root"
say "done: every container, namespace and cgroup of the demo is gone"
