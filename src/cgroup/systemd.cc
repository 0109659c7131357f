// The systemd cgroup driver (--systemd-cgroup). Until the D-Bus driver lands with resource
// limits, it only tells the two cases apart with clear errors: no systemd listening (this is
// what runc reports too), or systemd reachable but the driver not implemented. Parent-side.
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "nook/cgroup/backends.h"

namespace nook::cgroup {

namespace {

// Whether something accepts connections on the unix socket at `path`.
Status connect_unix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return sys_error("connect");
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  linux::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return sys_error("socket");
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return sys_error("connect");
  }
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<Manager>> make_systemd_manager(const std::string& private_socket) {
  Status reachable = connect_unix(private_socket);
  if (!reachable.ok()) {
    return Error{reachable.error().err,
                 "systemd cgroup driver: no systemd reachable at `" + private_socket + "`"};
  }
  return make_error(
      "systemd cgroup driver: not implemented yet (it comes with cgroup resource limits); "
      "run without --systemd-cgroup to use the cgroupfs driver");
}

}  // namespace nook::cgroup
