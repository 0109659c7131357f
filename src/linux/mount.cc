// Mount syscalls and in-root path resolution. Runs post-clone: stack buffers only, -errno
// returns, no logging.
#include "nook/linux/mount.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "nook/base/digits.h"

namespace nook::linux {

int open_in_root(int root_fd, const char* path, int flags, mode_t mode) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  int fd;
  do fd = static_cast<int>(syscall(SYS_openat2, root_fd, path, &how, sizeof how));
  while (fd < 0 && errno == EAGAIN);  // openat2 asks to retry on a concurrent rename
  return fd < 0 ? -errno : fd;
}

namespace {

constexpr int kWalkAgain = INT_MIN;

// One pass over `path`: opens each prefix in-root, creating what is missing with *at() calls
// on the parent's fd. A dangling symlink in the way is not created through: its target is
// spliced into `path` (absolute targets stay inside the root, as RESOLVE_IN_ROOT reads them)
// and the caller walks again. Returns an fd, -errno, or kWalkAgain.
int walk_once(int root_fd, char* path, mode_t mode, bool as_file) {
  char prefix[PATH_MAX];
  size_t len = strlen(path);
  int parent = fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
  if (parent < 0) return -errno;
  size_t i = 0;
  while (i < len) {
    while (i < len && path[i] == '/') ++i;
    if (i >= len) break;
    size_t end = i;
    while (end < len && path[end] != '/') ++end;
    size_t next = end;
    while (next < len && path[next] == '/') ++next;
    bool last = next >= len;
    memcpy(prefix, path, end);
    prefix[end] = '\0';
    int fd = open_in_root(root_fd, prefix, O_PATH);
    if (fd == -ENOENT) {
      char name[NAME_MAX + 1];
      size_t nlen = end - i;
      if (nlen > NAME_MAX) { close(parent); return -ENAMETOOLONG; }
      memcpy(name, path + i, nlen);
      name[nlen] = '\0';
      int rc;
      if (last && as_file) {
        int f = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
        rc = f < 0 ? -errno : (close(f), 0);
      } else {
        rc = mkdirat(parent, name, mode) < 0 ? -errno : 0;
      }
      if (rc == -EEXIST) {
        char target[PATH_MAX];
        ssize_t t = readlinkat(parent, name, target, sizeof target - 1);
        close(parent);
        if (t < 0) return -EEXIST;
        target[t] = '\0';
        // new path = (target absolute ? "" : prefix-before-name) + target + rest
        char rebuilt[PATH_MAX];
        size_t n = 0;
        if (target[0] != '/') {
          memcpy(rebuilt, path, i);
          n = i;
        }
        size_t rest = len - end;
        if (n + static_cast<size_t>(t) + rest + 1 > sizeof rebuilt) return -ENAMETOOLONG;
        memcpy(rebuilt + n, target, static_cast<size_t>(t));
        n += static_cast<size_t>(t);
        memcpy(rebuilt + n, path + end, rest);
        n += rest;
        rebuilt[n] = '\0';
        memcpy(path, rebuilt, n + 1);
        return kWalkAgain;
      }
      if (rc < 0) { close(parent); return rc; }
      fd = open_in_root(root_fd, prefix, O_PATH);
    }
    close(parent);
    if (fd < 0) return fd;
    parent = fd;
    i = next;
  }
  return parent;
}

}  // namespace

int make_path_in_root(int root_fd, const char* path, mode_t mode, bool as_file, bool* existed) {
  int fd = open_in_root(root_fd, path, O_PATH);
  if (existed) *existed = fd >= 0;
  if (fd >= 0 || fd != -ENOENT) return fd;
  char buf[PATH_MAX];
  size_t len = strnlen(path, sizeof buf);
  if (len >= sizeof buf) return -ENAMETOOLONG;
  memcpy(buf, path, len + 1);
  for (int hops = 0; hops < 40; ++hops) {  // the kernel's own symlink limit
    fd = walk_once(root_fd, buf, mode, as_file);
    if (fd != kWalkAgain) return fd;
  }
  return -ELOOP;
}

const char* fd_path(int fd, char* buf) {
  const char prefix[] = "/proc/self/fd/";
  memcpy(buf, prefix, sizeof prefix - 1);
  append_unsigned(buf + sizeof prefix - 1, static_cast<unsigned>(fd));
  return buf;
}

int mount_onto_fd(const char* source, int target_fd, const char* fstype, unsigned long flags,
                  const char* data) {
  char buf[32];
  if (mount(source, fd_path(target_fd, buf), fstype, flags, data) < 0) return -errno;
  return 0;
}

int set_propagation_fd(int mount_fd, unsigned long propagation) {
  char buf[32];
  if (mount(nullptr, fd_path(mount_fd, buf), nullptr, propagation, nullptr) < 0) return -errno;
  return 0;
}

int sys_open_tree(int dfd, const char* path, unsigned flags) {
  int fd = static_cast<int>(syscall(SYS_open_tree, dfd, path, flags));
  return fd < 0 ? -errno : fd;
}

int sys_move_mount(int from_dfd, const char* from_path, int to_dfd, const char* to_path,
                   unsigned flags) {
  return syscall(SYS_move_mount, from_dfd, from_path, to_dfd, to_path, flags) < 0 ? -errno : 0;
}

int sys_mount_setattr(int dfd, const char* path, unsigned flags, uint64_t attr_set,
                      uint64_t attr_clr, uint64_t propagation) {
  mount_attr attr{};
  attr.attr_set = attr_set;
  attr.attr_clr = attr_clr;
  attr.propagation = propagation;
  return syscall(SYS_mount_setattr, dfd, path, flags, &attr, sizeof attr) < 0 ? -errno : 0;
}

namespace {
int apply_attrs(int tree, unsigned flags, uint64_t set, uint64_t clr) {
  if (!set && !clr) return 0;
  // Changing the atime mode needs the whole MOUNT_ATTR__ATIME field cleared first.
  if (set & MOUNT_ATTR__ATIME) clr |= MOUNT_ATTR__ATIME;
  return sys_mount_setattr(tree, "", AT_EMPTY_PATH | flags, set, clr, 0);
}

// The bound mount's own flags. EPERM means a locked flag (MNT_LOCK_*): keep the lockable
// ones nobody asked to clear and try once more.
int apply_top_attrs(int tree, const MountAttrs& a) {
  constexpr uint64_t kLockable =
      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
  int rc = apply_attrs(tree, 0, a.top_set, a.top_clr);
  if (rc == -EPERM && (a.top_clr_implied & kLockable))
    rc = apply_attrs(tree, 0, a.top_set, a.top_clr & ~(a.top_clr_implied & kLockable));
  return rc;
}
}  // namespace

int set_attrs_recursive_fd(int mount_fd, uint64_t attr_set, uint64_t attr_clr) {
  return apply_attrs(mount_fd, AT_RECURSIVE, attr_set, attr_clr);
}

int open_bind_tree(int src_dfd, const char* src_path, bool recursive, const MountAttrs& attrs) {
  unsigned tree_flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
  if (src_path[0] == '\0') tree_flags |= AT_EMPTY_PATH;
  int tree = sys_open_tree(src_dfd, src_path, tree_flags);
  if (tree < 0) return tree;
  // The top first, then the recursive attributes, as runc (its remount comes before its
  // mount_setattr): "rro" makes even a "rw" top read-only.
  int rc = apply_top_attrs(tree, attrs);
  if (rc == 0) rc = apply_attrs(tree, AT_RECURSIVE, attrs.all_set, attrs.all_clr);
  if (rc < 0) {
    close(tree);
    return rc;
  }
  return tree;
}

int idmap_tree(int tree_fd, int userns_fd, bool recursive) {
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = static_cast<uint64_t>(userns_fd);
  unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
  return syscall(SYS_mount_setattr, tree_fd, "", flags, &attr, sizeof attr) < 0 ? -errno : 0;
}

int attach_tree(int tree_fd, int target_fd, unsigned long propagation) {
  int rc =
      sys_move_mount(tree_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
  if (rc == 0 && propagation) {
    rc = sys_mount_setattr(tree_fd, "", AT_EMPTY_PATH | ((propagation & MS_REC) ? AT_RECURSIVE : 0),
                           0, 0, propagation & ~static_cast<unsigned long>(MS_REC));
  }
  return rc;
}

int bind_mount_onto_fd(int src_dfd, const char* src_path, int target_fd, bool recursive,
                       const MountAttrs& attrs, unsigned long propagation) {
  int tree = open_bind_tree(src_dfd, src_path, recursive, attrs);
  if (tree < 0) return tree;
  int rc = attach_tree(tree, target_fd, propagation);
  close(tree);
  return rc;
}

int pivot_root_fd(int new_root_fd) {
  // pivot_root(".", ".") stacks the old root under the new one; making it a slave first keeps
  // the detach from propagating unmounts back to the host.
  if (fchdir(new_root_fd) < 0) return -errno;
  if (syscall(SYS_pivot_root, ".", ".") < 0) return -errno;
  if (mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) < 0) return -errno;
  if (umount2(".", MNT_DETACH) < 0) return -errno;
  if (chdir("/") < 0) return -errno;
  return 0;
}

int move_root_fd(int new_root_fd) {
  if (fchdir(new_root_fd) < 0) return -errno;
  if (mount(".", "/", nullptr, MS_MOVE, nullptr) < 0) return -errno;
  if (chroot(".") < 0) return -errno;
  if (chdir("/") < 0) return -errno;
  return 0;
}

}  // namespace nook::linux
