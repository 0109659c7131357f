// Looking a uid up in passwd(5) text, as runc does: the file itself, never NSS (nook is linked
// statically, and the container's /etc/passwd is only ever a file).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nook {

struct PasswdEntry {
  std::string name;
  std::string home;
};

// The first well-formed entry (seven fields) of `text` whose uid is `uid`.
std::optional<PasswdEntry> find_passwd_uid(std::string_view text, uint32_t uid);

}  // namespace nook
