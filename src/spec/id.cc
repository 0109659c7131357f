// Container id validation: the id names a directory under --root, so it must not be able to
// escape it. runc's rule (regexp `^[\w+-\.]+$`, not "." or "..") plus a length cap; the
// message keeps runc's `invalid container ID format` text because scripts match on it.
#include "nook/spec/id.h"

#include <string>

namespace nook::spec {
namespace {

constexpr size_t kMaxIdLength = 1024;

// `\w` in Go's RE2 is ASCII-only: [0-9A-Za-z_]. `+-\.` in the class is the range '+'..'.',
// i.e. '+', ',', '-', '.'; runc accepts ',' through that quirk and so do we.
bool is_id_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (c >= '+' && c <= '.');
}

Error invalid(std::string_view id, std::string_view why) {
  return make_error("invalid container ID format: `" + std::string(id) + "`: " + std::string(why));
}

}  // namespace

Status validate_id(std::string_view id) {
  if (id.empty()) return make_error("container id cannot be empty");  // runc's wording
  if (id == "." || id == "..") return invalid(id, "must not be `.` or `..`");
  if (id.size() > kMaxIdLength)
    return make_error("invalid container ID format: id longer than " +
                      std::to_string(kMaxIdLength) + " bytes");
  for (char c : id)
    if (!is_id_char(c)) return invalid(id, "only [A-Za-z0-9_+,.-] are allowed");
  return ok_status();
}

}  // namespace nook::spec
