// linux.intelRdt through the resctrl filesystem (Intel RDT, AMD QoS): the container's control
// group (its closID, or one named after the container), the schemata written to it, an
// optional monitoring group, moving processes in, and removal. Every path is relative to a
// dirfd of the resctrl mount, so a temp dir stands in for /sys/fs/resctrl in tests.
// Parent-side only.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "nook/base/result.h"
#include "nook/linux/fd.h"
#include "nook/spec/config.h"

namespace nook::cgroup {

// Where a container's processes are in resctrl; saved in state.json for exec, update, delete.
struct RdtPlacement {
  std::string group;    // relative to the mount; "" when the config has no linux.intelRdt
  bool owned = false;   // named after the container: nook made it and removes it on delete
  std::string monitor;  // "GROUP/mon_groups/ID" with enableMonitoring, else ""
};

// The resctrl mount of this mount namespace, or an error naming linux.intelRdt.
Result<linux::UniqueFd> open_resctrl_root();

// Makes the group (or, for a closID without a schema, checks that it exists, as the
// runtime-spec says) and writes l3CacheSchema, memBwSchema and schemata to it in that order;
// then the monitoring group. On failure removes what it made.
Result<RdtPlacement> prepare_rdt_at(int root_fd, const spec::IntelRdt& rdt,
                                    const std::string& container_id);
// Moves `pid` into the group and its monitoring group (the tasks files).
Status add_rdt_task_at(int root_fd, const RdtPlacement& p, pid_t pid);
// Writes schemata lines to the group; what the kernel refuses fails with its reason from
// info/last_cmd_status, behind `field` (the config field or update flag they came from).
Status write_schemata_at(int root_fd, const std::string& group,
                         const std::vector<std::string>& lines, std::string_view field);
// Removes the monitoring group and an owned group; missing ones are fine.
Status remove_rdt_at(int root_fd, const RdtPlacement& p);

}  // namespace nook::cgroup
