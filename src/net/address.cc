// Address snapshots and re-adds through libnl-route.
#include "nook/net/address.h"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <sys/socket.h>

namespace nook::net {
namespace {

// Flags the kernel takes on RTM_NEWADDR; the rest (permanent, tentative, ...) it derives.
constexpr unsigned kSettableFlags =
    IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_NOPREFIXROUTE | IFA_F_MANAGETEMPADDR | IFA_F_MCAUTOJOIN;

bool is_kept(rtnl_addr* a, int ifindex) {
  return rtnl_addr_get_ifindex(a) == ifindex && (rtnl_addr_get_flags(a) & IFA_F_PERMANENT) &&
         rtnl_addr_get_scope(a) == RT_SCOPE_UNIVERSE;
}

// A fresh object holding only what describes the address, not the kernel's bookkeeping.
Result<NlPtr<rtnl_addr>> copy_of(rtnl_addr* a) {
  NlPtr<rtnl_addr> c(rtnl_addr_alloc());
  if (!c) return make_error("copy address: out of memory");
  rtnl_addr_set_family(c.get(), rtnl_addr_get_family(a));
  if (int rc = rtnl_addr_set_local(c.get(), rtnl_addr_get_local(a)); rc < 0)
    return nl_error(rc, "copy address");
  if (nl_addr* peer = rtnl_addr_get_peer(a)) rtnl_addr_set_peer(c.get(), peer);
  if (nl_addr* brd = rtnl_addr_get_broadcast(a)) rtnl_addr_set_broadcast(c.get(), brd);
  rtnl_addr_set_prefixlen(c.get(), rtnl_addr_get_prefixlen(a));
  rtnl_addr_set_scope(c.get(), RT_SCOPE_UNIVERSE);
  rtnl_addr_set_flags(c.get(), rtnl_addr_get_flags(a) & kSettableFlags);
  if (const char* label = rtnl_addr_get_label(a)) rtnl_addr_set_label(c.get(), label);
  return c;
}

}  // namespace

Result<Addresses> read_addresses(const RouteSocket& s, int ifindex) {
  nl_cache* raw = nullptr;
  int rc = rtnl_addr_alloc_cache(s.get(), &raw);
  NlPtr<nl_cache> cache(raw);
  if (rc < 0) return nl_error(rc, "list addresses");
  Addresses out;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    if (is_kept(a, ifindex)) out.push_back(NOOK_TRY(copy_of(a)));
  }
  return out;
}

Status add_addresses(const RouteSocket& s, const Addresses& addrs, int ifindex,
                     std::string_view old_name, std::string_view new_name) {
  for (const auto& a : addrs) {
    rtnl_addr_set_ifindex(a.get(), ifindex);
    // IFA_LABEL is IPv4's; it must start with the interface's (new) name.
    if (rtnl_addr_get_family(a.get()) == AF_INET) {
      const char* label = rtnl_addr_get_label(a.get());
      std::string l = relabel(label ? label : old_name, old_name, new_name);
      rtnl_addr_set_label(a.get(), l.c_str());
    }
    int rc = rtnl_addr_add(s.get(), a.get(), 0);
    if (rc < 0) {
      char text[INET6_ADDRSTRLEN + 8];
      nl_addr2str(rtnl_addr_get_local(a.get()), text, sizeof text);
      return nl_error(rc, "add address " + std::string(text));
    }
  }
  return ok_status();
}

std::string relabel(std::string_view label, std::string_view old_name, std::string_view new_name) {
  constexpr size_t kMaxLabel = 15;  // IFNAMSIZ less the NUL
  std::string out(new_name);
  if (label.starts_with(old_name)) out += label.substr(old_name.size());
  return out.size() <= kMaxLabel ? out : std::string(new_name);
}

}  // namespace nook::net
