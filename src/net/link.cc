// rtnetlink link requests through libnl-route.
#include "nook/net/link.h"

#include <net/if.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>

#include <cerrno>

namespace nook::net {
namespace {

// A change request needs the device only by index.
NlPtr<rtnl_link> link_at(int ifindex) {
  NlPtr<rtnl_link> l(rtnl_link_alloc());
  if (l) rtnl_link_set_ifindex(l.get(), ifindex);
  return l;
}

}  // namespace

Result<LinkInfo> find_link(const RouteSocket& s, const std::string& name) {
  rtnl_link* raw = nullptr;
  int rc = rtnl_link_get_kernel(s.get(), 0, name.c_str(), &raw);
  NlPtr<rtnl_link> l(raw);
  if (rc == -NLE_NODEV || rc == -NLE_OBJ_NOTFOUND)
    return Error{ENODEV, "no interface `" + name + "`"};
  if (rc < 0) return nl_error(rc, "look up interface `" + name + "`");
  return LinkInfo{rtnl_link_get_ifindex(l.get()), rtnl_link_get_name(l.get()),
                  (rtnl_link_get_flags(l.get()) & IFF_UP) != 0};
}

Result<std::vector<std::string>> link_names(const RouteSocket& s) {
  nl_cache* raw = nullptr;
  int rc = rtnl_link_alloc_cache(s.get(), AF_UNSPEC, &raw);
  NlPtr<nl_cache> cache(raw);
  if (rc < 0) return nl_error(rc, "list interfaces");
  std::vector<std::string> names;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o))
    names.emplace_back(rtnl_link_get_name(reinterpret_cast<rtnl_link*>(o)));
  return names;
}

Status move_link(const RouteSocket& from, int ifindex, int netns_fd, const std::string& new_name) {
  auto orig = link_at(ifindex);
  NlPtr<rtnl_link> change(rtnl_link_alloc());
  if (!orig || !change) return make_error("move interface: out of memory");
  // One request: the kernel moves the device, then renames it inside the target namespace.
  rtnl_link_set_ns_fd(change.get(), netns_fd);
  rtnl_link_set_name(change.get(), new_name.c_str());
  int rc = rtnl_link_change(from.get(), orig.get(), change.get(), 0);
  if (rc < 0) return nl_error(rc, "move interface");
  return ok_status();
}

Status set_link_up(const RouteSocket& s, int ifindex, bool up) {
  auto orig = link_at(ifindex);
  NlPtr<rtnl_link> change(rtnl_link_alloc());
  if (!orig || !change) return make_error("set interface state: out of memory");
  if (up)
    rtnl_link_set_flags(change.get(), IFF_UP);
  else
    rtnl_link_unset_flags(change.get(), IFF_UP);
  int rc = rtnl_link_change(s.get(), orig.get(), change.get(), 0);
  if (rc < 0) return nl_error(rc, up ? "set interface up" : "set interface down");
  return ok_status();
}

}  // namespace nook::net
