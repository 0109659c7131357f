// Whole-file reads with EINTR handled once, for every caller.
#include "nook/linux/file.h"

#include <fcntl.h>
#include <unistd.h>

#include "nook/linux/fd.h"

namespace nook::linux {

Result<std::string> read_all(int fd, std::string_view name) {
  std::string text;
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("read `" + std::string(name) + "`");
    if (n == 0) return text;
    text.append(buf, static_cast<size_t>(n));
  }
}

Result<std::string> read_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open `" + path + "`");
  return read_all(fd.get(), path);
}

}  // namespace nook::linux
