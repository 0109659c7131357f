// Reading whole files: the one place that loops over read(2) until EOF. Parent-side.
#pragma once

#include <string>
#include <string_view>

#include "nook/base/result.h"

namespace nook::linux {

// Reads `fd` to EOF; errors say ``read `NAME` ``.
Result<std::string> read_all(int fd, std::string_view name);
// open(path, O_RDONLY) + read_all; errors say ``open `PATH` `` or ``read `PATH` ``.
Result<std::string> read_file(const std::string& path);

}  // namespace nook::linux
