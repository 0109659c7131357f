// /proc/self/mountinfo: the mount points and filesystem types of the caller's mount namespace,
// with the file's octal escapes ("\040" for a space) undone. Parent-side.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"

namespace nook::linux {

struct MountEntry {
  std::string mount_point;
  std::string fstype;
};

// Pure: the entries of mountinfo text, in its order; malformed lines are skipped.
std::vector<MountEntry> parse_mountinfo(std::string_view text);
Result<std::vector<MountEntry>> read_mountinfo();

}  // namespace nook::linux
