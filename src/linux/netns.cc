// setns() round trips for netlink sockets in a container's network namespace.
#include "nook/linux/netns.h"

#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <string>

namespace nook::linux {

Result<UniqueFd> open_netns(pid_t pid) {
  std::string path = pid ? "/proc/" + std::to_string(pid) + "/ns/net" : "/proc/thread-self/ns/net";
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open `" + path + "`");
  return fd;
}

namespace {
// Bound at once (port chosen by the kernel) so that libnl can read its address back.
Result<UniqueFd> bound_route_socket() {
  UniqueFd sock(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!sock) return sys_error("netlink socket");
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (bind(sock.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) < 0)
    return sys_error("bind netlink socket");
  return sock;
}
}  // namespace

Result<UniqueFd> route_socket_in(int netns_fd) {
  if (netns_fd < 0) return bound_route_socket();
  auto home = NOOK_TRY(open_netns(0));
  if (setns(netns_fd, CLONE_NEWNET) < 0) return sys_error("enter network namespace");
  auto sock = bound_route_socket();
  // Staying in the container's namespace would put every later socket there.
  if (setns(home.get(), CLONE_NEWNET) < 0)
    return sys_error("return to the runtime's network namespace");
  return sock;
}

bool is_same_namespace(int a, int b) {
  struct stat sa, sb;
  return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

}  // namespace nook::linux
