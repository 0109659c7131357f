// Profile → BPF, parent-side only (libseccomp allocates and is banned after clone). Follows
// runc's libcontainer/seccomp: the same action mapping and defaults, unknown syscalls skipped,
// rules equal to the default action dropped, and the -ENOSYS stub of runc's patchbpf placed in
// front of libseccomp's program so that syscalls newer than the profile fail with ENOSYS (which
// libc falls back from) instead of the default errno.
#include "nook/seccomp/compile.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstddef>
#include <map>
#include <memory>
#include <set>

#include "nook/linux/fd.h"
#include "nook/linux/seccomp_load.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

namespace nook::seccomp {
namespace {

constexpr std::string_view kPath = "linux.seccomp";
// Set on every x32 syscall number (arch/x86/include/uapi/asm/unistd.h).
constexpr uint32_t kX32SyscallBit = 0x40000000;
// runc enables libseccomp's binary tree only past this many syscalls: libseccomp <= 2.5.1
// misbehaves with the tree and no rules, and small filters do not gain from it.
constexpr size_t kBinaryTreeMinSyscalls = 8;

std::string index_path(std::string_view field, size_t i) {
  return std::string(kPath) + "." + std::string(field) + "[" + std::to_string(i) + "]";
}

// runc's getAction(): KILL is KILL_THREAD, and ERRNO and TRACE default to EPERM.
uint32_t scmp_action(Action action, std::optional<uint32_t> errno_ret) {
  switch (action) {
    case Action::Kill:
    case Action::KillThread:
      return SCMP_ACT_KILL_THREAD;
    case Action::KillProcess:
      return SCMP_ACT_KILL_PROCESS;
    case Action::Trap:
      return SCMP_ACT_TRAP;
    case Action::Errno:
      return SCMP_ACT_ERRNO(errno_ret.value_or(EPERM));
    case Action::Trace:
      return SCMP_ACT_TRACE(errno_ret.value_or(EPERM));
    case Action::Allow:
      return SCMP_ACT_ALLOW;
    case Action::Log:
      return SCMP_ACT_LOG;
    case Action::Notify:
      return SCMP_ACT_NOTIFY;
  }
  return SCMP_ACT_KILL_THREAD;
}

scmp_compare scmp_op(Op op) {
  switch (op) {
    case Op::NotEqual:
      return SCMP_CMP_NE;
    case Op::LessThan:
      return SCMP_CMP_LT;
    case Op::LessEqual:
      return SCMP_CMP_LE;
    case Op::Equal:
      return SCMP_CMP_EQ;
    case Op::GreaterEqual:
      return SCMP_CMP_GE;
    case Op::GreaterThan:
      return SCMP_CMP_GT;
    case Op::MaskedEqual:
      return SCMP_CMP_MASKED_EQ;
  }
  return SCMP_CMP_EQ;
}

// libseccomp names architectures by the lowercased suffix: SCMP_ARCH_X86_64 → "x86_64".
// Returns 0 when this libseccomp does not know the architecture.
uint32_t scmp_arch(Arch arch) {
  std::string name(arch_name(arch).substr(std::string_view("SCMP_ARCH_").size()));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return seccomp_arch_resolve_name(name.c_str());
}

struct CtxFree {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxFree>;

Error scmp_error(int rc, std::string message) {
  return Error{-rc, std::move(message)};
}

// runc's matchCall(): conditions on distinct argument indexes are ANDed in one rule; when two
// conditions test the same index libseccomp cannot AND them, so runc falls back to one rule per
// condition, which ORs them. Matched here, quirk included.
Status add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, const SyscallRule& rule,
                std::string_view path, std::string_view name) {
  std::vector<scmp_arg_cmp> conds;
  std::array<int, 6> per_index{};
  bool repeated = false;
  for (const auto& a : rule.args) {
    conds.push_back(scmp_arg_cmp{a.index, scmp_op(a.op), a.value, a.value_two});
    repeated |= ++per_index[a.index] > 1;
  }
  auto fail = [&](int rc) {
    return scmp_error(rc, std::string(path) + ": add rule for `" + std::string(name) + "`");
  };
  if (!repeated) {
    int rc = seccomp_rule_add_array(ctx, action, nr, conds.size(), conds.data());
    return rc == 0 ? ok_status() : Status(fail(rc));
  }
  for (const auto& c : conds) {
    int rc = seccomp_rule_add_array(ctx, action, nr, 1, &c);
    if (rc != 0) return fail(rc);
  }
  return ok_status();
}

Result<std::vector<sock_filter>> export_bpf(scmp_filter_ctx ctx) {
  linux::UniqueFd fd(memfd_create("nook-seccomp-bpf", MFD_CLOEXEC));
  if (!fd) return sys_error("seccomp: memfd_create");
  int rc = seccomp_export_bpf(ctx, fd.get());
  if (rc != 0) return scmp_error(rc, "seccomp: export bpf");
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return sys_error("seccomp: stat exported bpf");
  size_t size = static_cast<size_t>(st.st_size);
  if (size == 0 || size % sizeof(sock_filter) != 0)
    return make_error("seccomp: export bpf: " + std::to_string(size) + " bytes is not a program");
  std::vector<sock_filter> program(size / sizeof(sock_filter));
  char* out = reinterpret_cast<char*>(program.data());
  for (size_t done = 0; done < size;) {
    ssize_t n = pread(fd.get(), out + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sys_error("seccomp: read exported bpf");
    done += static_cast<size_t>(n);
  }
  return program;
}

// --- runc's -ENOSYS stub -----------------------------------------------------------------------

// A forward-only assembler for the stub: jump targets are labels, resolved by finish().
class StubAsm {
 public:
  static constexpr int kNext = -1;

  int label() {
    labels_.push_back(-1);
    return static_cast<int>(labels_.size() - 1);
  }
  void bind(int l) { labels_[l] = static_cast<int>(insns_.size()); }
  void load(uint32_t offset) { insns_.push_back({BPF_LD | BPF_W | BPF_ABS, offset, kNext, kNext}); }
  void jump_if(uint16_t op, uint32_t k, int jt, int jf) {
    insns_.push_back({static_cast<uint16_t>(BPF_JMP | op | BPF_K), k, jt, jf});
  }
  void jump(int target) { insns_.push_back({BPF_JMP | BPF_JA, 0, target, kNext}); }
  void ret(uint32_t k) { insns_.push_back({BPF_RET | BPF_K, k, kNext, kNext}); }

  Result<std::vector<sock_filter>> finish() const {
    std::vector<sock_filter> out;
    for (size_t i = 0; i < insns_.size(); ++i) {
      const Insn& in = insns_[i];
      auto offset = [&](int l) { return l == kNext ? 0 : labels_[l] - static_cast<int>(i) - 1; };
      if (in.code == (BPF_JMP | BPF_JA)) {
        out.push_back(sock_filter{in.code, 0, 0, static_cast<uint32_t>(offset(in.jt))});
        continue;
      }
      int jt = offset(in.jt), jf = offset(in.jf);
      if (jt < 0 || jt > 255 || jf < 0 || jf > 255)
        return make_error("seccomp: -ENOSYS stub jump out of range");
      out.push_back(sock_filter{in.code, static_cast<uint8_t>(jt), static_cast<uint8_t>(jf), in.k});
    }
    return out;
  }

 private:
  struct Insn {
    uint16_t code;
    uint32_t k;
    int jt, jf;  // labels; for BPF_JA the target is jt
  };
  std::vector<Insn> insns_;
  std::vector<int> labels_;
};

// The largest syscall number the profile names, per kernel AUDIT_ARCH; x86_64 keeps x32 apart
// because both share AUDIT_ARCH_X86_64 and differ by kX32SyscallBit.
struct LastSyscall {
  std::optional<uint32_t> native;
  std::optional<uint32_t> x32;
};

std::map<uint32_t, LastSyscall> last_syscalls(const Profile& profile,
                                              const std::set<uint32_t>& arches) {
  std::map<uint32_t, LastSyscall> out;
  for (uint32_t arch : arches) {
    std::optional<uint32_t> largest;
    for (const auto& rule : profile.syscalls)
      for (const auto& name : rule.names) {
        // Negative numbers are libseccomp's pseudo-syscalls (multiplexed socketcall/ipc).
        int nr = seccomp_syscall_resolve_name_arch(arch, name.c_str());
        if (nr >= 0 && (!largest || static_cast<uint32_t>(nr) > *largest))
          largest = static_cast<uint32_t>(nr);
      }
    if (!largest) continue;
    if (arch == SCMP_ARCH_X32)
      out[AUDIT_ARCH_X86_64].x32 = largest;
    else
      out[arch].native = largest;  // libseccomp's tokens are the AUDIT_ARCH values
  }
  return out;
}

// runc adds the stub only when the default action denies: an allowing default (ALLOW, LOG, or
// TRACE, whose tracer should handle new syscalls) already lets libc see the kernel's ENOSYS,
// and a default of ERRNO(ENOSYS) makes it moot.
bool wants_enosys_stub(const Profile& profile) {
  switch (profile.default_action) {
    case Action::Allow:
    case Action::Log:
    case Action::Trace:
      return false;
    default:
      break;
  }
  return !(profile.default_errno_ret &&
           *profile.default_errno_ret == static_cast<uint32_t>(ENOSYS));
}

// ld arch; jeq per arch → its section; else → filter. Each section: ld nr; nr > last → ENOSYS.
Result<std::vector<sock_filter>> enosys_stub(const std::map<uint32_t, LastSyscall>& last) {
  StubAsm a;
  int filter = a.label(), enosys = a.label();
  std::vector<int> sections;
  a.load(offsetof(seccomp_data, arch));
  for (const auto& [arch, _] : last) {
    sections.push_back(a.label());
    a.jump_if(BPF_JEQ, arch, sections.back(), StubAsm::kNext);
  }
  a.jump(filter);
  size_t i = 0;
  for (const auto& [arch, nr] : last) {
    a.bind(sections[i++]);
    a.load(offsetof(seccomp_data, nr));
    // s390 multiplexes large syscall numbers through syscall 0 (setup(2), long gone), and an
    // unknown number reaches the filter as 0.
    if (arch == AUDIT_ARCH_S390 || arch == AUDIT_ARCH_S390X)
      a.jump_if(BPF_JEQ, 0, enosys, StubAsm::kNext);
    if (arch != AUDIT_ARCH_X86_64) {
      a.jump_if(BPF_JGT, *nr.native, enosys, filter);
      continue;
    }
    int x32 = a.label();
    a.jump_if(BPF_JSET, kX32SyscallBit, nr.x32 ? x32 : filter, nr.native ? StubAsm::kNext : filter);
    if (nr.native) a.jump_if(BPF_JGT, *nr.native, enosys, filter);
    a.bind(x32);
    if (nr.x32) a.jump_if(BPF_JGT, *nr.x32, enosys, filter);
  }
  a.bind(enosys);
  a.ret(SECCOMP_RET_ERRNO | ENOSYS);
  a.bind(filter);
  return a.finish();
}

// --- flags -------------------------------------------------------------------------------------

Result<unsigned> filter_flags(const Profile& profile, bool needs_listener) {
  // runc: absent `flags` asks for SPEC_ALLOW when the kernel has it (no speculative store
  // bypass mitigation forced on the container, as with Docker); `[]` asks for none.
  if (!profile.flags)
    return linux::is_seccomp_flag_supported(SECCOMP_FILTER_FLAG_SPEC_ALLOW)
               ? unsigned{SECCOMP_FILTER_FLAG_SPEC_ALLOW}
               : 0u;
  unsigned flags = 0;
  for (size_t i = 0; i < profile.flags->size(); ++i) {
    unsigned bit = 0, probe = 0;
    switch ((*profile.flags)[i]) {
      // runc ignores TSYNC too: the child has one thread, and TSYNC|NEW_LISTENER is EINVAL.
      case Flag::Tsync:
        continue;
      case Flag::Log:
        bit = probe = SECCOMP_FILTER_FLAG_LOG;
        break;
      case Flag::SpecAllow:
        bit = probe = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
        break;
      // The kernel takes WAIT_KILLABLE_RECV only with NEW_LISTENER; without a listener it
      // changes nothing, so it is dropped rather than failing the load.
      case Flag::WaitKillableRecv:
        bit = needs_listener ? SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV : 0;
        probe = SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV | SECCOMP_FILTER_FLAG_NEW_LISTENER;
        break;
    }
    if (!linux::is_seccomp_flag_supported(probe))
      return make_error(index_path("flags", i) + ": `" +
                        std::string(flag_name((*profile.flags)[i])) +
                        "` is not supported by this kernel");
    flags |= bit;
  }
  return flags;
}

}  // namespace

Result<Filter> compile(const Profile& profile) {
  Filter out;
  for (const auto& rule : profile.syscalls)
    out.needs_listener |= rule.action == Action::Notify && !rule.names.empty();
  out.listener_path = profile.listener_path;
  out.listener_metadata = profile.listener_metadata;
  out.flags = NOOK_TRY(filter_flags(profile, out.needs_listener));

  // 1. A context with the default action and runc's attributes.
  uint32_t default_action = scmp_action(profile.default_action, profile.default_errno_ret);
  Ctx ctx(seccomp_init(default_action));
  if (!ctx) return make_error(std::string(kPath) + ": seccomp_init failed");
  // no_new_privs is the runtime's decision (process.noNewPrivileges), not libseccomp's.
  int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0);
  if (rc != 0) return scmp_error(rc, "seccomp: clear no_new_privs attribute");
  size_t syscall_count = 0;
  for (const auto& rule : profile.syscalls) syscall_count += rule.names.size();
  if (syscall_count > kBinaryTreeMinSyscalls) {
    rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2);
    if (rc != 0) return scmp_error(rc, "seccomp: enable binary tree optimization");
  }

  // 2. Architectures; the native one is always in the filter.
  std::set<uint32_t> arches = {seccomp_arch_native()};
  for (size_t i = 0; i < profile.architectures.size(); ++i) {
    uint32_t arch = scmp_arch(profile.architectures[i]);
    if (arch == 0)
      return make_error(index_path("architectures", i) + ": `" +
                        std::string(arch_name(profile.architectures[i])) +
                        "` is not supported by this libseccomp");
    rc = seccomp_arch_add(ctx.get(), arch);
    if (rc != 0 && rc != -EEXIST)
      return scmp_error(rc, index_path("architectures", i) + ": add `" +
                                std::string(arch_name(profile.architectures[i])) + "`");
    arches.insert(arch);
  }

  // 3. Rules. A rule with the default action is redundant (and libseccomp rejects it); a name
  // this libseccomp cannot resolve for the native arch is a syscall this kernel does not have.
  for (size_t i = 0; i < profile.syscalls.size(); ++i) {
    const SyscallRule& rule = profile.syscalls[i];
    uint32_t action = scmp_action(rule.action, rule.errno_ret);
    if (action == default_action) continue;
    for (const auto& name : rule.names) {
      int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR) continue;
      NOOK_TRY(add_rule(ctx.get(), action, nr, rule, index_path("syscalls", i), name));
    }
  }

  // 4. libseccomp's program, behind runc's -ENOSYS stub.
  std::vector<sock_filter> program = NOOK_TRY(export_bpf(ctx.get()));
  if (wants_enosys_stub(profile)) {
    auto last = last_syscalls(profile, arches);
    if (!last.empty()) out.program = NOOK_TRY(enosys_stub(last));
  }
  out.program.insert(out.program.end(), program.begin(), program.end());
  if (out.program.size() > BPF_MAXINSNS)
    return make_error(std::string(kPath) + ": the filter has " +
                      std::to_string(out.program.size()) + " instructions, over the kernel's " +
                      std::to_string(BPF_MAXINSNS));
  return out;
}

Result<std::optional<Filter>> compile_config(std::string_view seccomp_json) {
  auto profile = NOOK_TRY(parse_profile(seccomp_json));
  if (!profile) return std::optional<Filter>();
  return std::optional<Filter>(NOOK_TRY(compile(*profile)));
}

std::vector<Arch> supported_archs() {
  std::vector<Arch> out;
  for (int a = 0; a <= static_cast<int>(Arch::Loongarch64); ++a)
    if (scmp_arch(static_cast<Arch>(a)) != 0) out.push_back(static_cast<Arch>(a));
  return out;
}

std::vector<Flag> supported_flags() {
  std::vector<Flag> out;
  // TSYNC is accepted and dropped (the init is single-threaded), so it is always "supported".
  out.push_back(Flag::Tsync);
  if (linux::is_seccomp_flag_supported(SECCOMP_FILTER_FLAG_LOG)) out.push_back(Flag::Log);
  if (linux::is_seccomp_flag_supported(SECCOMP_FILTER_FLAG_SPEC_ALLOW))
    out.push_back(Flag::SpecAllow);
  // Linux 5.19; only meaningful with a listener, so probed with one.
  if (linux::is_seccomp_flag_supported(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV |
                                       SECCOMP_FILTER_FLAG_NEW_LISTENER))
    out.push_back(Flag::WaitKillableRecv);
  return out;
}

std::string libseccomp_version() {
  const scmp_version* v = seccomp_version();
  if (!v) return "";
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->micro);
}

}  // namespace nook::seccomp
