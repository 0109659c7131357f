// Whole files and streams: the one place that loops over read(2) until EOF or write(2) until
// done, and the one atomic write (temp file + rename, so a reader never sees a partial file).
// Parent-side.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "nook/base/result.h"

namespace nook::linux {

// Reads `fd` to EOF, or until at least `limit` bytes (for files of an untrusted rootfs);
// errors say ``read `NAME` ``.
Result<std::string> read_all(int fd, std::string_view name, size_t limit = SIZE_MAX);
// open(path, O_RDONLY) + read_all; errors say ``open `PATH` `` or ``read `PATH` ``.
Result<std::string> read_file(const std::string& path);
// Writes all of `data` to `fd` (short writes and EINTR retried); errors say ``write `NAME` ``.
Status write_all(int fd, std::string_view data, std::string_view name);
// Writes `data` to PATH.tmp.PID (mode `mode`) and renames it over `path`; errors say
// ``write `PATH` ``, and leave no temp file behind.
Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode);

}  // namespace nook::linux
