#!/usr/bin/env python3
# recvtty.py SOCKET OUTPUT [INPUT]: the receiving end of --console-socket. Listens on the
# AF_UNIX socket SOCKET, accepts one connection, receives the pty master over SCM_RIGHTS,
# writes INPUT (if given) to it, and copies everything the container writes to OUTPUT until
# the slave side closes (EIO). OUTPUT.name gets the message the runtime sent with the fd.
import os, sys

import fdsocket

def main():
    path, out = sys.argv[1], sys.argv[2]
    data = sys.argv[3] if len(sys.argv) > 3 else None
    msg, fds = fdsocket.receive(path)
    with open(out + ".name", "wb") as f:
        f.write(msg)
    if not fds:
        sys.exit("recvtty: no fd received")
    master = fds[0]
    for extra in fds[1:]:
        os.close(extra)
    if data is not None:
        os.write(master, data.encode())
    with open(out, "wb") as f:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the last slave fd was closed
                break
            if not chunk:
                break
            f.write(chunk)
            f.flush()

main()
