# fdsocket.receive(PATH): listens on the AF_UNIX stream socket PATH, accepts one connection
# and returns the message sent on it with the fds passed along (SCM_RIGHTS), as a runtime
# sends them to --console-socket and --pidfd-socket. Shared by recvtty.py and recvpidfd.py.
import socket

def receive(path, max_fds=4):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    conn, _ = srv.accept()
    msg, fds, _, _ = socket.recv_fds(conn, 4096, max_fds)
    conn.close()
    srv.close()
    return msg, fds
