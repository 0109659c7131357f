// The config.json that `nook spec` writes: runc's default, or its rootless variant.
#pragma once
#include <string>

namespace nook::spec {
std::string default_spec_json(bool rootless);
}  // namespace nook::spec
