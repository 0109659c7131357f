// State directory handling: exclusive creation, flock, atomic state.json, complete removal.
#include "nook/runtime/state_dir.h"

#include "nook/linux/file.h"
#include "nook/spec/id.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace nook::runtime {
namespace {

constexpr char kStateFile[] = "state.json";

Status lock(int fd, const std::string& path) {
  while (flock(fd, LOCK_EX) < 0)
    if (errno != EINTR) return sys_error("lock `" + path + "`");
  return ok_status();
}

Status make_root(const std::string& root) {
  // mkdir -p; only the last component gets the private mode.
  for (size_t pos = 1; pos <= root.size(); ++pos) {
    if (pos != root.size() && root[pos] != '/') continue;
    std::string part = root.substr(0, pos);
    if (mkdir(part.c_str(), pos == root.size() ? 0700 : 0755) < 0 && errno != EEXIST)
      return sys_error("create root directory `" + part + "`");
  }
  return ok_status();
}

}  // namespace

Result<StateDir> StateDir::create(const std::string& root, const std::string& id) {
  NOOK_TRY(spec::validate_id(id));
  NOOK_TRY(make_root(root));
  StateDir d;
  d.path_ = root + "/" + id;
  if (mkdir(d.path_.c_str(), 0711) < 0) {
    if (errno == EEXIST) return make_error("container with given ID already exists");  // runc's wording
    return sys_error("create state directory `" + d.path_ + "`");
  }
  d.dir_.reset(::open(d.path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d.dir_) return sys_error("open `" + d.path_ + "`");
  NOOK_TRY(lock(d.dir_.get(), d.path_));
  return d;
}

Result<StateDir> StateDir::open(const std::string& root, const std::string& id) {
  // An id such as `..` or `../x` would name a directory outside --root, which delete --force
  // would then empty: refused as runc refuses it, whatever the command.
  NOOK_TRY(spec::validate_id(id));
  StateDir d;
  d.path_ = root + "/" + id;
  d.dir_.reset(::open(d.path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d.dir_) {
    if (errno == ENOENT || errno == ENOTDIR) return make_error("container does not exist");
    return sys_error("open `" + d.path_ + "`");
  }
  NOOK_TRY(lock(d.dir_.get(), d.path_));
  // A concurrent delete may have removed it while we waited for the lock.
  struct stat st;
  if (fstat(d.dir_.get(), &st) < 0 || st.st_nlink == 0) return make_error("container does not exist");
  return d;
}

void StateDir::unlock() { flock(dir_.get(), LOCK_UN); }

Status StateDir::relock() {
  NOOK_TRY(lock(dir_.get(), path_));
  // `delete` may have removed it while we were not holding the lock.
  struct stat st;
  if (fstat(dir_.get(), &st) < 0 || st.st_nlink == 0) return make_error("container does not exist");
  return ok_status();
}

Status StateDir::save(const spec::ContainerState& s) {
  return linux::write_file_atomic(path_ + "/" + kStateFile, spec::encode_state(s), 0600);
}

Result<spec::ContainerState> StateDir::load() const {
  linux::UniqueFd f(openat(dir_.get(), kStateFile, O_RDONLY | O_CLOEXEC));
  // Not one of ours, or a create that died before its first save (it holds the lock until
  // then): as runc, only `delete --force` removes such a directory.
  if (!f && errno == ENOENT) return make_error("container does not exist");
  if (!f) return sys_error("open `" + path_ + "/state.json`");
  auto text = NOOK_TRY(linux::read_all(f.get(), path_ + "/state.json"));
  auto s = spec::decode_state(text);
  if (!s.ok()) return std::move(s).error().wrap("load `" + path_ + "/state.json`");
  return s;
}

bool StateDir::has_exec_fifo() const {
  struct stat st;
  return fstatat(dir_.get(), "exec.fifo", &st, AT_SYMLINK_NOFOLLOW) == 0;
}

Status StateDir::remove() {
  linux::UniqueFd dup(openat(dir_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  DIR* dir = dup ? fdopendir(dup.release()) : nullptr;
  if (!dir) return sys_error("open `" + path_ + "`");
  while (dirent* e = readdir(dir)) {
    std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    unlinkat(dirfd(dir), e->d_name, 0);
  }
  closedir(dir);
  if (rmdir(path_.c_str()) < 0 && errno != ENOENT) return sys_error("remove `" + path_ + "`");
  return ok_status();
}

std::vector<std::string> list_ids(const std::string& root) {
  std::vector<std::string> ids;
  DIR* dir = opendir(root.c_str());
  if (!dir) return ids;
  while (dirent* e = readdir(dir)) {
    std::string_view name = e->d_name;
    // Only container directories: nook's own entries (caches) are not valid ids.
    if (e->d_type != DT_DIR || !spec::validate_id(name).ok()) continue;
    ids.emplace_back(name);
  }
  closedir(dir);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace nook::runtime
