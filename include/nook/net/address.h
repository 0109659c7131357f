// The IP addresses a moved interface keeps (runtime-spec 1.3 "Network Devices": the permanent
// ones, IFA_F_PERMANENT, of global scope, RT_SCOPE_UNIVERSE, any family). A namespace change
// drops them, so they are read before the move and added again inside. Parent-side.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"
#include "nook/net/route.h"

namespace nook::net {

using Addresses = std::vector<NlPtr<rtnl_addr>>;

// The permanent global addresses of interface `ifindex`, in the kernel's order.
Result<Addresses> read_addresses(const RouteSocket& s, int ifindex);
// Adds `addrs` to interface `ifindex`, which was called `old_name` when they were read.
Status add_addresses(const RouteSocket& s, const Addresses& addrs, int ifindex,
                     std::string_view old_name, std::string_view new_name);

// An IPv4 label follows its interface's name: "eth0:1" of eth0 becomes "ctr0:1" on ctr0;
// one that would not fit in 15 bytes, or did not start with the old name, becomes the new name.
// Pure.
std::string relabel(std::string_view label, std::string_view old_name, std::string_view new_name);

}  // namespace nook::net
