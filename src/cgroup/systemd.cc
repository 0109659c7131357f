// The systemd cgroup driver (--systemd-cgroup). Without a D-Bus client it only tells the two
// cases apart with clear errors: no systemd listening (runc fails there too), or systemd
// reachable but the driver not implemented. The slice:prefix:name cgroupsPath is parsed and
// checked before (path.cc). Parent-side.
#include "nook/cgroup/backends.h"
#include "nook/linux/socket.h"

namespace nook::cgroup {

Result<std::unique_ptr<Manager>> make_systemd_manager(const std::string& private_socket) {
  auto reachable = linux::connect_unix(private_socket);
  if (!reachable.ok()) {
    return std::move(reachable).error().wrap("systemd cgroup driver: no systemd reachable");
  }
  return make_error(
      "systemd cgroup driver: not implemented (nook has no D-Bus client yet); run without "
      "--systemd-cgroup to use the cgroupfs driver");
}

}  // namespace nook::cgroup
