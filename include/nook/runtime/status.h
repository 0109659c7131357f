// Container status is derived, never stored: from the init's pid + start time, the exec fifo
// and the freezer.
#pragma once

#include <string_view>

#include "nook/cgroup/manager.h"
#include "nook/linux/fd.h"
#include "nook/runtime/state_dir.h"
#include "nook/spec/state.h"

namespace nook::runtime {

enum class ContainerStatus { Created, Running, Paused, Stopped };

std::string_view status_name(ContainerStatus s);

// Whether the init recorded in `s` is still the same live process.
bool is_init_alive(const spec::ContainerState& s);
ContainerStatus derive_status(const spec::ContainerState& s, const StateDir& dir);

// A pidfd for the init, checked against the recorded start time so a reused pid is never
// signalled; error "container not running" when it is gone.
Result<linux::PidFd> open_init(const spec::ContainerState& s);

}  // namespace nook::runtime
