// The runtime-spec features document that `nook features` prints, indented with four spaces
// and ending in a newline, as `runc features` prints it (json.Encoder).
#pragma once
#include <string>

namespace nook::spec {
std::string features_json();
}  // namespace nook::spec
