// Handing a seccomp user-notification fd to the agent that answers it. Parent-side: `create`
// and `exec` call it when their child reports a listener; the sentry (a per-container
// supervisor, later) is meant to be handed the same fd the same way.
#pragma once

#include <string>
#include <string_view>

#include "nook/base/result.h"

namespace nook::seccomp {

// Connects to the SOCK_STREAM unix socket at `path` (linux.seccomp.listenerPath) and sends
// `process_state_json` (spec::container_process_state_json) with `listener_fd` as SCM_RIGHTS,
// in one message on a connection of its own, as runtime-spec and runc do. The caller keeps
// (and closes) its copy of the fd.
Status send_listener(const std::string& path, std::string_view process_state_json, int listener_fd);

}  // namespace nook::seccomp
