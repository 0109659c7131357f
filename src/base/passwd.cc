#include "nook/base/passwd.h"

#include <charconv>

#include "nook/base/split.h"

namespace nook {

std::optional<PasswdEntry> find_passwd_uid(std::string_view text, uint32_t uid) {
  for (auto line : split(text, '\n')) {
    auto f = split(line, ':');
    if (f.size() < 7) continue;
    uint32_t entry_uid = 0;
    auto [end, ec] = std::from_chars(f[2].data(), f[2].data() + f[2].size(), entry_uid);
    if (ec != std::errc() || end != f[2].data() + f[2].size() || entry_uid != uid) continue;
    return PasswdEntry{std::string(f[0]), std::string(f[5])};
  }
  return std::nullopt;
}

}  // namespace nook
