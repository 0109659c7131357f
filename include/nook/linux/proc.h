// Reading /proc/PID/stat: the process state and its start time, which together with the pid
// identify a container's init across pid reuse. Parent-side.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "nook/base/result.h"

namespace nook::linux {

struct ProcStat {
  char state = '?';         // R, S, D, Z, T, ...
  uint64_t start_time = 0;  // field 22, clock ticks after boot
};

// Pure: parses the text of /proc/PID/stat (the comm field may hold spaces and parens).
std::optional<ProcStat> parse_proc_stat(std::string_view text);
// Reads /proc/PID/stat; ENOENT means the process is gone.
Result<ProcStat> read_proc_stat(pid_t pid);

}  // namespace nook::linux
