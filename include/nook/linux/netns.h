// Network namespaces as the parent's netlink code needs them: a netlink socket made inside
// another network namespace (a socket keeps the namespace it was created in for good), and
// namespace identity. Parent-side; entering a namespace is per thread, and a process that
// clones never has threads (DESIGN.md).
#pragma once

#include <sys/types.h>

#include "nook/base/result.h"
#include "nook/linux/fd.h"

namespace nook::linux {

// The network namespace of `pid`, or of this process with 0.
Result<UniqueFd> open_netns(pid_t pid);
// A bound NETLINK_ROUTE socket in the network namespace `netns_fd` (-1: this one); this
// thread enters that namespace for the socket() call only.
Result<UniqueFd> route_socket_in(int netns_fd);
// The two namespace fds refer to the same namespace.
bool is_same_namespace(int a, int b);

}  // namespace nook::linux
