// The netDevices steps of create: check, move, and (on failure) put back.
#include "nook/net/devices.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>

#include "nook/linux/netns.h"
#include "nook/log/log.h"
#include "nook/net/link.h"

namespace nook::net {
namespace {

std::string field(const spec::NetDevice& d) {
  return "linux.netDevices." + d.host_name;
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool fits_template(std::string_view name, std::string_view tmpl) {
  size_t at = tmpl.find("%d");
  std::string_view head = tmpl.substr(0, at), tail = tmpl.substr(at + 2);
  if (name.size() <= head.size() + tail.size() || !name.starts_with(head) || !name.ends_with(tail))
    return false;
  std::string_view number = name.substr(head.size(), name.size() - head.size() - tail.size());
  return std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string templated_name(const std::vector<std::string>& before,
                           const std::vector<std::string>& after, std::string_view tmpl) {
  for (const auto& name : after)
    if (!contains(before, name) && fits_template(name, tmpl)) return name;
  return "";
}

Status check_net_devices(const spec::Linux& l) {
  if (l.net_devices.empty()) return ok_status();
  const spec::Namespace* ns = l.find_namespace(spec::NamespaceType::Network);
  if (ns && !ns->path.empty()) {
    linux::UniqueFd joined(open(ns->path.c_str(), O_RDONLY | O_CLOEXEC));
    auto own = NOOK_TRY(linux::open_netns(0));
    if (joined && linux::is_same_namespace(joined.get(), own.get()))
      return make_error(
          "linux.netDevices: requires a network namespace of the container's own, "
          "and `" +
          ns->path + "` is the runtime's");
  }
  auto host = NOOK_TRY(RouteSocket::in(-1));
  for (const auto& d : l.net_devices) {
    auto link = find_link(host, d.host_name);
    if (!link) return std::move(link).error().wrap(field(d));
  }
  return ok_status();
}

Status MovedDevices::move(const std::vector<spec::NetDevice>& devices, pid_t pid) {
  if (devices.empty()) return ok_status();
  host_ns_ = NOOK_TRY(linux::open_netns(0));
  container_ns_ = NOOK_TRY(linux::open_netns(pid));
  auto host = NOOK_TRY(RouteSocket::in(-1));
  auto inside = NOOK_TRY(RouteSocket::in(container_ns_.get()));
  auto names_inside = NOOK_TRY(link_names(inside));
  // All checks before the first move, so that a refused device leaves every one on the host.
  for (const auto& d : devices) {
    auto link = find_link(host, d.host_name);
    if (!link) return std::move(link).error().wrap(field(d));
    // runtime-spec: a name taken inside is an error, unless it is a template.
    if (!d.is_template() && contains(names_inside, d.name))
      return make_error(field(d) + ".name: `" + d.name +
                        "` already exists in the container's network namespace");
  }
  for (const auto& d : devices) {
    auto st = move_one(host, inside, d, names_inside);
    if (!st) {
      restore();
      return st;
    }
  }
  return ok_status();
}

Status MovedDevices::move_one(const RouteSocket& host, const RouteSocket& inside,
                              const spec::NetDevice& d, std::vector<std::string>& names_inside) {
  auto link = find_link(host, d.host_name);
  if (!link) return std::move(link).error().wrap(field(d));
  auto addresses = read_addresses(host, link->ifindex);
  if (!addresses) return std::move(addresses).error().wrap(field(d));
  auto moved = move_link(host, link->ifindex, container_ns_.get(), d.name);
  if (!moved)
    return std::move(moved).error().wrap(field(d) + ": move `" + d.host_name +
                                         "` into the container's network namespace as `" + d.name +
                                         "`");
  Moved& m = moved_.emplace_back(Moved{d.host_name, d.name, 0, link->up, std::move(*addresses)});
  if (d.is_template()) {
    auto after = NOOK_TRY(link_names(inside));
    m.name = templated_name(names_inside, after, d.name);
  }
  auto in = find_link(inside, m.name);
  if (!in) return std::move(in).error().wrap(field(d) + ": find `" + d.name + "` after the move");
  m.ifindex = in->ifindex;
  names_inside.push_back(m.name);
  auto added = add_addresses(inside, m.addresses, m.ifindex, m.host_name, m.name);
  if (!added) return std::move(added).error().wrap(field(d));
  // runtime-spec: the device is up once in the container's namespace.
  auto up = set_link_up(inside, m.ifindex, true);
  if (!up) return std::move(up).error().wrap(field(d));
  return ok_status();
}

void MovedDevices::restore() {
  if (moved_.empty()) return;
  auto warn = [](const Error& e) { log::warn("put back network device: " + e.text()); };
  auto host = RouteSocket::in(-1);
  auto inside = RouteSocket::in(container_ns_.get());
  if (!host || !inside) return warn(!host ? host.error() : inside.error());
  for (auto m = moved_.rbegin(); m != moved_.rend(); ++m) {
    // Down first, so that it never carries traffic for both sides.
    (void)set_link_up(*inside, m->ifindex, false);
    auto back = move_link(*inside, m->ifindex, host_ns_.get(), m->host_name);
    if (!back) {
      warn(std::move(back).error().wrap("`" + m->name + "`"));
      continue;
    }
    auto link = find_link(*host, m->host_name);
    if (!link) {
      warn(link.error());
      continue;
    }
    if (auto st = add_addresses(*host, m->addresses, link->ifindex, m->name, m->host_name); !st)
      warn(std::move(st).error().wrap("`" + m->host_name + "`"));
    if (m->was_up)
      if (auto st = set_link_up(*host, link->ifindex, true); !st) warn(st.error());
  }
  moved_.clear();
  container_ns_.reset();
}

void MovedDevices::commit() {
  moved_.clear();
  container_ns_.reset();
}

}  // namespace nook::net
