// Installing a device program on a cgroup2 directory in place of the ones attached there
// before (runc's LoadAttachCgroupDeviceFilter): the directory is never left without a filter.
// Parent-side only.
#include <cerrno>

#include "nook/cgroup/device_filter.h"
#include "nook/linux/bpf.h"

namespace nook::cgroup {

Status install_device_filter(int cgroup_fd, const std::vector<bpf_insn>& program) {
  // 1. The programs attached to this very cgroup now: ours from create (or a previous update).
  std::vector<linux::UniqueFd> old;
  for (uint32_t id : NOOK_TRY(linux::bpf_cgroup_device_program_ids(cgroup_fd))) {
    auto fd = linux::bpf_program_fd(id);
    if (!fd.ok() && fd.error().err == ENOENT) continue;  // detached meanwhile
    if (!fd.ok()) return std::move(fd).error();
    old.push_back(std::move(fd).value());
  }
  // 2. The new program; the verifier checks it here.
  linux::UniqueFd loaded =
      NOOK_TRY(linux::bpf_load_cgroup_device_program(program, kDeviceFilterLicense));
  // 3. One old program is swapped in a single step; BPF_F_REPLACE needs Linux 5.6 (EINVAL
  //    before), so fall back to attaching alongside.
  if (old.size() == 1) {
    Status replaced = linux::bpf_attach_cgroup_device(cgroup_fd, loaded.get(), old[0].get());
    if (replaced.ok()) return ok_status();
    if (replaced.error().err != EINVAL) return replaced;
  }
  NOOK_TRY(linux::bpf_attach_cgroup_device(cgroup_fd, loaded.get(), -1));
  // 4. Only now that the new filter runs, the old ones go.
  for (const linux::UniqueFd& fd : old)
    NOOK_TRY(linux::bpf_detach_cgroup_device(cgroup_fd, fd.get()));
  return ok_status();
}

}  // namespace nook::cgroup
