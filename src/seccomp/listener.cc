// The listener fd hand-off (see listener.h): one connection, one message, then closed.
#include "nook/seccomp/listener.h"

#include "nook/linux/socket.h"

namespace nook::seccomp {

Status send_listener(const std::string& path, std::string_view process_state_json,
                     int listener_fd) {
  auto sock = linux::connect_unix(path);
  if (!sock.ok()) return std::move(sock).error().wrap("linux.seccomp.listenerPath");
  ssize_t n = linux::send_packet(sock->get(), process_state_json.data(), process_state_json.size(),
                                 listener_fd);
  if (n < 0) return Error{static_cast<int>(-n), "send the seccomp listener to `" + path + "`"};
  if (static_cast<size_t>(n) != process_state_json.size())
    return make_error("send the seccomp listener to `" + path + "`: short write");
  return ok_status();
}

}  // namespace nook::seccomp
