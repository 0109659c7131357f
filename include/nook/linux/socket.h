// Unix sockets: the parent/child sync socketpair (SOCK_SEQPACKET) and fd passing with
// SCM_RIGHTS. send_packet/recv_packet are safe post-clone (no allocation).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "nook/base/result.h"
#include "nook/linux/fd.h"

namespace nook::linux {

struct SocketPair {
  UniqueFd parent, child;
};
Result<SocketPair> seqpacket_pair();

// Sends one packet, optionally carrying `pass_fd` (>= 0). Returns bytes sent or -errno.
ssize_t send_packet(int sock, const void* data, size_t len, int pass_fd);
// Receives one packet; a passed fd lands in *fd_out (else -1). Returns bytes, 0 on EOF, -errno.
ssize_t recv_packet(int sock, void* data, size_t len, int* fd_out);

// Connects a SOCK_STREAM unix socket (console socket, listener paths).
Result<UniqueFd> connect_unix(const std::string& path);
// Connects to the socket at `path` and sends `payload` with `fd` (SCM_RIGHTS).
Status send_fd_to_socket(const std::string& path, std::string_view payload, int fd);

}  // namespace nook::linux
