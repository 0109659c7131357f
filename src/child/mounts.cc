// The container's filesystem: rootfs bind, the spec's mounts, devices, pivot_root, masked and
// read-only paths. Runs post-clone. Every target is resolved inside the rootfs with openat2
// (RESOLVE_IN_ROOT) and mounted onto the resulting fd, so a rootfs symlink can't redirect a
// mount to the host (CVE-2021-30465).
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "nook/base/digits.h"
#include "nook/child/steps.h"

namespace nook::child {
namespace {

struct linux_dirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

using linux::open_in_root;

int must(const ChildPlan& p, int rc, const char* what, const char* obj) {
  if (rc < 0) die(p, -rc, what, obj, "`");
  return rc;
}

// Copies the directory part of `path` into `dir` and returns the last component.
const char* split_parent(const char* path, char* dir) {
  const char* slash = strrchr(path, '/');
  size_t n = slash ? static_cast<size_t>(slash - path) : 0;
  if (n >= PATH_MAX) n = PATH_MAX - 1;
  memcpy(dir, path, n);
  dir[n] = '\0';
  if (n == 0) strcpy(dir, "/");
  return slash ? slash + 1 : path;
}

// v1 `type: cgroup`: a tmpfs holding one bind per hierarchy of the container's own cgroup,
// plus the `cpu` → `cpu,cpuacct` style symlinks, as runc lays it out.
void mount_cgroup_v1(const ChildPlan& p, int root_fd, const MountStep& m) {
  int target = must(p, linux::make_path_in_root(root_fd, m.dest, 0755, false),
                    "create mount target `", m.dest);
  must(p, linux::mount_onto_fd("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                               "mode=755"),
       "mount cgroup tmpfs on `", m.dest);
  close(target);
  int dir = must(p, open_in_root(root_fd, m.dest, O_PATH | O_DIRECTORY), "open `", m.dest);
  linux::MountAttrs ro{};
  if (m.flags & MS_RDONLY) ro.top_set = MOUNT_ATTR_RDONLY;
  ro.top_set |= MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
  for (size_t i = 0; i < p.ncgroup_binds; ++i) {
    const CgroupBind& b = p.cgroup_binds[i];
    if (mkdirat(dir, b.name, 0755) < 0 && errno != EEXIST) die(p, errno, "mkdir cgroup `", b.name, "`");
    // Attached by name: the tmpfs is ours and brand new, nothing in it can be a symlink.
    int tree = must(p, linux::open_bind_tree(AT_FDCWD, b.host_path, false, ro), "bind cgroup `",
                    b.host_path);
    must(p, linux::sys_move_mount(tree, "", dir, b.name, MOVE_MOUNT_F_EMPTY_PATH),
         "bind cgroup `", b.host_path);
    close(tree);
    // "cpu,cpuacct" is also reachable as "cpu" and "cpuacct".
    if (strchr(b.name, ',')) {
      char part[64];
      const char* s = b.name;
      while (*s) {
        size_t n = strcspn(s, ",");
        if (n < sizeof part) {
          memcpy(part, s, n);
          part[n] = '\0';
          if (symlinkat(b.name, dir, part) < 0 && errno != EEXIST)
            die(p, errno, "symlink cgroup `", part, "`");
        }
        s += n;
        if (*s == ',') ++s;
      }
    }
  }
  if (m.flags & MS_RDONLY)
    must(p, linux::sys_mount_setattr(dir, "", AT_EMPTY_PATH, MOUNT_ATTR_RDONLY, 0, 0),
         "remount read-only `", m.dest);
  close(dir);
}

// tmpcopyup: copies what was in the directory under a new tmpfs into it (podman's --read-only
// and --tmpfs rely on it). Stack only; regular files, directories, symlinks and special files,
// with owners and modes. Returns 0 or -errno.
int copy_tree(int src, int dst, int depth) {
  if (depth > 32) return -ELOOP;
  char buf[4096];
  for (;;) {
    long n = syscall(SYS_getdents64, src, buf, sizeof buf);
    if (n < 0) return -errno;
    if (n == 0) return 0;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<linux_dirent64*>(buf + off);
      off += d->d_reclen;
      const char* name = d->d_name;
      if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
      struct stat st;
      if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return -errno;
      mode_t perm = st.st_mode & 07777;
      int rc = 0;
      if (S_ISDIR(st.st_mode)) {
        if (mkdirat(dst, name, perm) < 0 && errno != EEXIST) return -errno;
        int s2 = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int d2 = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        rc = s2 < 0 || d2 < 0 ? -errno : copy_tree(s2, d2, depth + 1);
        if (s2 >= 0) close(s2);
        if (d2 >= 0) close(d2);
      } else if (S_ISREG(st.st_mode)) {
        int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, perm);
        if (in < 0 || out < 0) rc = -errno;
        while (rc == 0) {
          ssize_t c = sendfile(out, in, nullptr, 1 << 20);
          if (c < 0) rc = -errno;
          if (c <= 0) break;
        }
        if (in >= 0) close(in);
        if (out >= 0) close(out);
      } else if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t t = readlinkat(src, name, target, sizeof target - 1);
        if (t < 0) return -errno;
        target[t] = '\0';
        if (symlinkat(target, dst, name) < 0) rc = -errno;
      } else if (mknodat(dst, name, st.st_mode, st.st_rdev) < 0) {
        rc = -errno;
      }
      if (rc < 0) return rc;
      if (fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0) return -errno;
      if (!S_ISLNK(st.st_mode) && fchmodat(dst, name, perm, 0) < 0) return -errno;
    }
  }
}

// runc keeps the mode of a directory that a tmpfs covers unless the options give one:
// "mode=NNNN," goes in front of them (tmpfs takes the last mode=). Returns m.data or `buf`.
const char* tmpfs_data(const ChildPlan& p, const MountStep& m, int target, char* buf,
                       size_t cap) {
  struct stat st;
  if (strcmp(m.fstype, "tmpfs") != 0 || fstat(target, &st) < 0 || !S_ISDIR(st.st_mode))
    return m.data;
  size_t len = strlen(m.data);
  if (len + sizeof "mode=0000," > cap) die(p, E2BIG, "tmpfs options for `", m.dest, "`");
  memcpy(buf, "mode=", 5);
  char* o = append_unsigned(buf + 5, st.st_mode & 07777, 8, 4);
  if (len) *o++ = ',';
  memcpy(o, m.data, len + 1);
  return buf;
}

void mount_filesystem(const ChildPlan& p, int root_fd, const MountStep& m, int target,
                      bool existed) {
  char data[4096];
  const char* options = existed ? tmpfs_data(p, m, target, data, sizeof data) : m.data;
  // For tmpcopyup, hold the directory underneath before the tmpfs covers it.
  int under = m.tmpcopyup ? openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  if (m.tmpcopyup && under < 0) die(p, errno, "open `", m.dest, "` for tmpcopyup");
  unsigned long flags = m.tmpcopyup ? m.flags & ~MS_RDONLY : m.flags;  // ro after the copy
  int rc = linux::mount_onto_fd(m.source, target, m.fstype, flags, options);
  if (rc < 0) die(p, -rc, "mount `", m.fstype, "` on `", m.dest, "`");
  if (m.tmpcopyup) {
    int top = must(p, open_in_root(root_fd, m.dest, O_RDONLY | O_DIRECTORY), "open `", m.dest);
    must(p, copy_tree(under, top, 0), "tmpcopyup into `", m.dest);
    close(top);
    close(under);
  }
  bool ro_after_copy = m.tmpcopyup && (m.flags & MS_RDONLY);
  bool recursive = m.attrs.all_set || m.attrs.all_clr;
  if (!ro_after_copy && !recursive && !m.propagation) return;
  // `target` still names the covered directory; reopen to reach the new mount.
  int top = must(p, open_in_root(root_fd, m.dest, O_PATH), "open `", m.dest);
  if (ro_after_copy)
    must(p, linux::sys_mount_setattr(top, "", AT_EMPTY_PATH, MOUNT_ATTR_RDONLY, 0, 0),
         "remount read-only `", m.dest);
  if (recursive)
    must(p, linux::set_attrs_recursive_fd(top, m.attrs.all_set, m.attrs.all_clr),
         "set recursive mount attributes on `", m.dest);
  if (m.propagation)
    must(p, linux::set_propagation_fd(top, m.propagation), "set propagation on `", m.dest);
  close(top);
}

// EPERM from a bind that clears a lockable flag (or changes the atime mode) is the kernel
// keeping what it locked on the source in a user namespace: say so.
const char* bind_failure_hint(const MountStep& m, int rc) {
  constexpr uint64_t kLockable = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                 MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME;
  uint64_t asked = m.attrs.top_clr & ~m.attrs.top_clr_implied;
  if (rc == -EPERM && (asked & kLockable))
    return "` (it clears a flag the kernel locked on the source, which a user namespace may not)";
  return "`";
}

void mount_one(const ChildPlan& p, int root_fd, const MountStep& m) {
  if (m.cgroup_v1) return mount_cgroup_v1(p, root_fd, m);
  // Whether the target was there before matters to a tmpfs (its mode).
  bool existed = false;
  int target =
      linux::make_path_in_root(root_fd, m.dest, 0755, m.bind && m.source_is_file, &existed);
  if (target < 0) die(p, -target, "create mount target `", m.dest, "`");
  if (m.bind) {
    int rc = m.tree_fd >= 0 ? linux::attach_tree(m.tree_fd, target, m.propagation)
                            : linux::bind_mount_onto_fd(AT_FDCWD, m.source, target, m.recursive,
                                                        m.attrs, m.propagation);
    if (rc < 0) die(p, -rc, "bind mount `", m.source, "` on `", m.dest, bind_failure_hint(m, rc));
  } else {
    mount_filesystem(p, root_fd, m, target, existed);
  }
  close(target);
}

}  // namespace

int prepare_rootfs(const ChildPlan& p) {
  // Nothing we mount may propagate back to the host.
  if (mount(nullptr, "/", nullptr, p.root_propagation, nullptr) < 0)
    die(p, errno, "set propagation of `/`");
  // pivot_root refuses a new root whose parent mount is shared (runc does the same).
  if ((p.root_propagation & MS_SHARED) &&
      mount(nullptr, p.rootfs_parent_mount, nullptr, MS_PRIVATE, nullptr) < 0)
    die(p, errno, "make `", p.rootfs_parent_mount, "` private");
  // The rootfs must be a mount point for pivot_root: a bind of itself, or its id-mapped tree.
  if (p.rootfs_tree >= 0) {
    int under = open(p.rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    int rc = under < 0 ? -errno : linux::attach_tree(p.rootfs_tree, under, 0);
    if (rc < 0) die(p, -rc, "attach the id-mapped rootfs on `", p.rootfs, "`");
    close(under);
  } else if (mount(p.rootfs, p.rootfs, nullptr, MS_BIND | MS_REC, nullptr) < 0) {
    die(p, errno, "bind rootfs `", p.rootfs, "`");
  }
  int fd = open(p.rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) die(p, errno, "open rootfs `", p.rootfs, "`");
  return fd;
}

void mount_all(const ChildPlan& p, int root_fd) {
  for (size_t i = 0; i < p.nmounts; ++i) mount_one(p, root_fd, p.mounts[i]);
  // As runc, a missing cwd is created now, while even a read-only root is still writable.
  int cwd = linux::make_path_in_root(root_fd, p.cwd, 0755, false);
  if (cwd < 0) die(p, -cwd, "create cwd `", p.cwd, "`");
  close(cwd);
}

void make_devices(const ChildPlan& p, int root_fd) {
  if (p.dev_is_bind) return;
  // Most devices share a directory (/dev): open each one once.
  char open_dir[PATH_MAX] = "";
  int dfd = -1;
  for (size_t i = 0; i < p.ndevices; ++i) {
    const DeviceStep& d = p.devices[i];
    char dir[PATH_MAX];
    const char* name = split_parent(d.path, dir);
    if (dfd < 0 || strcmp(dir, open_dir) != 0) {
      if (dfd >= 0) close(dfd);
      dfd = must(p, linux::make_path_in_root(root_fd, dir, 0755, false), "create `", dir);
      strcpy(open_dir, dir);
    }
    if (d.bind_from_host) {
      int f = openat(dfd, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (f >= 0) close(f);
      int target = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (target < 0) die(p, errno, "create device `", d.path, "`");
      must(p, linux::bind_mount_onto_fd(AT_FDCWD, d.path, target, false, {}, 0),
           "bind device `", d.path);
      close(target);
    } else {
      // What is already there is left alone, as runc does: it may be a bind mount of a host
      // node (a user's mount of /dev/null), which a chown would change on the host.
      if (mknodat(dfd, name, d.mode, d.dev) < 0) {
        if (errno != EEXIST) die(p, errno, "mknod `", d.path, "`");
      } else if (fchownat(dfd, name, d.uid, d.gid, AT_SYMLINK_NOFOLLOW) < 0) {
        die(p, errno, "chown `", d.path, "`");
      }
    }
  }
  if (dfd >= 0) close(dfd);
  // The standard /dev links; /dev/ptmx points into the container's own devpts.
  int dev = open_in_root(root_fd, "/dev", O_PATH | O_DIRECTORY);
  if (dev < 0) return;
  static const char* const kLinks[][2] = {{"/proc/self/fd", "fd"},
                                          {"/proc/self/fd/0", "stdin"},
                                          {"/proc/self/fd/1", "stdout"},
                                          {"/proc/self/fd/2", "stderr"}};
  for (const auto& l : kLinks)
    if (symlinkat(l[0], dev, l[1]) < 0 && errno != EEXIST) die(p, errno, "symlink `/dev/", l[1], "`");
  struct stat st;
  if (fstatat(dev, "pts/ptmx", &st, AT_SYMLINK_NOFOLLOW) == 0) {
    unlinkat(dev, "ptmx", 0);
    if (symlinkat("pts/ptmx", dev, "ptmx") < 0) die(p, errno, "symlink `/dev/ptmx`");
  }
  close(dev);
}

void enter_root(const ChildPlan& p, int root_fd) {
  int rc;
  if (!p.new_mount_ns) {
    rc = fchdir(root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0 ? -errno : 0;
  } else {
    rc = p.no_pivot ? linux::move_root_fd(root_fd) : linux::pivot_root_fd(root_fd);
  }
  if (rc < 0) die(p, -rc, p.no_pivot ? "chroot into `" : "pivot_root into `", p.rootfs, "`");
}

void finish_rootfs(const ChildPlan& p) {
  int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) die(p, errno, "open `/`");
  for (size_t i = 0; i < p.nmasked; ++i) {
    int fd = open_in_root(root, p.masked[i], O_PATH);
    if (fd == -ENOENT) continue;
    must(p, fd, "open masked path `", p.masked[i]);
    struct stat st;
    int rc = fstat(fd, &st) < 0 ? -errno : 0;
    if (rc == 0 && S_ISDIR(st.st_mode))
      rc = linux::mount_onto_fd("tmpfs", fd, "tmpfs", MS_RDONLY, "");
    else if (rc == 0)
      rc = linux::bind_mount_onto_fd(AT_FDCWD, "/dev/null", fd, false, {}, 0);
    must(p, rc, "mask `", p.masked[i]);
    close(fd);
  }
  for (size_t i = 0; i < p.nreadonly; ++i) {
    int fd = open_in_root(root, p.readonly[i], O_PATH);
    if (fd == -ENOENT) continue;
    must(p, fd, "open readonly path `", p.readonly[i]);
    linux::MountAttrs ro{};
    ro.top_set = MOUNT_ATTR_RDONLY;
    must(p, linux::bind_mount_onto_fd(fd, "", fd, true, ro, 0), "make read-only `",
         p.readonly[i]);
    close(fd);
  }
  close(root);
  if (p.readonly_root &&
      linux::sys_mount_setattr(AT_FDCWD, "/", 0, MOUNT_ATTR_RDONLY, 0, 0) < 0)
    die(p, errno, "remount `/` read-only");
  if (p.rootfs_propagation && mount(nullptr, "/", nullptr, p.rootfs_propagation, nullptr) < 0)
    die(p, errno, "set rootfs propagation");
}

void write_sysctls(const ChildPlan& p) {
  for (size_t i = 0; i < p.nsysctls; ++i) {
    const SysctlStep& s = p.sysctls[i];
    int fd = open(s.path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    // Some keys stay the host's even in namespaces a user namespace owns (net.core.rmem_max).
    bool denied = fd < 0 && (errno == EACCES || errno == EPERM) && p.in_user_ns;
    if (fd < 0)
      die(p, errno, "open sysctl `", s.key, denied ? "` (kept from a user namespace)" : "`");
    size_t len = strlen(s.value);
    if (write(fd, s.value, len) != static_cast<ssize_t>(len)) die(p, errno, "write sysctl `", s.key, "`");
    close(fd);
  }
}

}  // namespace nook::child
