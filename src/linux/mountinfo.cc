// Parsing /proc/self/mountinfo (proc(5)): field 5 is the mount point, and the filesystem type
// follows the " - " separator after the optional fields.
#include "nook/linux/mountinfo.h"

#include "nook/base/split.h"
#include "nook/linux/file.h"

namespace nook::linux {
namespace {

std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3') {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
  std::vector<MountEntry> entries;
  for (auto line : split(text, '\n')) {
    auto fields = split(line, ' ');
    size_t dash = 6;  // the optional fields end at the first lone "-"
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (dash + 1 >= fields.size()) continue;
    entries.push_back({unescape(fields[4]), unescape(fields[dash + 1])});
  }
  return entries;
}

Result<std::vector<MountEntry>> read_mountinfo() {
  auto text = NOOK_TRY(read_file("/proc/self/mountinfo"));
  return parse_mountinfo(text);
}

}  // namespace nook::linux
