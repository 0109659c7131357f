// The id maps of a new user namespace, written by the parent before the init continues:
// directly when the kernel allows it (root, or only the caller's own uid/gid — then setgroups
// must be denied first, as runc does), otherwise through shadow's setuid newuidmap/newgidmap,
// after checking /etc/subuid and /etc/subgid here for an error that names the mapping. And the
// user namespaces that give id-mapped mounts their mapping. Parent-side.
#pragma once

#include <sys/types.h>

#include <vector>

#include "nook/base/result.h"
#include "nook/linux/fd.h"
#include "nook/spec/config.h"

namespace nook::runtime {

struct IdMapWriter {
  bool uid_tool = false;        // newuidmap
  bool gid_tool = false;        // newgidmap
  bool deny_setgroups = false;  // gid_map written unprivileged: setgroups(2) is off in there
};

// Decides how the maps of `l` will be written by this process, before anything is created;
// fails naming the mapping newuidmap/newgidmap would refuse.
Result<IdMapWriter> plan_id_maps(const spec::Linux& l);
// Writes /proc/PID/uid_map and gid_map (and setgroups) the way `w` says.
Status write_id_maps(pid_t pid, const spec::Linux& l, const IdMapWriter& w);
// A user namespace with these maps, for MOUNT_ATTR_IDMAP (root only).
Result<linux::UniqueFd> user_ns_with_maps(const std::vector<spec::IdMapping>& uids,
                                          const std::vector<spec::IdMapping>& gids);

}  // namespace nook::runtime
