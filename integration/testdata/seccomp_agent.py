#!/usr/bin/env python3
# seccomp_agent.py SOCKET OUTDIR ERRNO: a seccomp agent for linux.seccomp.listenerPath tests.
# Listens on the AF_UNIX stream socket SOCKET; each connection (one per filter with a listener:
# the init's at create, each `exec`'s) carries the containerProcessState JSON and the listener
# fd over SCM_RIGHTS. The JSON goes to OUTDIR/state.N.json (N counts from 1) and the number of
# fds received to OUTDIR/fds.N; every notification on any listener is answered with -ERRNO and
# logged as "NR PID" in OUTDIR/notifications. Runs until killed; OUTDIR/ready marks it listening.
import fcntl, os, select, socket, struct, sys

# <linux/seccomp.h>: struct seccomp_notif is 80 bytes, struct seccomp_notif_resp 24.
NOTIF_RECV = 0xC0502100
NOTIF_SEND = 0xC0182101
NOTIF_SIZE = 80

def main():
    path, outdir, err = sys.argv[1], sys.argv[2], int(sys.argv[3])
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)
    open(os.path.join(outdir, "ready"), "w").close()
    listeners = []
    count = 0
    while True:
        ready, _, _ = select.select([srv] + listeners, [], [])
        for fd in ready:
            if fd is srv:
                conn, _ = srv.accept()
                msg, fds, _, _ = socket.recv_fds(conn, 65536, 4)
                conn.close()
                count += 1
                # fds.N first, then state.N.json by rename: a test that sees the state sees both.
                with open(os.path.join(outdir, "fds.%d" % count), "w") as f:
                    f.write("%d\n" % len(fds))
                state = os.path.join(outdir, "state.%d.json" % count)
                with open(state + ".tmp", "wb") as f:
                    f.write(msg)
                os.rename(state + ".tmp", state)
                listeners.extend(fds)
                continue
            buf = bytearray(NOTIF_SIZE)
            try:
                fcntl.ioctl(fd, NOTIF_RECV, buf)
            except OSError:
                # Every process under the filter is gone.
                listeners.remove(fd)
                os.close(fd)
                continue
            nid, pid, _flags, nr = struct.unpack_from("=QIIi", buf)
            # Logged before the answer, so that it is there once the syscall returns.
            with open(os.path.join(outdir, "notifications"), "a") as f:
                f.write("%d %d\n" % (nr, pid))
            resp = struct.pack("=QqiI", nid, 0, -err, 0)
            try:
                fcntl.ioctl(fd, NOTIF_SEND, resp)
            except OSError:
                pass  # the caller died meanwhile

main()
