// Splitting text on one separator, empty fields kept ("a::b" → "a", "", "b"), as the /proc and
// /etc files nook reads (cgroup, mountinfo, passwd, group) need. Parent-side.
#pragma once

#include <string_view>
#include <vector>

namespace nook {

inline std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace nook
