// Capability names ("CAP_SYS_ADMIN") ↔ numbers. Pure tables.
#pragma once
#include <optional>
#include <string_view>

namespace nook::spec {
std::optional<int> capability_from_name(std::string_view name);  // accepts "CAP_X" only
const char* capability_name(int cap);                            // nullptr if unknown
// Highest capability number nook knows (CAP_CHECKPOINT_RESTORE = 40).
int last_known_capability();
}  // namespace nook::spec
