// rlimit names ("RLIMIT_NOFILE") ↔ RLIMIT_* numbers. Pure table.
#pragma once
#include <optional>
#include <string_view>

namespace nook::spec {
std::optional<int> rlimit_from_name(std::string_view name);
const char* rlimit_name(int resource);  // nullptr if unknown
}  // namespace nook::spec
