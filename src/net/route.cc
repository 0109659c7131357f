// The libnl socket and object owners.
#include "nook/net/route.h"

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include "nook/linux/netns.h"

namespace nook::net {

void NlDeleter::operator()(nl_sock* p) const {
  nl_socket_free(p);
}
void NlDeleter::operator()(nl_cache* p) const {
  nl_cache_free(p);
}
void NlDeleter::operator()(nl_addr* p) const {
  nl_addr_put(p);
}
void NlDeleter::operator()(rtnl_link* p) const {
  rtnl_link_put(p);
}
void NlDeleter::operator()(rtnl_addr* p) const {
  rtnl_addr_put(p);
}

Result<RouteSocket> RouteSocket::in(int netns_fd) {
  auto fd = NOOK_TRY(linux::route_socket_in(netns_fd));
  RouteSocket s;
  s.sk_.reset(nl_socket_alloc());
  if (!s.sk_) return make_error("netlink socket: out of memory");
  // libnl takes the fd over (nl_socket_free closes it).
  int rc = nl_socket_set_fd(s.sk_.get(), NETLINK_ROUTE, fd.get());
  if (rc < 0) return nl_error(rc, "netlink socket");
  fd.release();
  return s;
}

Error nl_error(int code, std::string what) {
  return make_error(std::move(what) + ": " + nl_geterror(code));
}

}  // namespace nook::net
