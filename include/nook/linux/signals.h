// Signal names ↔ numbers, as `kill` accepts them: "KILL", "SIGKILL", "usr1", "9", "0" (probe)
// and "" (SIGTERM). Pure.
#pragma once

#include <optional>
#include <string_view>

namespace nook::linux {
std::optional<int> parse_signal(std::string_view text);
}  // namespace nook::linux
