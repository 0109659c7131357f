// The OCI mount option table (runc's, from libcontainer/specconv): each option is an MS_* flag
// to set or clear, a propagation, a recursive MOUNT_ATTR_* to set or clear, an extension, or
// else filesystem data; and the MOUNT_ATTR_* changes a bind mount gets from them. Pure data;
// the mount code applies the result.
#include "nook/spec/mount_options.h"

#include <linux/mount.h>
#include <sys/mount.h>

#include <algorithm>
#include <array>

namespace nook::spec {
namespace {

// AttrAtime sets one recursive atime mode: they are an enum in mount_setattr(2), not bits.
enum class OptionKind {
  Flag, ClearFlag, Propagation, AttrSet, AttrClear, AttrAtime, Extension, Ignore
};
enum class Extension { None, TmpCopyUp, IdMap, RecursiveIdMap };

struct MountOption {
  std::string_view name;
  OptionKind kind;
  uint64_t value;  // MS_* or MOUNT_ATTR_* bits
  Extension extension = Extension::None;
};

constexpr std::array kOptions = std::to_array<MountOption>({
    {"acl", OptionKind::Flag, MS_POSIXACL},
    {"async", OptionKind::ClearFlag, MS_SYNCHRONOUS},
    {"atime", OptionKind::ClearFlag, MS_NOATIME},
    {"bind", OptionKind::Flag, MS_BIND},
    // runc lists "defaults" with no flag and then passes it on as fs data, which tmpfs and
    // others reject; it means "nothing beyond the defaults", so it is dropped here.
    {"defaults", OptionKind::Ignore, 0},
    {"dev", OptionKind::ClearFlag, MS_NODEV},
    {"diratime", OptionKind::ClearFlag, MS_NODIRATIME},
    {"dirsync", OptionKind::Flag, MS_DIRSYNC},
    {"exec", OptionKind::ClearFlag, MS_NOEXEC},
    {"idmap", OptionKind::Extension, 0, Extension::IdMap},
    {"iversion", OptionKind::Flag, MS_I_VERSION},
    {"lazytime", OptionKind::Flag, MS_LAZYTIME},
    {"loud", OptionKind::ClearFlag, MS_SILENT},
    {"mand", OptionKind::Flag, MS_MANDLOCK},
    {"noacl", OptionKind::ClearFlag, MS_POSIXACL},
    {"noatime", OptionKind::Flag, MS_NOATIME},
    {"nodev", OptionKind::Flag, MS_NODEV},
    {"nodiratime", OptionKind::Flag, MS_NODIRATIME},
    {"noexec", OptionKind::Flag, MS_NOEXEC},
    {"noiversion", OptionKind::ClearFlag, MS_I_VERSION},
    {"nolazytime", OptionKind::ClearFlag, MS_LAZYTIME},
    {"nomand", OptionKind::ClearFlag, MS_MANDLOCK},
    {"norelatime", OptionKind::ClearFlag, MS_RELATIME},
    {"nostrictatime", OptionKind::ClearFlag, MS_STRICTATIME},
    {"nosuid", OptionKind::Flag, MS_NOSUID},
    {"nosymfollow", OptionKind::Flag, MS_NOSYMFOLLOW},  // Linux 5.10
    {"private", OptionKind::Propagation, MS_PRIVATE},
    // The recursive "no" forms of the atime modes mean what mount(8) says of "atime" and
    // "nostrictatime": the kernel's default, relatime. Clearing one bit of the atime field
    // alone is EINVAL for mount_setattr(2).
    {"ratime", OptionKind::AttrAtime, MOUNT_ATTR_RELATIME},
    {"rbind", OptionKind::Flag, MS_BIND | MS_REC},
    {"rdev", OptionKind::AttrClear, MOUNT_ATTR_NODEV},
    {"rdiratime", OptionKind::AttrClear, MOUNT_ATTR_NODIRATIME},
    {"relatime", OptionKind::Flag, MS_RELATIME},
    {"remount", OptionKind::Flag, MS_REMOUNT},
    {"rexec", OptionKind::AttrClear, MOUNT_ATTR_NOEXEC},
    {"ridmap", OptionKind::Extension, 0, Extension::RecursiveIdMap},
    {"rnoatime", OptionKind::AttrAtime, MOUNT_ATTR_NOATIME},
    {"rnodev", OptionKind::AttrSet, MOUNT_ATTR_NODEV},
    {"rnodiratime", OptionKind::AttrSet, MOUNT_ATTR_NODIRATIME},
    {"rnoexec", OptionKind::AttrSet, MOUNT_ATTR_NOEXEC},
    {"rnorelatime", OptionKind::AttrAtime, MOUNT_ATTR_RELATIME},
    {"rnostrictatime", OptionKind::AttrAtime, MOUNT_ATTR_RELATIME},
    {"rnosuid", OptionKind::AttrSet, MOUNT_ATTR_NOSUID},
    {"rnosymfollow", OptionKind::AttrSet, MOUNT_ATTR_NOSYMFOLLOW},  // Linux 5.14
    {"ro", OptionKind::Flag, MS_RDONLY},
    {"rprivate", OptionKind::Propagation, MS_PRIVATE | MS_REC},
    {"rrelatime", OptionKind::AttrAtime, MOUNT_ATTR_RELATIME},
    {"rro", OptionKind::AttrSet, MOUNT_ATTR_RDONLY},
    {"rrw", OptionKind::AttrClear, MOUNT_ATTR_RDONLY},
    {"rshared", OptionKind::Propagation, MS_SHARED | MS_REC},
    {"rslave", OptionKind::Propagation, MS_SLAVE | MS_REC},
    {"rstrictatime", OptionKind::AttrAtime, MOUNT_ATTR_STRICTATIME},
    {"rsuid", OptionKind::AttrClear, MOUNT_ATTR_NOSUID},
    {"rsymfollow", OptionKind::AttrClear, MOUNT_ATTR_NOSYMFOLLOW},
    {"runbindable", OptionKind::Propagation, MS_UNBINDABLE | MS_REC},
    {"rw", OptionKind::ClearFlag, MS_RDONLY},
    {"shared", OptionKind::Propagation, MS_SHARED},
    {"silent", OptionKind::Flag, MS_SILENT},
    {"slave", OptionKind::Propagation, MS_SLAVE},
    {"strictatime", OptionKind::Flag, MS_STRICTATIME},
    {"suid", OptionKind::ClearFlag, MS_NOSUID},
    {"symfollow", OptionKind::ClearFlag, MS_NOSYMFOLLOW},
    {"sync", OptionKind::Flag, MS_SYNCHRONOUS},
    {"tmpcopyup", OptionKind::Extension, 0, Extension::TmpCopyUp},
    {"unbindable", OptionKind::Propagation, MS_UNBINDABLE},
});

const MountOption* find_option(std::string_view name) {
  for (const auto& o : kOptions)
    if (o.name == name) return &o;
  return nullptr;
}

void apply_extension(Mount& m, Extension e) {
  switch (e) {
    case Extension::TmpCopyUp:
      m.tmpcopyup = true;
      break;
    case Extension::IdMap:
      m.idmap = true;
      break;
    case Extension::RecursiveIdMap:
      m.idmap = true;
      m.recursive_idmap = true;
      break;
    case Extension::None:
      break;
  }
}

}  // namespace

Status classify_mount_options(Mount& m) {
  m.flags = m.clear_flags = m.propagation = 0;
  m.attr_set = m.attr_clr = 0;
  m.data.clear();
  m.tmpcopyup = m.idmap = m.recursive_idmap = false;
  // runc's device type "bind" is a bind mount even without a bind option (non-recursive).
  if (m.type == "bind") m.flags |= MS_BIND;
  // Options apply in order, so a later option wins over an earlier contrary one ("ro,rw").
  for (const auto& name : m.options) {
    const MountOption* o = find_option(name);
    if (o == nullptr) {
      if (!m.data.empty()) m.data += ',';
      m.data += name;
      continue;
    }
    switch (o->kind) {
      case OptionKind::Flag:
        m.flags |= o->value;
        m.clear_flags &= ~o->value;
        break;
      case OptionKind::ClearFlag:
        m.flags &= ~o->value;
        m.clear_flags |= o->value;
        break;
      case OptionKind::Propagation:
        // One propagation per mount: a later one replaces an earlier one.
        m.propagation = o->value;
        break;
      case OptionKind::AttrSet:
        m.attr_set |= o->value;
        m.attr_clr &= ~o->value;
        break;
      case OptionKind::AttrAtime:
        // mount_setattr(2): a mode replaces the whole MOUNT_ATTR__ATIME field, which is
        // cleared with it (MOUNT_ATTR_RELATIME is 0, so "rrelatime" is only this clear).
        m.attr_set = (m.attr_set & ~static_cast<uint64_t>(MOUNT_ATTR__ATIME)) | o->value;
        m.attr_clr |= MOUNT_ATTR__ATIME;
        break;
      case OptionKind::AttrClear:
        m.attr_clr |= o->value;
        m.attr_set &= ~o->value;
        break;
      case OptionKind::Extension:
        apply_extension(m, o->extension);
        break;
      case OptionKind::Ignore:
        break;
    }
  }
  return ok_status();
}

linux::MountAttrs bind_mount_attrs(const Mount& m) {
  linux::MountAttrs a;
  a.all_set = m.attr_set;
  a.all_clr = m.attr_clr;
  // A bare bind keeps the source's flags. Any other option makes the mount what the options
  // say, as runc 1.2+ does (the intent of `mount --bind -o OPTS`): flags the source has and
  // the options do not ask for are cleared, except with "remount" (mount(8)'s `-o remount`
  // adds to the existing flags).
  unsigned long asked = m.flags & ~static_cast<unsigned long>(MS_BIND | MS_REC | MS_REMOUNT);
  if (asked == 0 && m.clear_flags == 0) return a;
  bool merge = (m.flags & MS_REMOUNT) != 0;
  constexpr struct {
    unsigned long flag;
    uint64_t attr;
  } kPerMount[] = {{MS_RDONLY, MOUNT_ATTR_RDONLY},   {MS_NOSUID, MOUNT_ATTR_NOSUID},
                   {MS_NODEV, MOUNT_ATTR_NODEV},     {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
                   {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW}};
  for (const auto& f : kPerMount) {
    if (m.flags & f.flag) {
      a.top_set |= f.attr;
    } else if (m.clear_flags & f.flag) {
      a.top_clr |= f.attr;
    } else if (!merge) {
      a.top_clr |= f.attr;
      a.top_clr_implied |= f.attr;
    }
  }
  // The atime mode changes only when one is asked for (as a remount's does); then it is the
  // one mount(2) would make: strictatime over noatime over the default relatime, and
  // nodiratime only if asked. "atime" or "norelatime" alone keep the source's.
  constexpr unsigned long kAtimeFlags = MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;
  if (m.flags & kAtimeFlags) {
    a.top_clr |= MOUNT_ATTR__ATIME;
    a.top_set |= (m.flags & MS_STRICTATIME) ? MOUNT_ATTR_STRICTATIME
                 : (m.flags & MS_NOATIME)   ? MOUNT_ATTR_NOATIME
                                            : MOUNT_ATTR_RELATIME;
    if (m.flags & MS_NODIRATIME) a.top_set |= MOUNT_ATTR_NODIRATIME;
    else a.top_clr |= MOUNT_ATTR_NODIRATIME;
  }
  return a;
}

Result<unsigned long> propagation_from_name(std::string_view name) {
  if (name.empty()) return 0UL;
  const MountOption* o = find_option(name);
  if (o == nullptr || o->kind != OptionKind::Propagation)
    return make_error("unknown propagation `" + std::string(name) + "`");
  return static_cast<unsigned long>(o->value);
}

std::vector<std::string_view> known_mount_options() {
  std::vector<std::string_view> names;
  for (const auto& o : kOptions) names.push_back(o.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace nook::spec
