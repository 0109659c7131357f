// Network interfaces over rtnetlink: looking one up by name, listing the names in a namespace,
// moving one into another network namespace under a new name, setting it up or down.
// Parent-side.
#pragma once

#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/net/route.h"

namespace nook::net {

struct LinkInfo {
  int ifindex = 0;
  std::string name;
  bool up = false;
};

// The interface called `name` in the socket's namespace; ENODEV when there is none.
Result<LinkInfo> find_link(const RouteSocket& s, const std::string& name);
// The names of every interface in the socket's namespace.
Result<std::vector<std::string>> link_names(const RouteSocket& s);
// Moves interface `ifindex` of `from`'s namespace into the network namespace `netns_fd`,
// renamed `new_name` there (a `%d` template is completed by the kernel). The kernel keeps its
// MTU and MAC and drops its addresses, and leaves it down.
Status move_link(const RouteSocket& from, int ifindex, int netns_fd, const std::string& new_name);
Status set_link_up(const RouteSocket& s, int ifindex, bool up);

}  // namespace nook::net
