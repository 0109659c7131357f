// `update`: change the cgroup limits of a created, running or paused container, as runc 1.1's
// `update` does, from a linux.resources JSON (--resources FILE or `-` for stdin, which is how
// containerd's shim calls it) and the individual flags.
#pragma once

#include <string>

#include "nook/base/result.h"
#include "nook/runtime/lifecycle.h"
#include "nook/runtime/update_resources.h"

namespace nook::runtime {

struct UpdateOptions {
  std::string id;
  std::string resources_file;  // --resources: a linux.resources JSON file, "-" for stdin
  UpdateFlags flags;           // override the fields of --resources they name
};

// Writes the new limits into the container's cgroup (device rules stay as they are). Errors:
// "container not running" when it has stopped, and a clear one for a container created with
// --cgroup-manager=disabled. Nothing is saved: the cgroup itself holds the limits.
Status update(const GlobalOptions& g, const UpdateOptions& o);

}  // namespace nook::runtime
