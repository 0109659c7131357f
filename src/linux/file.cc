// Whole-file reads with EINTR handled once, for every caller.
#include "nook/linux/file.h"

#include <fcntl.h>
#include <unistd.h>

#include "nook/linux/fd.h"

namespace nook::linux {

Result<std::string> read_all(int fd, std::string_view name, size_t limit) {
  std::string text;
  char buf[16384];
  while (text.size() < limit) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("read `" + std::string(name) + "`");
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

Result<std::string> read_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open `" + path + "`");
  return read_all(fd.get(), path);
}

Status write_all(int fd, std::string_view data, std::string_view name) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sys_error("write `" + std::string(name) + "`");
    data.remove_prefix(static_cast<size_t>(n));
  }
  return ok_status();
}

Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!fd) return sys_error("write `" + path + "`");
  bool written = write_all(fd.get(), data, tmp).ok();
  int err = errno;
  fd.reset();
  if (!written || ::rename(tmp.c_str(), path.c_str()) < 0) {
    if (written) err = errno;
    ::unlink(tmp.c_str());
    return Error{err, "write `" + path + "`"};
  }
  return ok_status();
}

}  // namespace nook::linux
