#!/bin/sh
# The README's first command, on an HNS NAT network:
# hnsdiag makes a NAT network and two endpoints from HCN v2 JSON documents, runhcs runs a web
# server and a client on them (annotation dev.silo.endpoint), the client fetches from the server by
# address, and the host fetches through the port mapping 8080 -> 80. Everything is removed on exit;
# the demo keeps its own HNS store, so the host's /var/lib/silo/hns.db is not touched.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd -P)
runhcs=$top/dist/bin/runhcs
hcsdiag=$top/dist/bin/hcsdiag
hnsdiag=$top/dist/bin/hnsdiag
[ "$(id -u)" = 0 ] || { echo "demo: containers need root; run as root" >&2; exit 1; }
W=$(mktemp -d /tmp/silo-demo.XXXXXX)
root=$W/state
SILO_HNS_STORE=$W/hns.db # read by runhcs (the join) and hnsdiag
export SILO_HNS_STORE
net=10.232.$(($$ % 250))
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

cleanup() {
  "$runhcs" --root "$root" delete --force web >/dev/null 2>&1 || true
  "$runhcs" --root "$root" delete --force client >/dev/null 2>&1 || true
  for ep in demo-web demo-client; do "$hnsdiag" delete endpoint "$ep" >/dev/null 2>&1 || true; done
  [ -n "${net_id:-}" ] && { "$hnsdiag" delete network "$net_id" >/dev/null 2>&1 || true; }
  rm -rf "$W"
}
trap cleanup EXIT INT TERM

say "building a busybox rootfs"
"$top/tools/busybox-rootfs.sh" "$W/rootfs" >/dev/null
mkdir -p "$W/rootfs/www"
echo "hello from a Silo container on an HNS NAT network" > "$W/rootfs/www/index.html"

say "hnsdiag create network nat.json   (NAT, $net.0/24, gateway $net.1)"
cat > "$W/nat.json" <<JSON
{"Name": "silo-demo-nat", "Type": "NAT", "SchemaVersion": {"Major": 2, "Minor": 0},
 "Ipams": [{"Type": "Static", "Subnets": [{"IpAddressPrefix": "$net.0/24",
   "Routes": [{"NextHop": "$net.1", "DestinationPrefix": "0.0.0.0/0"}]}]}]}
JSON
cat "$W/nat.json"
net_id=$("$hnsdiag" create network "$W/nat.json" --json | jq -r .ID)

say "hnsdiag create endpoint   (demo-web maps host port 8080 to 80; demo-client)"
cat > "$W/web.json" <<JSON
{"Name": "demo-web", "HostComputeNetwork": "$net_id", "SchemaVersion": {"Major": 2, "Minor": 0},
 "Policies": [{"Type": "PortMapping",
   "Settings": {"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080}}]}
JSON
cat > "$W/client.json" <<JSON
{"Name": "demo-client", "HostComputeNetwork": "$net_id", "SchemaVersion": {"Major": 2, "Minor": 0}}
JSON
"$hnsdiag" create endpoint "$W/web.json"
"$hnsdiag" create endpoint "$W/client.json"
web_ip=$("$hnsdiag" list endpoints --json | jq -r '.[] | select(.Name == "demo-web") | .IpConfigurations[0].IpAddress')

bundle() { # dir endpoint hostname args-json
  mkdir -p "$1"
  ln -s "$W/rootfs" "$1/rootfs"
  "$runhcs" spec --bundle "$1"
  jq --arg ep "$2" --arg h "$3" --argjson args "$4" \
    '.process.terminal = false | .hostname = $h | .root.readonly = false | .process.args = $args
     | .annotations["dev.silo.endpoint"] = $ep' "$1/config.json" > "$1/config.tmp"
  mv "$1/config.tmp" "$1/config.json"
}
bundle "$W/web" demo-web web '["httpd", "-f", "-p", "80", "-h", "/www"]'
# Debian 12's busybox wget crashes; a raw HTTP request through nc does the same job.
bundle "$W/client" demo-client client '["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do printf \"GET / HTTP/1.0\\r\\n\\r\\n\" | nc -w 2 '"$web_ip"' 80 && exit 0; sleep 0.2; done; exit 1"]'

say "runhcs run -d web   (annotation dev.silo.endpoint=demo-web: joins its namespace)"
"$runhcs" --root "$root" run -d --bundle "$W/web" web

say "runhcs run client   (HTTP GET http://$web_ip/ from the demo-client endpoint)"
"$runhcs" --root "$root" run --bundle "$W/client" client

say "from the host: HTTP GET http://127.0.0.1:8080/ (port mapping 8080 -> $web_ip:80)"
host_ip=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
got=""
for i in 1 2 3 4 5 6 7 8 9 10; do
  for a in 127.0.0.1 $host_ip; do
    if got=$(printf 'GET / HTTP/1.0\r\n\r\n' | /bin/busybox nc -w 2 "$a" 8080 2>/dev/null) \
      && [ -n "$got" ]; then
      echo "$a:8080 answered:"; printf '%s\n' "$got"; break 2
    fi
  done
  sleep 0.2
done
[ -n "$got" ] || { echo "demo: nothing answered on port 8080" >&2; exit 1; }

say "hnsdiag list all"
"$hnsdiag" list all
say "hnsdiag show demo-web   (the kernel objects behind the endpoint)"
"$hnsdiag" show demo-web
say "hcsdiag list"
"$hcsdiag" list --root "$root"

say "runhcs delete web client   (their namespaces go with them); hnsdiag delete endpoint/network"
"$runhcs" --root "$root" delete --force web
"$runhcs" --root "$root" delete --force client
"$hnsdiag" delete endpoint demo-web
"$hnsdiag" delete endpoint demo-client
"$hnsdiag" delete network "$net_id"
net_id=""
"$hnsdiag" list all
say "done: every container, endpoint, network, namespace and cgroup of the demo is gone"
