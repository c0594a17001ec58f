#!/bin/sh
# Builds a busybox rootfs as runc's integration tests expect it (see shared/reference/clients.md):
# dirs bin dev etc home root tmp usr/sbin var/spool/mail var/www, no proc/sys, /bin/busybox plus a hard
# link per applet, docker-library style passwd/group. Usage: busybox-rootfs.sh DEST [TARBALL.tar.xz]
set -eu
dest=$1
bb=/bin/busybox
if [ ! -x "$bb" ] || ! "$bb" --list >/dev/null 2>&1; then
  echo "busybox-rootfs: $bb is missing; install busybox-static" >&2
  exit 1
fi
if ! file -L "$bb" 2>/dev/null | grep -q 'statically linked' && ! ldd "$bb" 2>&1 | grep -q 'not a dynamic'; then
  echo "busybox-rootfs: $bb is not statically linked; install busybox-static" >&2
  exit 1
fi
mkdir -p "$dest"
chmod 755 "$dest"
cd "$dest"
mkdir -p bin dev etc home root tmp usr/sbin var/spool/mail var/www
chmod 1777 tmp
chmod 700 root
cp "$bb" bin/busybox
for applet in $(bin/busybox --list); do
  [ "$applet" = busybox ] && continue
  [ -e "bin/$applet" ] || ln bin/busybox "bin/$applet"
done
cat > etc/passwd <<'PW'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
PW
cat > etc/group <<'GR'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
users:x:100:
staff:x:50:
nogroup:x:65534:
GR
: > etc/hostname
: > etc/hosts
: > etc/resolv.conf
if [ $# -ge 2 ]; then
  tar --numeric-owner -C "$dest" -cJf "$2" .
fi
