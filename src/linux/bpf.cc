// bpf(2) for cgroup device programs: load, query, get-fd-by-id, attach and detach. Every fd
// the kernel returns here is already O_CLOEXEC. Parent-side only.
#include "nook/linux/bpf.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace nook::linux {

namespace {

// Enough for the verifier's trace of a device program of a few hundred rules.
constexpr size_t kVerifierLogSize = 64 * 1024;

long bpf(int cmd, bpf_attr& attr) {
  long rc;
  do rc = ::syscall(SYS_bpf, cmd, &attr, sizeof attr);
  while (rc < 0 && errno == EINTR);
  return rc;
}

uint64_t pointer(const void* p) {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p));
}

// The last non-empty line of a verifier log: the reason, e.g. "R0 !read_ok".
std::string last_line(const char* log) {
  std::string text(log);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  size_t nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

}  // namespace

Result<UniqueFd> bpf_load_cgroup_device_program(const std::vector<bpf_insn>& program,
                                                const char* license) {
  bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = pointer(program.data());
  attr.insn_cnt = static_cast<uint32_t>(program.size());
  attr.license = pointer(license);
  long fd = bpf(BPF_PROG_LOAD, attr);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  Error error = sys_error("load the device filter (BPF_PROG_LOAD)");
  if (errno != EINVAL && errno != EACCES) return error;
  // Again with the verifier's log, only to say why.
  std::string log(kVerifierLogSize, '\0');
  attr.log_level = 1;
  attr.log_buf = pointer(log.data());
  attr.log_size = static_cast<uint32_t>(log.size());
  fd = bpf(BPF_PROG_LOAD, attr);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  if (log[0] != '\0') error.message += " (verifier: " + last_line(log.c_str()) + ")";
  return error;
}

Result<std::vector<uint32_t>> bpf_cgroup_device_program_ids(int cgroup_fd) {
  std::vector<uint32_t> ids(8);
  for (;;) {
    bpf_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.query.target_fd = static_cast<uint32_t>(cgroup_fd);
    attr.query.attach_type = BPF_CGROUP_DEVICE;
    attr.query.prog_ids = pointer(ids.data());
    attr.query.prog_cnt = static_cast<uint32_t>(ids.size());
    if (bpf(BPF_PROG_QUERY, attr) == 0) {
      ids.resize(attr.query.prog_cnt);
      return ids;
    }
    // ENOSPC: more programs than room; prog_cnt now says how many.
    if (errno != ENOSPC) return sys_error("list the cgroup's device programs (BPF_PROG_QUERY)");
    ids.resize(attr.query.prog_cnt);
  }
}

Result<UniqueFd> bpf_program_fd(uint32_t id) {
  bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.prog_id = id;
  long fd = bpf(BPF_PROG_GET_FD_BY_ID, attr);
  if (fd < 0)
    return sys_error("open device program " + std::to_string(id) + " (BPF_PROG_GET_FD_BY_ID)");
  return UniqueFd(static_cast<int>(fd));
}

Status bpf_attach_cgroup_device(int cgroup_fd, int program_fd, int replace_fd) {
  bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.attach_bpf_fd = static_cast<uint32_t>(program_fd);
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (replace_fd >= 0) {
    attr.attach_flags |= BPF_F_REPLACE;
    attr.replace_bpf_fd = static_cast<uint32_t>(replace_fd);
  }
  if (bpf(BPF_PROG_ATTACH, attr) != 0) {
    return sys_error(replace_fd >= 0
                         ? "attach the device filter (BPF_PROG_ATTACH, BPF_F_REPLACE)"
                         : "attach the device filter (BPF_PROG_ATTACH, BPF_F_ALLOW_MULTI)");
  }
  return ok_status();
}

Status bpf_detach_cgroup_device(int cgroup_fd, int program_fd) {
  bpf_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.attach_bpf_fd = static_cast<uint32_t>(program_fd);
  attr.attach_type = BPF_CGROUP_DEVICE;
  if (bpf(BPF_PROG_DETACH, attr) != 0) {
    return sys_error("detach the previous device filter (BPF_PROG_DETACH)");
  }
  return ok_status();
}

}  // namespace nook::linux
