// File access to a cgroupfs tree through a root dirfd: mkdir -p, control-file reads and
// writes, v1 hierarchy listing and leaf-first removal. Knows nothing about layouts; the v1
// and v2 managers build on it. Parent-side only.
#include "nook/cgroup/cgroupfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <thread>

#include "nook/cgroup/path.h"
#include "nook/linux/fd.h"
#include "nook/linux/file.h"

namespace nook::cgroup {

namespace {

constexpr mode_t kCgroupDirMode = 0755;
// rmdir of a cgroup whose last process was just killed fails with EBUSY until the exit is
// complete; 10+20+40+80 ms covers a reaped process with room to spare (runc retries 5 times
// with the same doubling).
constexpr int kRemoveAttempts = 5;
constexpr auto kRemoveFirstDelay = std::chrono::milliseconds(10);

std::string quoted(const std::string& rel) {
  return "`" + rel + "`";
}

// Names of the entries of directory `rel` that are directories themselves (not symlinks).
Result<std::vector<std::string>> subdirectories_at(int root_fd, const std::string& rel) {
  auto fd = NOOK_TRY(open_dir_at(root_fd, rel));
  DIR* dir = ::fdopendir(fd.get());
  if (dir == nullptr) return sys_error("list " + quoted(rel));
  (void)fd.release();  // the DIR owns it now
  std::vector<std::string> names;
  while (true) {
    errno = 0;  // readdir signals an error only through errno
    dirent* entry = ::readdir(dir);
    if (entry == nullptr) break;
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    bool is_dir = entry->d_type == DT_DIR;
    if (entry->d_type == DT_UNKNOWN) {
      struct stat st;
      is_dir = ::fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
               S_ISDIR(st.st_mode);
    }
    if (is_dir) names.emplace_back(name);
  }
  Error error = sys_error("list " + quoted(rel));
  ::closedir(dir);
  if (error.err != 0) return error;
  std::sort(names.begin(), names.end());
  return names;
}

// cgroupfs never answers ENOTEMPTY: its control files go away with the directory. Only a plain
// directory standing in for a cgroup (the fake trees of the unit tests) holds real files, and
// those are the control files the stand-in was made with; remove them so rmdir can go on.
void remove_plain_files_at(int root_fd, const std::string& rel) {
  int fd = ::openat(root_fd, rel.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return;
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    return;
  }
  while (dirent* entry = ::readdir(dir)) {
    struct stat st;
    if (::fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISREG(st.st_mode)) {
      ::unlinkat(::dirfd(dir), entry->d_name, 0);
    }
  }
  ::closedir(dir);
}

Status rmdir_retrying_at(int root_fd, const std::string& rel) {
  auto delay = kRemoveFirstDelay;
  bool cleared_files = false;
  for (int attempt = 1;; ++attempt) {
    if (::unlinkat(root_fd, rel.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) {
      return ok_status();
    }
    if (errno == ENOTEMPTY && !cleared_files) {
      remove_plain_files_at(root_fd, rel);
      cleared_files = true;
      continue;
    }
    if (errno != EBUSY || attempt == kRemoveAttempts) break;
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
  return sys_error("remove cgroup " + quoted(rel));
}

}  // namespace

std::string hierarchy_rel(std::string_view hierarchy, std::string_view path) {
  std::string rel = clean_path(std::string(hierarchy) + "/" + std::string(path));
  if (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  return rel.empty() ? "." : rel;
}

Status mkdir_p_at(int root_fd, const std::string& rel) {
  std::string prefix;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t end = rel.find('/', start);
    if (end == std::string::npos) end = rel.size();
    std::string_view part(rel.data() + start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") continue;
    if (!prefix.empty()) prefix += '/';
    prefix += part;
    if (::mkdirat(root_fd, prefix.c_str(), kCgroupDirMode) != 0 && errno != EEXIST) {
      return sys_error("create cgroup " + quoted(prefix));
    }
  }
  return ok_status();
}

Result<std::string> read_file_at(int root_fd, const std::string& rel) {
  linux::UniqueFd fd(::openat(root_fd, rel.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return sys_error("open " + quoted(rel));
  return linux::read_all(fd.get(), rel);
}

Status write_file_at(int root_fd, const std::string& rel, std::string_view data) {
  auto fd = NOOK_TRY(open_write_at(root_fd, rel));
  ssize_t n;
  do {
    n = ::write(fd.get(), data.data(), data.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) return sys_error("write " + quoted(rel));
  if (static_cast<size_t>(n) != data.size()) {
    return make_error("write " + quoted(rel) + ": short write");
  }
  return ok_status();
}

Result<linux::UniqueFd> open_dir_at(int root_fd, const std::string& rel) {
  linux::UniqueFd fd(::openat(root_fd, rel.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return sys_error("open " + quoted(rel));
  return fd;
}

Result<linux::UniqueFd> open_write_at(int root_fd, const std::string& rel) {
  // O_TRUNC as runc opens control files; cgroupfs ignores it.
  linux::UniqueFd fd(::openat(root_fd, rel.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return sys_error("open " + quoted(rel));
  return fd;
}

Result<std::vector<pid_t>> read_pids_at(int root_fd, const std::string& rel) {
  std::string text = NOOK_TRY(read_file_at(root_fd, rel));
  std::vector<pid_t> pids;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    if (*p == '\n' || *p == ' ') {
      ++p;
      continue;
    }
    pid_t pid = 0;
    auto [next, ec] = std::from_chars(p, end, pid);
    if (ec != std::errc() || (next < end && *next != '\n')) {
      return make_error("parse " + quoted(rel) + ": not a list of pids");
    }
    pids.push_back(pid);
    p = next;
  }
  return pids;
}

Result<std::vector<pid_t>> read_pids_tree_at(int root_fd, const std::string& rel) {
  std::vector<pid_t> pids = NOOK_TRY(read_pids_at(root_fd, rel + "/cgroup.procs"));
  auto children = subdirectories_at(root_fd, rel);
  if (!children.ok()) {
    if (children.error().err == ENOENT) return pids;  // removed since its cgroup.procs was read
    return std::move(children).error();
  }
  for (const std::string& child : *children) {
    auto more = read_pids_tree_at(root_fd, rel + "/" + child);
    if (!more.ok() && more.error().err == ENOENT) continue;
    if (!more.ok()) return std::move(more).error();
    pids.insert(pids.end(), more->begin(), more->end());
  }
  return pids;
}

Result<std::vector<std::string>> list_hierarchies_at(int root_fd) {
  std::vector<std::string> names = NOOK_TRY(subdirectories_at(root_fd, "."));
  std::erase(names, "unified");
  // A hierarchy's root always has cgroup.procs; a plain directory someone made on the
  // /sys/fs/cgroup tmpfs (a controller that is not mounted) is not one.
  std::erase_if(names, [root_fd](const std::string& name) {
    return ::faccessat(root_fd, (name + "/cgroup.procs").c_str(), F_OK, AT_SYMLINK_NOFOLLOW) != 0;
  });
  return names;
}

Status remove_cgroup_at(int root_fd, const std::string& rel) {
  auto children = subdirectories_at(root_fd, rel);
  if (!children.ok()) {
    if (children.error().err == ENOENT) return ok_status();
    return std::move(children).error();
  }
  for (const std::string& child : *children) NOOK_TRY(remove_cgroup_at(root_fd, rel + "/" + child));
  return rmdir_retrying_at(root_fd, rel);
}

}  // namespace nook::cgroup
