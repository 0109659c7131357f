// `linux.seccomp` JSON → seccomp::Profile, with the name tables for actions, operators,
// architectures and flags. Pure decoding and validation; the rules that need libseccomp or the
// kernel (syscall names, flag support) are checked by compile.cc. JSON null reads as absent,
// as with Go's encoding/json in runc.
#include "nook/seccomp/profile.h"

#include <array>
#include <utility>

#include "nook/json/decode.h"
#include "nook/json/json.h"

namespace nook::seccomp {
namespace {

using namespace json;  // the field-path decoders: expect(), field_error(), to_int(), ...

constexpr size_t kMaxListenerPath = 107;

template <typename E>
struct Name {
  E value;
  std::string_view name;
};

constexpr std::array<Name<Action>, 9> kActions = {{
    {Action::Kill, "SCMP_ACT_KILL"},
    {Action::KillProcess, "SCMP_ACT_KILL_PROCESS"},
    {Action::KillThread, "SCMP_ACT_KILL_THREAD"},
    {Action::Trap, "SCMP_ACT_TRAP"},
    {Action::Errno, "SCMP_ACT_ERRNO"},
    {Action::Trace, "SCMP_ACT_TRACE"},
    {Action::Allow, "SCMP_ACT_ALLOW"},
    {Action::Log, "SCMP_ACT_LOG"},
    {Action::Notify, "SCMP_ACT_NOTIFY"},
}};

constexpr std::array<Name<Op>, 7> kOps = {{
    {Op::NotEqual, "SCMP_CMP_NE"},
    {Op::LessThan, "SCMP_CMP_LT"},
    {Op::LessEqual, "SCMP_CMP_LE"},
    {Op::Equal, "SCMP_CMP_EQ"},
    {Op::GreaterEqual, "SCMP_CMP_GE"},
    {Op::GreaterThan, "SCMP_CMP_GT"},
    {Op::MaskedEqual, "SCMP_CMP_MASKED_EQ"},
}};

constexpr std::array<Name<Arch>, 20> kArchs = {{
    {Arch::X86, "SCMP_ARCH_X86"},
    {Arch::X86_64, "SCMP_ARCH_X86_64"},
    {Arch::X32, "SCMP_ARCH_X32"},
    {Arch::Arm, "SCMP_ARCH_ARM"},
    {Arch::Aarch64, "SCMP_ARCH_AARCH64"},
    {Arch::Mips, "SCMP_ARCH_MIPS"},
    {Arch::Mips64, "SCMP_ARCH_MIPS64"},
    {Arch::Mips64N32, "SCMP_ARCH_MIPS64N32"},
    {Arch::Mipsel, "SCMP_ARCH_MIPSEL"},
    {Arch::Mipsel64, "SCMP_ARCH_MIPSEL64"},
    {Arch::Mipsel64N32, "SCMP_ARCH_MIPSEL64N32"},
    {Arch::Ppc, "SCMP_ARCH_PPC"},
    {Arch::Ppc64, "SCMP_ARCH_PPC64"},
    {Arch::Ppc64le, "SCMP_ARCH_PPC64LE"},
    {Arch::S390, "SCMP_ARCH_S390"},
    {Arch::S390x, "SCMP_ARCH_S390X"},
    {Arch::Parisc, "SCMP_ARCH_PARISC"},
    {Arch::Parisc64, "SCMP_ARCH_PARISC64"},
    {Arch::Riscv64, "SCMP_ARCH_RISCV64"},
    {Arch::Loongarch64, "SCMP_ARCH_LOONGARCH64"},
}};

constexpr std::array<Name<Flag>, 4> kFlags = {{
    {Flag::Tsync, "SECCOMP_FILTER_FLAG_TSYNC"},
    {Flag::Log, "SECCOMP_FILTER_FLAG_LOG"},
    {Flag::SpecAllow, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},
    {Flag::WaitKillableRecv, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"},
}};

template <typename E, size_t N>
std::optional<E> from_name(const std::array<Name<E>, N>& table, std::string_view name) {
  for (const auto& n : table)
    if (n.name == name) return n.value;
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view to_name(const std::array<Name<E>, N>& table, E value) {
  for (const auto& n : table)
    if (n.value == value) return n.name;
  return "";
}

Result<std::string_view> read_string(Value v, std::string_view path) {
  NOOK_TRY(expect(v, Kind::String, path));
  return v.string();
}

// errnoRet is a uint in the spec, but the kernel keeps only 16 bits (SECCOMP_RET_DATA) and runc
// truncates silently; 65536 would become ERRNO(0), a syscall that "succeeds" without running.
Result<std::optional<uint32_t>> read_errno(Value obj, std::string_view key, std::string_view path) {
  Value v = obj.get(key);
  if (is_absent(v)) return std::optional<uint32_t>();
  std::string p = member_path(path, key);
  uint64_t n = NOOK_TRY(to_int<uint64_t>(v, p));
  if (n > 0xffff) return field_error(p, "expected 0 to 65535, got " + std::to_string(n));
  return std::optional<uint32_t>(static_cast<uint32_t>(n));
}

// An array member, absent → empty; each element checked by `each(element, path)`.
template <typename F>
Status for_each_element(Value obj, std::string_view key, std::string_view path, F&& each) {
  Value arr = obj.get(key);
  if (is_absent(arr)) return ok_status();
  std::string p = member_path(path, key);
  NOOK_TRY(expect(arr, Kind::Array, p));
  for (size_t i = 0; i < arr.size(); ++i) NOOK_TRY(each(arr.at(i), index_path(p, i)));
  return ok_status();
}

Result<Action> read_action(Value v, std::string_view path) {
  if (is_absent(v)) return field_error(path, "required");
  std::string_view s = NOOK_TRY(read_string(v, path));
  auto a = from_name(kActions, s);
  if (!a) return field_error(path, "unknown action `" + std::string(s) + "`");
  return *a;
}

Result<Arg> read_arg(Value v, std::string_view path) {
  NOOK_TRY(expect(v, Kind::Object, path));
  Arg arg;
  Value index = v.get("index");
  if (is_absent(index)) return field_error(member_path(path, "index"), "required");
  uint64_t i = NOOK_TRY(to_int<uint64_t>(index, member_path(path, "index")));
  // A syscall has at most six arguments (seccomp_data.args[6]).
  if (i > 5)
    return field_error(member_path(path, "index"), "expected 0 to 5, got " + std::to_string(i));
  arg.index = static_cast<uint32_t>(i);
  Value value = v.get("value");
  if (is_absent(value)) return field_error(member_path(path, "value"), "required");
  arg.value = NOOK_TRY(to_int<uint64_t>(value, member_path(path, "value")));
  Value two = v.get("valueTwo");
  if (!is_absent(two)) arg.value_two = NOOK_TRY(to_int<uint64_t>(two, member_path(path, "valueTwo")));
  std::string op_path = member_path(path, "op");
  Value op = v.get("op");
  if (is_absent(op)) return field_error(op_path, "required");
  std::string_view op_name = NOOK_TRY(read_string(op, op_path));
  auto o = from_name(kOps, op_name);
  if (!o) return field_error(op_path, "unknown operator `" + std::string(op_name) + "`");
  arg.op = *o;
  return arg;
}

Result<SyscallRule> read_rule(Value v, std::string_view path) {
  NOOK_TRY(expect(v, Kind::Object, path));
  SyscallRule rule;
  NOOK_TRY(for_each_element(v, "names", path, [&](Value name, const std::string& p) -> Status {
    std::string_view s = NOOK_TRY(read_string(name, p));
    if (s.empty()) return field_error(p, "empty syscall name");
    rule.names.emplace_back(s);
    return ok_status();
  }));
  rule.action = NOOK_TRY(read_action(v.get("action"), member_path(path, "action")));
  rule.errno_ret = NOOK_TRY(read_errno(v, "errnoRet", path));
  NOOK_TRY(for_each_element(v, "args", path, [&](Value arg, const std::string& p) -> Status {
    rule.args.push_back(NOOK_TRY(read_arg(arg, p)));
    return ok_status();
  }));
  // The listener fd reaches the runtime after the filter is loaded: nook's child sends it with
  // sendmsg(2), runc's reports it with write(2). Notifying either would block the child until an
  // agent answers, and the agent only gets the fd once they returned. runc refuses `write`;
  // refusing it too keeps a profile valid for both.
  if (rule.action == Action::Notify)
    for (const auto& name : rule.names)
      if (name == "write" || name == "sendmsg")
        return field_error(path, "SCMP_ACT_NOTIFY cannot be used for the `" + name + "` syscall");
  return rule;
}

}  // namespace

Result<std::optional<Profile>> parse_profile(std::string_view json_text) {
  constexpr std::string_view path = "linux.seccomp";
  if (json_text.empty()) return std::optional<Profile>();
  auto doc = json::Document::parse(json_text);
  if (!doc.ok()) return std::move(doc).error().wrap(path);
  Value root = doc->root();
  if (root.is_null()) return std::optional<Profile>();
  NOOK_TRY(expect(root, Kind::Object, path));

  // runc: no defaultAction and no syscalls means seccomp is not configured.
  Value default_action = root.get("defaultAction");
  Value syscalls = root.get("syscalls");
  bool no_syscalls = is_absent(syscalls) || (syscalls.is_array() && syscalls.size() == 0);
  if (is_absent(default_action) && no_syscalls) return std::optional<Profile>();

  Profile p;
  p.default_action = NOOK_TRY(read_action(default_action, member_path(path, "defaultAction")));
  // Notifying every unlisted syscall would include write(2), see read_rule().
  if (p.default_action == Action::Notify)
    return field_error(member_path(path, "defaultAction"),
                       "SCMP_ACT_NOTIFY cannot be the default action");
  p.default_errno_ret = NOOK_TRY(read_errno(root, "defaultErrnoRet", path));

  NOOK_TRY(
      for_each_element(root, "architectures", path, [&](Value v, const std::string& ep) -> Status {
        std::string_view s = NOOK_TRY(read_string(v, ep));
        auto a = from_name(kArchs, s);
        if (!a) return field_error(ep, "unknown architecture `" + std::string(s) + "`");
        p.architectures.push_back(*a);
        return ok_status();
      }));

  Value flags = root.get("flags");
  if (!is_absent(flags)) {
    p.flags.emplace();
    NOOK_TRY(for_each_element(root, "flags", path, [&](Value v, const std::string& ep) -> Status {
      std::string_view s = NOOK_TRY(read_string(v, ep));
      auto f = from_name(kFlags, s);
      if (!f) return field_error(ep, "unknown flag `" + std::string(s) + "`");
      p.flags->push_back(*f);
      return ok_status();
    }));
  }

  Value listener_path = root.get("listenerPath");
  if (!is_absent(listener_path))
    p.listener_path = NOOK_TRY(read_string(listener_path, member_path(path, "listenerPath")));
  // sockaddr_un.sun_path holds 107 bytes and a NUL.
  if (p.listener_path.size() > kMaxListenerPath)
    return field_error(member_path(path, "listenerPath"),
                       "longer than " + std::to_string(kMaxListenerPath) + " bytes");
  Value metadata = root.get("listenerMetadata");
  if (!is_absent(metadata))
    p.listener_metadata = NOOK_TRY(read_string(metadata, member_path(path, "listenerMetadata")));
  // runtime-spec: listenerMetadata "MUST NOT be set if listenerPath is not set".
  if (!p.listener_metadata.empty() && p.listener_path.empty())
    return field_error(member_path(path, "listenerMetadata"), "set without listenerPath");

  NOOK_TRY(for_each_element(root, "syscalls", path, [&](Value v, const std::string& ep) -> Status {
    p.syscalls.push_back(NOOK_TRY(read_rule(v, ep)));
    return ok_status();
  }));
  // Where the listener fd goes; runc only finds out at create time, after the filter is loaded.
  for (size_t i = 0; i < p.syscalls.size(); ++i)
    if (p.syscalls[i].action == Action::Notify && !p.syscalls[i].names.empty() &&
        p.listener_path.empty())
      return field_error(
          member_path(path, "listenerPath"),
          "required by the SCMP_ACT_NOTIFY rule in syscalls[" + std::to_string(i) + "]");
  return std::optional<Profile>(std::move(p));
}

std::string_view action_name(Action a) {
  return to_name(kActions, a);
}
std::string_view arch_name(Arch a) {
  return to_name(kArchs, a);
}
std::string_view flag_name(Flag f) {
  return to_name(kFlags, f);
}

}  // namespace nook::seccomp
