#!/bin/bash
# Installs everything the real-client conformance scripts (silo-tck/src/test/clients/*.sh) need:
# the Debian packages of runc, crun, containerd, podman, dockerd, the local registry, umoci, skopeo, bats,
# and, in a cache dir, runc 1.1.5's integration tests from Debian's source package with the helper
# binaries they call (recvtty, sd-helper, seccompagent) and the busybox rootfs tarball they unpack.
# Usage: tools/install-client-deps.sh  (env: CACHE=/var/cache/silo-clients). Idempotent; run as root.
set -eu
CACHE=${CACHE:-/var/cache/silo-clients}
HERE=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

log() { echo "install-client-deps: $*" >&2; }

PKGS="runc crun containerd podman conmon docker.io docker-registry umoci skopeo busybox-static bats jq gawk
  util-linux xz-utils debootstrap golang-go libseccomp-dev pkg-config gcc libc6-dev ca-certificates
  golang-github-opencontainers-runc-dev golang-github-containerd-console-dev golang-github-urfave-cli-dev
  golang-github-seccomp-libseccomp-golang-dev golang-github-cyphar-filepath-securejoin-dev
  golang-github-sirupsen-logrus-dev golang-golang-x-sys-dev golang-github-opencontainers-specs-dev"

# Only packages that are not yet installed are asked for, so a second run does no network traffic.
install_packages() {
  local missing="" p
  for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  log "installing:$missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >"$W/apt.log" 2>&1 || { cat "$W/apt.log" >&2; exit 1; }
}

# The deb-src entry lives only in a private apt configuration (own sources list and list dir), so the
# host's apt state is never changed.
fetch_runc_source() {
  local dir="$1" suite
  suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
  mkdir -p "$W/apt/lists/partial" "$W/apt/parts" "$dir"
  echo "deb-src http://deb.debian.org/debian $suite main" > "$W/apt/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$W/apt/sources.list" -o "Dir::Etc::SourceParts=$W/apt/parts"
    -o "Dir::State::Lists=$W/apt/lists" -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root")
  apt-get "${opts[@]}" update -qq
  (cd "$dir" && apt-get "${opts[@]}" source --download-only runc=1.1.5+ds1-1* >"$W/src.log" 2>&1) \
    || (cd "$dir" && apt-get "${opts[@]}" source --download-only runc >"$W/src.log" 2>&1) \
    || { cat "$W/src.log" >&2; exit 1; }
}

build_helpers() {
  local src="$1" c
  for c in recvtty sd-helper seccompagent; do
    [ -x "$src/contrib/cmd/$c/$c" ] && continue
    log "building $c"
    (cd "$src" && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$W/gocache" GOFLAGS='' \
      go build -tags seccomp -o "contrib/cmd/$c/$c" "./contrib/cmd/$c")
  done
}

# testdata tarballs stop every test from trying a download (get-images.sh only checks they exist).
# hooks.bats needs a real glibc userland (ldconfig), hence a minbase debootstrap from the Debian mirror.
prepare_testdata() {
  local td="$1/tests/integration/testdata"
  mkdir -p "$td"
  if [ ! -s "$CACHE/busybox-amd64.tar.xz" ]; then
    "$HERE/busybox-rootfs.sh" "$W/bbroot" "$W/busybox-amd64.tar.xz"
    mv "$W/busybox-amd64.tar.xz" "$CACHE/busybox-amd64.tar.xz"
  fi
  cp "$CACHE/busybox-amd64.tar.xz" "$td/busybox-amd64.tar.xz"
  if [ ! -s "$td/debian-amd64.tar.xz" ]; then
    if [ ! -s "$CACHE/debian-amd64.tar.xz" ]; then
      log "debootstrap minbase (1-3 min)"
      debootstrap --variant=minbase "$(. /etc/os-release && echo "$VERSION_CODENAME")" "$W/deb" \
        http://deb.debian.org/debian >"$W/debootstrap.log" 2>&1 || { tail -20 "$W/debootstrap.log" >&2; exit 1; }
      rm -rf "$W/deb/var/cache/apt/archives"/*.deb "$W/deb/var/lib/apt/lists"/*
      tar -C "$W/deb" --numeric-owner -cJf "$W/debian-amd64.tar.xz" .
      mv "$W/debian-amd64.tar.xz" "$CACHE/debian-amd64.tar.xz"
    fi
    cp "$CACHE/debian-amd64.tar.xz" "$td/debian-amd64.tar.xz"
  fi
}

main() {
  install_packages
  mkdir -p "$CACHE"
  local src="$CACHE/runc-1.1.5"
  if [ ! -f "$src/tests/integration/helpers.bash" ]; then
    rm -rf "$CACHE/src" "$src"
    fetch_runc_source "$CACHE/src"
    local orig
    orig=$(ls "$CACHE"/src/runc_1.1.5*.orig.tar.* 2>/dev/null | head -n1)
    [ -n "$orig" ] || { log "runc 1.1.5 source not found in $CACHE/src"; ls "$CACHE/src" >&2; exit 1; }
    mkdir -p "$W/unpack"
    tar -C "$W/unpack" -xf "$orig"
    mv "$W/unpack"/* "$src"
  fi
  build_helpers "$src"
  prepare_testdata "$src"
  log "ready: $src"
}
main "$@"
