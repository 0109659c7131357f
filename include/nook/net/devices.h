// linux.netDevices (runtime-spec 1.3 "Network Devices"): host interfaces moved into the
// container's network namespace under their new names, keeping MTU and MAC (the kernel does)
// and their permanent global addresses (added again: a namespace change drops them), then set
// up. Delete leaves them alone, as the spec says: when the namespace goes away the kernel
// returns physical devices to the initial namespace (under their new names) and destroys
// virtual ones. A create that fails after the move puts them back as they were. Parent-side.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"
#include "nook/linux/fd.h"
#include "nook/net/address.h"
#include "nook/spec/config.h"

namespace nook::net {

// Before anything is created: each device exists on the host, and a joined network namespace
// is not the runtime's own (the devices would only be renamed).
Status check_net_devices(const spec::Linux& l);

// The devices of one container while it is being created.
class MovedDevices {
 public:
  // Moves `devices` into the network namespace of `pid`, all or none: each one is checked
  // first (it exists, its new name is free there), and a failure puts back what was moved.
  Status move(const std::vector<spec::NetDevice>& devices, pid_t pid);
  // Puts every moved device back in the runtime's namespace under its old name, with its
  // addresses and up state (create failed). Failures are logged: nothing more can be undone.
  void restore();
  // The container has them for good.
  void commit();

 private:
  struct Moved {
    std::string host_name, name;  // before and after
    int ifindex = 0;              // inside the container
    bool was_up = false;
    Addresses addresses;
  };
  Status move_one(const RouteSocket& host, const RouteSocket& inside, const spec::NetDevice& d,
                  std::vector<std::string>& names_inside);

  std::vector<Moved> moved_;
  linux::UniqueFd host_ns_;
  // Held open so that the namespace outlives an init that dies mid-create: restore() needs it.
  linux::UniqueFd container_ns_;
};

// The interface a `%d` template produced: the one of `after` not in `before` that fits the
// template. Pure.
std::string templated_name(const std::vector<std::string>& before,
                           const std::vector<std::string>& after, std::string_view tmpl);

}  // namespace nook::net
