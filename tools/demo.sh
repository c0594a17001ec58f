#!/bin/sh
# The README's first command, on an HNS NAT network:
# hnsdiag makes a NAT network and two endpoints from HCN v2 JSON documents, runhcs runs a web
# server and a client on them (annotation dev.silo.endpoint), the client fetches from the server by
# address, and the host fetches through the port mapping 8080 -> 80. Then the same with silod and the
# stock docker CLI: silo-image builds the busybox base image offline, `docker load` takes it, and
# `docker run -p` serves it on a `docker network create -d nat` network. Everything is removed on exit;
# the demo keeps its own HNS store, silod its own data root, exec root and HNS host netns, so the host's
# /var/lib/silo, /run/silo and network namespace are not touched.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd -P)
runhcs=$top/dist/bin/runhcs
hcsdiag=$top/dist/bin/hcsdiag
hnsdiag=$top/dist/bin/hnsdiag
silod=$top/dist/bin/silod
silo_image=$top/dist/bin/silo-image
[ "$(id -u)" = 0 ] || { echo "demo: containers need root; run as root" >&2; exit 1; }
W=$(mktemp -d /tmp/silo-demo.XXXXXX) # short: silod's sockets live below it (sun_path: 107 bytes)
root=$W/state
SILO_HNS_STORE=$W/hns.db # read by runhcs (the join) and hnsdiag
export SILO_HNS_STORE
net=10.232.$(($$ % 250))
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

hnsns=silo-demo-$$ # silod's HNS host: its nat networks' bridges and nft table live there
sock=$W/silod.sock
if [ -x /usr/local/bin/docker ]; then docker=/usr/local/bin/docker; else docker=$(command -v docker || true); fi
dk() { DOCKER_HOST="unix://$sock" DOCKER_CONFIG="$W/docker" timeout 60 "$docker" "$@"; }

cleanup() {
  if [ -n "${silod_pid:-}" ] && kill -0 "$silod_pid" 2>/dev/null; then
    ids=$(dk ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -z "$ids" ] || dk rm -f $ids >/dev/null 2>&1 || true
    dk network rm silo-demo >/dev/null 2>&1 || true
    kill "$silod_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$silod_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$silod_pid" 2>/dev/null || true
  fi
  # only if silod could not remove its containers: their monitors and inits, then their cgroups
  for d in "$W"/x/hcs/*/; do
    [ -d "$d" ] || continue
    for f in "$d"init.pid "$d"monitor.pid; do
      if [ -f "$f" ]; then kill -9 "$(cat "$f")" 2>/dev/null || true; fi
    done
    find /sys/fs/cgroup -maxdepth 3 -type d -name "$(basename "$d")" -exec rmdir {} + 2>/dev/null || true
  done
  grep -F " $W/" /proc/mounts | awk '{ print $2 }' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  for ns in $(ip netns list | awk '{ print $1 }' | grep -E "^$hnsns(-|\$)" || true); do ip netns del "$ns" || true; done
  "$runhcs" --root "$root" delete --force web >/dev/null 2>&1 || true
  "$runhcs" --root "$root" delete --force client >/dev/null 2>&1 || true
  for ep in demo-web demo-client; do "$hnsdiag" delete endpoint "$ep" >/dev/null 2>&1 || true; done
  [ -n "${net_id:-}" ] && { "$hnsdiag" delete network "$net_id" >/dev/null 2>&1 || true; }
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # through the EXIT trap
snapshot() { # the kernel objects a demo could leave, one per line
  ip netns list | awk '{ print "netns " $1 }'
  nft list tables | sed 's/^/nft /'
  ip -br link | awk '{ sub(/@.*/, "", $1); print "link " $1 }'
  grep silo /proc/mounts | sed 's/^/mount /' || true
}
snapshot > "$W/before"

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

# ---- the same with silod and the stock docker CLI
[ -n "$docker" ] || { echo "demo: no docker CLI (apt-get install docker.io)" >&2; exit 1; }
img=silo/busybox:demo
say "silod -H unix://$sock   (own data root and exec root in $W, HNS host = netns $hnsns)"
ip netns add "$hnsns"
ip -n "$hnsns" link set lo up # the published port is reached on its 127.0.0.1
"$silod" -H "unix://$sock" --data-root "$W/d" --exec-root "$W/x" --hns-host-netns "$hnsns" \
  > "$W/silod.log" 2>&1 &
silod_pid=$!
i=0
until dk version >/dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -gt 150 ] || ! kill -0 "$silod_pid" 2>/dev/null; then
    echo "demo: silod did not answer on $sock:" >&2; tail -n 20 "$W/silod.log" >&2; exit 1
  fi
  sleep 0.2
done
export DOCKER_HOST="unix://$sock"
echo "DOCKER_HOST=$DOCKER_HOST"
dk version --format 'docker {{.Client.Version}} -> {{.Server.Os}} API {{.Server.APIVersion}} ({{.Server.Version}})'

say "silo-image busybox $img | docker load   (offline, from Debian's busybox-static; no dockerd)"
"$silo_image" busybox "$img" | dk load
dk images

dnet=10.233.$(($$ % 250))
say "docker network create -d nat --subnet $dnet.0/24 silo-demo"
dk network create -d nat --subnet "$dnet.0/24" silo-demo

say "docker run -d -p 8080:80 --name web   (busybox httpd on the nat network)"
dk run -d --name web --network silo-demo -p 8080:80 "$img" \
  sh -c 'mkdir -p /www && echo "hello from a silod container (docker run -p 8080:80)" > /www/index.html && exec busybox httpd -f -p 80 -h /www'
dweb_ip=$(dk inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' web)

say "docker run --name client   (HTTP GET http://$dweb_ip/ by address)"
dk run --name client --network silo-demo "$img" \
  sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do printf "GET / HTTP/1.0\r\n\r\n" | nc -w 2 '"$dweb_ip"' 80 && exit 0; sleep 0.2; done; exit 1'

say "from the HNS host ($hnsns): HTTP GET http://127.0.0.1:8080/ (published port -> $dweb_ip:80)"
got=""
for i in 1 2 3 4 5 6 7 8 9 10; do
  if got=$(printf 'GET / HTTP/1.0\r\n\r\n' | ip netns exec "$hnsns" /bin/busybox nc -w 2 127.0.0.1 8080 2>/dev/null) \
    && [ -n "$got" ]; then
    printf '%s\n' "$got"; break
  fi
  sleep 0.2
done
[ -n "$got" ] || { echo "demo: nothing answered on 127.0.0.1:8080 in $hnsns" >&2; exit 1; }

say "docker ps -a"
dk ps -a
ids="$(dk ps -aq --no-trunc)"
web_id=$(dk inspect -f '{{.Id}}' web)
echo "web's cgroup: $(find /sys/fs/cgroup -maxdepth 3 -type d -name "$web_id" | head -n 1)"
say "hcsdiag list --root $W/x/hcs   (silod's compute systems)"
"$hcsdiag" list --root "$W/x/hcs"
say "hnsdiag list all --store $W/d/hns.db --host-netns $hnsns   (silod's HNS objects)"
"$hnsdiag" list all --store "$W/d/hns.db" --host-netns "$hnsns"

say "docker rm -f web client; docker network rm silo-demo; docker rmi; silod stopped (SIGTERM)"
dk rm -f web client
dk network rm silo-demo
dk rmi "$img"
kill "$silod_pid"
i=0
while kill -0 "$silod_pid" 2>/dev/null; do
  i=$((i + 1)); [ $i -le 150 ] || { echo "demo: silod did not stop" >&2; exit 1; }
  sleep 0.2
done
wait "$silod_pid" || { echo "demo: silod exited with $?" >&2; tail -n 20 "$W/silod.log" >&2; exit 1; }
silod_pid=""
ip netns del "$hnsns"

say "what is left: ip netns list, nft list tables, ip -br link, silo mounts, cgroups (against the start)"
snapshot > "$W/after"
new=$(grep -vxF -f "$W/before" "$W/after" || true)
if [ -n "$new" ]; then
  echo "new since the demo started (another process may have made some):"; echo "$new"
fi
# the demo's own objects: silod's HNS host and its containers' netns, mounts below $W, the runhcs part's
# netns (silo-<namespace ID>), bridge, veths and nft table in the host, the containers' cgroups
ours=$(printf '%s\n' "$new" | grep -E "$hnsns|$W|^netns silo-|^link silo|^nft table ip silo" || true)
for id in web client $ids; do
  ours="$ours$(find /sys/fs/cgroup -maxdepth 3 -type d -name "$id" 2>/dev/null)"
done
[ -z "$ours" ] || { echo "demo: left behind:"; echo "$ours"; exit 1; }
echo "none of the demo's namespaces, nft tables, links, mounts or cgroups is left"
say "done: every container, endpoint, network, namespace, mount and cgroup of the demo is gone"
