// `events`: the resource usage of a running container's cgroup as runc 1.1's JSON events
// (`{"type":"stats","id":…,"data":{…}}`), once with --stats or every interval until the
// container stops, with `{"type":"oom","id":…}` when its memory cgroup sees an OOM.
#pragma once

#include <cstdint>
#include <string>

#include "nook/base/result.h"
#include "nook/runtime/lifecycle.h"

namespace nook::runtime {

struct EventsOptions {
  std::string id;
  bool stats_once = false;           // --stats
  int64_t interval_ns = 5'000'000'000;  // --interval
};

// Errors: "duration interval must be greater than 0", "container does not exist",
// "container with id ID is not running" (runc's), and a clear one without a cgroup.
// Streaming returns once the container has stopped.
Status events(const GlobalOptions& g, const EventsOptions& o);

// Go's time.ParseDuration for the forms runc users write: "5s", "500ms", "1m30s", "1.5s".
Result<int64_t> parse_go_duration(std::string_view text);

}  // namespace nook::runtime
