"""docker-py (Debian python3-docker) against silod; run by ClientsIT inside the daemon's netns.

argv: SOCKET IMAGE PORT. Prints one line per check; any failed check raises (exit 1).
"""
import sys
import time
import urllib.request

import docker

sock, image, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = docker.DockerClient(base_url='unix://' + sock, timeout=30)
print('VERSION', docker.__version__, client.version()['ApiVersion'])

out = client.containers.run(image, 'echo hi', remove=True)
assert out == b'hi\n', out
print('RUN', repr(out))

tags = sorted(t for i in client.images.list() for t in i.tags)
assert image in tags, tags
print('IMAGES', ' '.join(tags))

web = client.containers.run(
    image,
    ['sh', '-c', 'mkdir /www && echo hello from docker-py > /www/index.html'
     ' && echo ready && exec httpd -f -v -p 80 -h /www'],
    detach=True, name='pyweb', ports={'80/tcp': ('127.0.0.1', port)})
print('ID', web.id)
deadline = time.monotonic() + 30
body = None
while body is None:
    try:
        body = urllib.request.urlopen('http://127.0.0.1:%d/' % port, timeout=5).read()
    except OSError:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.1)
assert body == b'hello from docker-py\n', body
print('HTTP', body.decode().strip())
web.reload()
assert web.status == 'running', web.status
assert web.ports['80/tcp'][0]['HostPort'] == str(port), web.ports
print('PORTS', web.ports['80/tcp'][0]['HostIp'], web.ports['80/tcp'][0]['HostPort'])
# the monitor logs what it read a moment after the container wrote it (as dockerd's copier does)
deadline = time.monotonic() + 10
logs = web.logs()
while b'ready' not in logs and time.monotonic() < deadline:
    time.sleep(0.05)
    logs = web.logs()
assert b'ready' in logs, logs
print('LOGS', logs.decode().splitlines()[0])
web.stop(timeout=5)
web.reload()
assert web.status == 'exited', web.status
print('STOPPED', web.status)
web.remove()
left = client.containers.list(all=True)
assert left == [], left
print('REMOVED')
