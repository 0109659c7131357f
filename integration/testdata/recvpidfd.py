#!/usr/bin/env python3
# recvpidfd.py SOCKET OUTPUT [SIGNAL]: the receiving end of --pidfd-socket. Listens on the
# AF_UNIX socket SOCKET, accepts one connection and receives one fd over SCM_RIGHTS; writes
# the message sent with it to OUTPUT.name and the pid the fd refers to (its fdinfo's `Pid:`,
# so only a pidfd passes) to OUTPUT; then, if SIGNAL is given, signals the process through
# the fd and waits for it to be gone.
import os, select, signal, sys

import fdsocket

def main():
    path, out = sys.argv[1], sys.argv[2]
    msg, fds = fdsocket.receive(path)
    with open(out + ".name", "wb") as f:
        f.write(msg)
    if len(fds) != 1:
        sys.exit(f"recvpidfd: {len(fds)} fds received, want 1")
    pid = None
    with open(f"/proc/self/fdinfo/{fds[0]}") as info:
        for line in info:
            if line.startswith("Pid:"):
                pid = line.split()[1]
    if pid is None:
        sys.exit("recvpidfd: the fd received is not a pidfd")
    if len(sys.argv) > 3:
        signal.pidfd_send_signal(fds[0], int(sys.argv[3]))
        select.select([fds[0]], [], [], 10)  # a pidfd polls readable once the process exits
    with open(out + ".tmp", "w") as f:
        f.write(pid + "\n")
    os.rename(out + ".tmp", out)

main()
