// Classification of OCI mount options into MS_* flags, propagation, MOUNT_ATTR_* (recursive
// options) and filesystem data. Pure table, unit-tested.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"
#include "nook/linux/mount.h"
#include "nook/spec/config.h"

namespace nook::spec {
// Fills m.flags, m.clear_flags, m.propagation, m.attr_set, m.attr_clr and m.data from
// m.options. Unknown options go to data (the filesystem judges them), as runc does.
Status classify_mount_options(Mount& m);
// The MOUNT_ATTR_* changes of a bind mount: its own flags (runc 1.2+'s rules: see the .cc)
// and the recursive r* attributes. A new filesystem takes only the recursive ones from it.
linux::MountAttrs bind_mount_attrs(const Mount& m);
// "shared", "rslave", ... → MS_* propagation flags (0 for "").
Result<unsigned long> propagation_from_name(std::string_view name);
// Every option classify_mount_options() recognises (not fs data), sorted, for `features`.
std::vector<std::string_view> known_mount_options();
}  // namespace nook::spec
