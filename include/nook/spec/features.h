// The runtime-spec features document that `nook features` prints.
#pragma once
#include <string>

namespace nook::spec {
std::string features_json();
}  // namespace nook::spec
