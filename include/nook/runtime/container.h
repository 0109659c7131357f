// Building blocks shared by the lifecycle commands: launching an init (create and run),
// releasing it through the exec fifo (start and run), and tearing a container down (delete,
// run's cleanup, and a failed create).
#pragma once

#include <memory>

#include "nook/cgroup/manager.h"
#include "nook/linux/fd.h"
#include "nook/runtime/lifecycle.h"
#include "nook/runtime/state_dir.h"
#include "nook/spec/config.h"
#include "nook/spec/state.h"

namespace nook::runtime {

struct Launched {
  StateDir dir;  // still locked
  spec::ContainerState state;
  spec::Config config;
  linux::PidFd init;
  linux::UniqueFd console;  // pty master when kept for `run`'s own terminal
};

// Everything `create` does; with `keep_console` the pty master stays with the caller instead
// of going to --console-socket (run in the foreground).
Result<Launched> launch(const GlobalOptions& g, const CreateOptions& o, bool keep_console);

// Opens the exec fifo so the waiting init proceeds to execve; fails if the init died.
Status release_init(const StateDir& dir, const spec::ContainerState& s);
// After a successful release: the poststart hooks. One failing is an error, and the container
// is destroyed first (runtime-spec 1.3).
Status after_start(StateDir& dir, const spec::ContainerState& s);

// Sends `sig` to the init, or with `all` to every process of the container's cgroup; after
// SIGKILL a paused container is thawed so that it can die.
Status signal_container(const spec::ContainerState& s, int sig, bool all);
// Thaws the container's cgroup if it is frozen: a frozen v1 task handles no signal, not even
// SIGKILL, until thawed (runc thaws after SIGKILL too). Errors are ignored.
void thaw_after_kill(const spec::ContainerState& s);

// Kills what is left (SIGKILL to the init, or to every process of the cgroup when the
// container shares the host pid namespace), runs poststop hooks, removes the cgroup and the
// state directory.
Status destroy(StateDir& dir, const spec::ContainerState& s);

// Writes the pid file atomically (temp + rename), as runc: a reader never sees it empty.
Status write_pid_file(const std::string& path, pid_t pid);

// The OCI state JSON hooks receive on stdin.
std::string hook_state(const spec::ContainerState& s, std::string_view status);

}  // namespace nook::runtime
