// Constructors of the Manager implementations, one per file in src/cgroup/: v1 (also hybrid),
// v2, systemd and disabled. manager.cc picks one; tests may call them directly. Each takes an
// already-resolved Placement and owns its dup of the cgroupfs root fd.
#pragma once

#include <memory>
#include <string>

#include "nook/base/result.h"
#include "nook/cgroup/manager.h"
#include "nook/linux/fd.h"

namespace nook::cgroup {

// Where systemd listens for its private (D-Bus peer-to-peer) connections.
inline constexpr const char* kSystemdPrivateSocket = "/run/systemd/private";

// v1 and hybrid: `placement.hierarchies` and `placement.paths` filled and parallel.
std::unique_ptr<Manager> make_v1_manager(linux::UniqueFd root, Placement placement);
// v2: `placement.path` in the unified hierarchy at the root.
std::unique_ptr<Manager> make_v2_manager(linux::UniqueFd root, Placement placement);
// Every operation a no-op (--cgroup-manager=disabled, or rootless without delegation).
std::unique_ptr<Manager> make_disabled_manager();
// The systemd driver: an error naming `private_socket` when nothing listens there, else a
// not-implemented error (there is no D-Bus client).
Result<std::unique_ptr<Manager>> make_systemd_manager(const std::string& private_socket);

}  // namespace nook::cgroup
