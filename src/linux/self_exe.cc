// Running from a binary the container cannot write to; see self_exe.h for the why.
#include "nook/linux/self_exe.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>

#include "nook/linux/fd.h"

extern char** environ;

namespace nook::linux {
namespace {
constexpr char kMemfdName[] = "nook-sealed";
constexpr int kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
// Set across our own re-exec from the overlay: a read-only overlay is only known to be one
// without an upper layer (never writable) when we made it. The caller could set it too, but
// the caller could as well replace the binary.
constexpr char kGuardEnv[] = "_NOOK_EXE_GUARDED";

// Filesystems no remount makes writable.
bool is_read_only_kind(long type) {
  constexpr long kSquashfs = 0x73717368, kErofs = static_cast<long>(0xE0F5E1E2),
                 kCramfs = 0x28cd3d45, kIsofs = 0x9660;
  return type == kSquashfs || type == kErofs || type == kCramfs || type == kIsofs;
}

bool is_protected(int exe, bool guarded) {
  int seals = fcntl(exe, F_GET_SEALS);
  if (seals >= 0 && (seals & kSeals) == kSeals) return true;
  struct statfs fs;
  if (fstatfs(exe, &fs) < 0) return false;
  if (is_read_only_kind(static_cast<long>(fs.f_type))) return true;
  return guarded && fs.f_type == OVERLAYFS_SUPER_MAGIC && (fs.f_flags & ST_RDONLY);
}

// overlayfs splits lowerdir on ':' and takes '\' as an escape.
std::string escape_layer(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ':' || c == '\\' || c == ',') out += '\\';
    out += c;
  }
  return out;
}

// An O_PATH fd of the binary `exe_path` seen through a detached overlayfs whose layers are its
// directory and `scratch_dir`, or an invalid fd where overlayfs refuses (no overlay, no
// privilege, overlapping layers) or shows another file than `exe` (a file bind-mounted over
// the binary is not part of the directory's layer). An overlay without an upper layer is
// read-only for good: writes need a copy-up that has nowhere to go.
UniqueFd open_through_overlay(int exe, const std::string& exe_path,
                              const std::string& scratch_dir) {
  size_t slash = exe_path.rfind('/');
  if (slash == std::string::npos || slash + 1 == exe_path.size()) return {};
  std::string dir = slash == 0 ? "/" : exe_path.substr(0, slash);
  std::string name = exe_path.substr(slash + 1);
  std::string layers = escape_layer(dir) + ":" + escape_layer(scratch_dir);
  UniqueFd fs(static_cast<int>(syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC)));
  if (!fs) return {};
  if (syscall(SYS_fsconfig, fs.get(), FSCONFIG_SET_STRING, "lowerdir", layers.c_str(), 0) < 0 ||
      syscall(SYS_fsconfig, fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
    return {};
  UniqueFd mnt(static_cast<int>(syscall(SYS_fsmount, fs.get(), FSMOUNT_CLOEXEC,
                                        MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID)));
  if (!mnt) return {};
  UniqueFd file(openat(mnt.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  struct stat want, got;
  if (!file || fstat(exe, &want) < 0 || fstat(file.get(), &got) < 0 ||
      want.st_size != got.st_size || want.st_mtim.tv_sec != got.st_mtim.tv_sec ||
      want.st_mtim.tv_nsec != got.st_mtim.tv_nsec || want.st_ctim.tv_sec != got.st_ctim.tv_sec ||
      want.st_ctim.tv_nsec != got.st_ctim.tv_nsec)
    return {};
  return file;
}

Result<UniqueFd> sealed_copy(int exe) {
  struct stat st;
  if (fstat(exe, &st) < 0) return sys_error("stat `/proc/self/exe`");
  // MFD_EXEC (6.3+) keeps it executable under vm.memfd_noexec; older kernels reject the flag.
  constexpr unsigned kMfdExec = 0x10;
  UniqueFd mem(static_cast<int>(
      syscall(SYS_memfd_create, kMemfdName, MFD_CLOEXEC | MFD_ALLOW_SEALING | kMfdExec)));
  if (!mem && errno == EINVAL) mem.reset(memfd_create(kMemfdName, MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!mem) return sys_error("memfd_create");
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = sendfile(mem.get(), exe, &off, static_cast<size_t>(st.st_size - off));
    if (n <= 0) return sys_error("copy nook binary into memfd");
  }
  if (fcntl(mem.get(), F_ADD_SEALS, kSeals) < 0) return sys_error("seal memfd");
  return mem;
}
}  // namespace

Status ensure_protected_self(char** argv, const std::string& scratch_dir) {
  bool guarded = getenv(kGuardEnv) != nullptr;
  unsetenv(kGuardEnv);  // nothing we start inherits it
  UniqueFd exe(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return sys_error("open `/proc/self/exe`");
  if (is_protected(exe.get(), guarded)) return ok_status();
  char link[4096];
  ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
  // Once through the overlay already (guarded, yet not protected): not again, the copy.
  if (!guarded && n > 0 && link[0] == '/') {
    (void)mkdir(scratch_dir.c_str(), 0700);  // the state root, as StateDir makes it
    UniqueFd overlay =
        open_through_overlay(exe.get(), std::string(link, static_cast<size_t>(n)), scratch_dir);
    if (overlay) {
      setenv(kGuardEnv, "1", 1);
      syscall(SYS_execveat, overlay.get(), "", argv, environ, AT_EMPTY_PATH);
      unsetenv(kGuardEnv);  // and on to the copy
    }
  }
  auto mem = NOOK_TRY(sealed_copy(exe.get()));
  fexecve(mem.get(), argv, environ);
  return sys_error("re-execute sealed nook binary");
}

}  // namespace nook::linux
