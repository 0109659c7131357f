// libnl behind RAII: a NETLINK_ROUTE socket bound to one network namespace, libnl objects
// released by their owners, libnl's error codes as Errors. Parent-side (libnl allocates).
#pragma once

#include <memory>
#include <string>

#include "nook/base/result.h"

struct nl_sock;
struct nl_cache;
struct nl_addr;
struct rtnl_link;
struct rtnl_addr;

namespace nook::net {

struct NlDeleter {
  void operator()(nl_sock* p) const;
  void operator()(nl_cache* p) const;
  void operator()(nl_addr* p) const;
  void operator()(rtnl_link* p) const;
  void operator()(rtnl_addr* p) const;
};
template <typename T>
using NlPtr = std::unique_ptr<T, NlDeleter>;

class RouteSocket {
 public:
  // A socket in the network namespace `netns_fd`, or in this process's with -1.
  static Result<RouteSocket> in(int netns_fd);
  nl_sock* get() const { return sk_.get(); }

 private:
  NlPtr<nl_sock> sk_;
};

// A libnl return code (a negative NLE_*) as "WHAT: libnl's text".
Error nl_error(int code, std::string what);

}  // namespace nook::net
