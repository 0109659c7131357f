// Container id validation: what may name a directory under --root.
#pragma once
#include <string_view>

#include "nook/base/result.h"

namespace nook::spec {
// Accepts runc's id alphabet ([A-Za-z0-9_+.-], not "." or "..", at most 1024 bytes);
// the error names the id and the rule it breaks.
Status validate_id(std::string_view id);
}  // namespace nook::spec
