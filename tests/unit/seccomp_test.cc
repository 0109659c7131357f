// Tests of src/seccomp and src/linux/seccomp_load: `linux.seccomp` parsing and its errors, the
// compiler's runc behaviours, and filters actually loaded in forked children (no root needed:
// the child sets no_new_privs first). The shipped profiles are also timed: they are compiled on
// every create that uses them without the cache.
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>

#include "nook/linux/seccomp_load.h"
#include "nook/seccomp/agent.h"
#include "nook/seccomp/cache.h"
#include "nook/seccomp/compile.h"
#include "nook/seccomp/profile.h"

namespace nook::seccomp {
namespace {

// A profile nook ships, as installed from seccomp-profiles/.
std::string read_profile(const std::string& name) {
  std::ifstream in(std::string(NOOK_SOURCE_DIR) + "/seccomp-profiles/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Profile parse_ok(std::string_view text) {
  auto p = parse_profile(text);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().text());
  if (!p.ok() || !p->has_value()) {
    ADD_FAILURE() << "no profile";
    return Profile{};
  }
  return std::move(**p);
}

std::string parse_error(std::string_view text) {
  auto p = parse_profile(text);
  EXPECT_FALSE(p.ok());
  return p.ok() ? "" : p.error().text();
}

Filter compile_ok(std::string_view text) {
  auto f = compile(parse_ok(text));
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().text());
  return f.ok() ? std::move(f).value() : Filter{};
}

// A raw syscall's result as the kernel gave it: the value, or -errno.
long sys(long nr, long a = 0, long b = 0, long c = 0) {
  long r = syscall(nr, a, b, c);
  return r < 0 ? -errno : r;
}

constexpr size_t kMaxResults = 16;
using Results = std::array<long, kMaxResults>;

// Forks; the child sets no_new_privs, loads `filter` (plus `extra_flags`), runs `body` and sends
// its results back over a pipe. The body only makes raw syscalls: the filter is in force.
Results run_filtered(const Filter& filter, const std::function<void(Results&)>& body,
                     unsigned extra_flags = 0) {
  Results out{};
  int p[2];
  EXPECT_EQ(pipe2(p, O_CLOEXEC), 0);
  pid_t pid = fork();
  if (pid == 0) {
    Results r{};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(2);
    int rc = linux::load_seccomp(filter.program.data(), filter.program.size(),
                                 filter.flags | extra_flags);
    if (rc < 0) {
      r[0] = rc;
      (void)!write(p[1], r.data(), sizeof(r));
      _exit(3);
    }
    body(r);
    (void)!write(p[1], r.data(), sizeof(r));
    // Not _exit(): a sanitizer's interceptor would make syscalls the filter may deny.
    syscall(SYS_exit_group, 0);
  }
  close(p[1]);
  EXPECT_EQ(read(p[0], out.data(), sizeof(out)), static_cast<ssize_t>(sizeof(out)));
  close(p[0]);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "child status " << status << ", load_seccomp " << out[0];
  return out;
}

// --- parsing ------------------------------------------------------------------------------------

TEST(SeccompProfile, ParsesEveryField) {
  Profile p = parse_ok(R"({
    "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"],
    "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_TSYNC"],
    "listenerPath": "/run/agent.sock", "listenerMetadata": "meta",
    "syscalls": [
      {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]},
      {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
      {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 30}
    ]})");
  EXPECT_EQ(p.default_action, Action::Errno);
  EXPECT_EQ(p.default_errno_ret, 38u);
  EXPECT_EQ(p.architectures, (std::vector<Arch>{Arch::X86_64, Arch::Aarch64}));
  ASSERT_TRUE(p.flags);
  EXPECT_EQ(*p.flags, (std::vector<Flag>{Flag::Log, Flag::Tsync}));
  EXPECT_EQ(p.listener_path, "/run/agent.sock");
  EXPECT_EQ(p.listener_metadata, "meta");
  ASSERT_EQ(p.syscalls.size(), 4u);
  EXPECT_EQ(p.syscalls[0].names, (std::vector<std::string>{"read", "write"}));
  EXPECT_FALSE(p.syscalls[0].errno_ret);
  ASSERT_EQ(p.syscalls[1].args.size(), 1u);
  EXPECT_EQ(p.syscalls[1].args[0].value, 0xffffffffu);
  EXPECT_EQ(p.syscalls[1].args[0].op, Op::Equal);
  EXPECT_EQ(p.syscalls[2].args[0].op, Op::MaskedEqual);
  EXPECT_EQ(p.syscalls[3].action, Action::Errno);
  EXPECT_EQ(p.syscalls[3].errno_ret, 30u);
}

TEST(SeccompProfile, EveryActionOperatorArchAndFlagNameRoundTrips) {
  for (auto a : {Action::Kill, Action::KillProcess, Action::KillThread, Action::Trap, Action::Errno,
                 Action::Trace, Action::Allow, Action::Log, Action::Notify}) {
    if (a == Action::Notify) continue;  // refused as a default, see below
    Profile p = parse_ok(R"({"defaultAction": ")" + std::string(action_name(a)) + R"("})");
    EXPECT_EQ(p.default_action, a);
  }
  Profile p = parse_ok(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"],
    "action": "SCMP_ACT_LOG", "args": [
      {"index": 0, "value": 1, "op": "SCMP_CMP_NE"}, {"index": 1, "value": 1, "op": "SCMP_CMP_LT"},
      {"index": 2, "value": 1, "op": "SCMP_CMP_LE"}, {"index": 3, "value": 1, "op": "SCMP_CMP_EQ"},
      {"index": 4, "value": 1, "op": "SCMP_CMP_GE"}, {"index": 5, "value": 1, "op": "SCMP_CMP_GT"},
      {"index": 5, "value": 1, "op": "SCMP_CMP_MASKED_EQ"}]}]})");
  std::vector<Op> ops;
  for (const auto& a : p.syscalls[0].args) ops.push_back(a.op);
  EXPECT_EQ(ops, (std::vector<Op>{Op::NotEqual, Op::LessThan, Op::LessEqual, Op::Equal,
                                  Op::GreaterEqual, Op::GreaterThan, Op::MaskedEqual}));
  EXPECT_EQ(arch_name(Arch::Mipsel64N32), "SCMP_ARCH_MIPSEL64N32");
  EXPECT_EQ(flag_name(Flag::WaitKillableRecv), "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
}

TEST(SeccompProfile, NoDefaultActionAndNoSyscallsMeansNoFilter) {
  for (const char* text :
       {"", "null", "{}", R"({"syscalls": []})", R"({"architectures": ["SCMP_ARCH_X86"]})"}) {
    auto p = parse_profile(text);
    ASSERT_TRUE(p.ok()) << text << ": " << p.error().text();
    EXPECT_FALSE(p->has_value()) << text;
  }
}

TEST(SeccompProfile, AbsentFlagsDifferFromEmptyFlags) {
  EXPECT_FALSE(parse_ok(R"({"defaultAction": "SCMP_ACT_ALLOW"})").flags);
  EXPECT_FALSE(parse_ok(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": null})").flags);
  auto empty = parse_ok(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": []})").flags;
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(SeccompProfile, ErrorsNameTheFieldPath) {
  const std::string rules = R"("syscalls": [{"names": ["a"], "action": "SCMP_ACT_ALLOW"},)";
  EXPECT_EQ(
      parse_error(
          R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["b"], "action": "SCMP_ACT_ALLOW"}, {"names": ["c"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["d"], "action": "SCMP_ACT_FOO"}]})"),
      "linux.seccomp.syscalls[3].action: unknown action `SCMP_ACT_FOO`");
  EXPECT_EQ(
      parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_Z80"]})"),
      "linux.seccomp.architectures[0]: unknown architecture `SCMP_ARCH_Z80`");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", )" + rules +
                        R"({"names": ["b"], "action": "SCMP_ACT_ALLOW",
                            "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_ABOUT"}]}]})"),
            "linux.seccomp.syscalls[1].args[0].op: unknown operator `SCMP_CMP_ABOUT`");
  EXPECT_EQ(
      parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_FAST"]})"),
      "linux.seccomp.flags[0]: unknown flag `SECCOMP_FILTER_FLAG_FAST`");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_NOPE"})"),
            "linux.seccomp.defaultAction: unknown action `SCMP_ACT_NOPE`");
  EXPECT_EQ(parse_error(R"({"syscalls": [{"names": ["a"], "action": "SCMP_ACT_ALLOW"}]})"),
            "linux.seccomp.defaultAction: required");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"]}]})"),
            "linux.seccomp.syscalls[0].action: required");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"],
      "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]})"),
            "linux.seccomp.syscalls[0].args[0].index: expected 0 to 5, got 6");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"],
      "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "op": "SCMP_CMP_EQ"}]}]})"),
            "linux.seccomp.syscalls[0].args[0].value: required");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"],
      "action": "SCMP_ACT_ERRNO", "errnoRet": 65536}]})"),
            "linux.seccomp.syscalls[0].errnoRet: expected 0 to 65535, got 65536");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": -1})"),
            "linux.seccomp.defaultErrnoRet: expected uint64, got `-1`");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": "read",
      "action": "SCMP_ACT_ERRNO"}]})"),
            "linux.seccomp.syscalls[0].names: expected array, got string");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [""],
      "action": "SCMP_ACT_ERRNO"}]})"),
            "linux.seccomp.syscalls[0].names[0]: empty syscall name");
  EXPECT_EQ(parse_error(R"({"defaultAction": 1})"),
            "linux.seccomp.defaultAction: expected string, got number");
  EXPECT_EQ(parse_error(R"([])"), "linux.seccomp: expected object, got array");
}

TEST(SeccompProfile, NotifyIsRefusedAsDefaultAndForTheSyscallsThatHandOverTheListener) {
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_NOTIFY"})"),
            "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/a", "syscalls": [
      {"names": ["read", "write"], "action": "SCMP_ACT_NOTIFY"}]})"),
            "linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for the `write` syscall");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/a", "syscalls": [
      {"names": ["sendmsg"], "action": "SCMP_ACT_NOTIFY"}]})"),
            "linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for the `sendmsg` syscall");
}

TEST(SeccompProfile, ListenerFieldsAreChecked) {
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]})"),
            "linux.seccomp.listenerPath: required by the SCMP_ACT_NOTIFY rule in syscalls[1]");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "m"})"),
            "linux.seccomp.listenerMetadata: set without listenerPath");
  EXPECT_EQ(parse_error(R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": ")" +
                        std::string(108, 'a') + R"("})"),
            "linux.seccomp.listenerPath: longer than 107 bytes");
  // Without a notifying rule the path is ignored, as the spec says.
  EXPECT_EQ(parse_ok(R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/x"})").listener_path,
            "/x");
}

// --- compiling ----------------------------------------------------------------------------------

constexpr const char* kSmall = R"({
  "defaultAction": "SCMP_ACT_ERRNO",
  "syscalls": [
    {"names": ["write", "exit_group", "exit", "getpid", "nook_not_a_syscall"], "action": "SCMP_ACT_ALLOW"},
    {"names": ["mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 30},
    {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
     "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]}
  ]})";

TEST(SeccompCompile, CompilesASmallProfile) {
  Filter f = compile_ok(kSmall);
  EXPECT_GT(f.program.size(), 5u);
  EXPECT_LE(f.program.size(), static_cast<size_t>(BPF_MAXINSNS));
  EXPECT_FALSE(f.needs_listener);
  // Absent flags: runc's default of SPEC_ALLOW when the kernel has it.
  unsigned spec_allow = linux::is_seccomp_flag_supported(SECCOMP_FILTER_FLAG_SPEC_ALLOW)
                            ? SECCOMP_FILTER_FLAG_SPEC_ALLOW
                            : 0;
  EXPECT_EQ(f.flags, spec_allow);
  // Every program ends in a return.
  EXPECT_EQ(BPF_CLASS(f.program.back().code), BPF_RET);
}

TEST(SeccompCompile, ExplicitFlagsAreKeptAndTsyncIsDropped) {
  EXPECT_EQ(compile_ok(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": []})").flags, 0u);
  EXPECT_EQ(compile_ok(R"({"defaultAction": "SCMP_ACT_ALLOW",
                           "flags": ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG"]})")
                .flags,
            unsigned{SECCOMP_FILTER_FLAG_LOG});
  // Without a listener WAIT_KILLABLE_RECV would make the load fail with EINVAL.
  if (linux::is_seccomp_flag_supported((1u << 5) | SECCOMP_FILTER_FLAG_NEW_LISTENER)) {
    EXPECT_EQ(compile_ok(R"({"defaultAction": "SCMP_ACT_ALLOW",
                             "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]})")
                  .flags,
              0u);
  }
}

TEST(SeccompCompile, NotifySetsNeedsListenerButNotTheFlag) {
  Filter f = compile_ok(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": [],
      "listenerPath": "/run/agent.sock",
      "syscalls": [{"names": ["mkdirat"], "action": "SCMP_ACT_NOTIFY"}]})");
  EXPECT_TRUE(f.needs_listener);
  EXPECT_EQ(f.listener_path, "/run/agent.sock");
  EXPECT_EQ(f.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER, 0u);
  // The loader adds NEW_LISTENER and gets the listener fd back.
  Results r = run_filtered(
      f, [](Results&) {}, SECCOMP_FILTER_FLAG_NEW_LISTENER);
  (void)r;
}

TEST(SeccompCompile, RuleWithTheDefaultActionIsSkipped) {
  // libseccomp refuses a rule whose action is the default one; runc drops it silently.
  Filter f = compile_ok(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["getpid"], "action": "SCMP_ACT_ERRNO"},
      {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
      {"names": ["write", "exit_group"], "action": "SCMP_ACT_ALLOW"}]})");
  Results r = run_filtered(f, [](Results& r) { r[0] = sys(SYS_getpid); });
  EXPECT_EQ(r[0], -EPERM);
}

TEST(SeccompCompile, UnknownArchitectureForThisLibseccompIsAnError) {
  const scmp_version* v = seccomp_version();
  if (v->major > 2 || (v->major == 2 && v->minor >= 6))
    GTEST_SKIP() << "libseccomp knows loongarch64";
  auto f = compile(parse_ok(R"({"defaultAction": "SCMP_ACT_ALLOW",
      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_LOONGARCH64"]})"));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().text(),
            "linux.seccomp.architectures[1]: `SCMP_ARCH_LOONGARCH64` is not supported by this "
            "libseccomp");
}

TEST(SeccompCompile, FilterOverTheKernelLimitIsRejected) {
  std::string rules;
  for (int i = 0; i < 5000; ++i)
    rules += std::string(i ? "," : "") + R"({"names": ["personality"], "action": "SCMP_ACT_ALLOW",
        "args": [{"index": 0, "value": )" +
             std::to_string(i) + R"(, "op": "SCMP_CMP_EQ"}]})";
  auto f = compile(parse_ok(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [)" + rules + "]}"));
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().text().find("over the kernel's 4096"), std::string::npos) << f.error().text();
}

TEST(SeccompCompile, CompileConfigTreatsAbsentSeccompAsNoFilter) {
  auto none = compile_config("");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto some = compile_config(kSmall);
  ASSERT_TRUE(some.ok()) << some.error().text();
  EXPECT_TRUE(some->has_value());
  auto bad = compile_config(R"({"defaultAction": "SCMP_ACT_BOGUS"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().text(), "linux.seccomp.defaultAction: unknown action `SCMP_ACT_BOGUS`");
}

// --- loading ------------------------------------------------------------------------------------

TEST(SeccompLoad, LoadedFilterAllowsDeniesAndChecksArguments) {
  Filter f = compile_ok(kSmall);
  pid_t parent = getpid();
  Results r = run_filtered(f, [](Results& r) {
    r[0] = sys(SYS_getpid);
    r[1] = sys(SYS_mkdirat, AT_FDCWD, reinterpret_cast<long>("/nonexistent/nook"), 0755);
    r[2] = sys(SYS_personality, 0xffffffffL);  // query: allowed by the argument rule
    r[3] = sys(SYS_personality, 0);            // any other persona: the default EPERM
    r[4] = sys(SYS_read, -1, 0, 0);            // unlisted, below the last listed syscall
    r[5] = sys(SYS_pidfd_open, 0, 0);          // newer than any listed syscall: ENOSYS stub
    r[6] = sys(1000);                          // no such syscall at all
  });
  EXPECT_GT(r[0], 0);
  EXPECT_NE(r[0], parent);
  EXPECT_EQ(r[1], -30);
  EXPECT_GE(r[2], 0);
  EXPECT_EQ(r[3], -EPERM);
  EXPECT_EQ(r[4], -EPERM);
  EXPECT_EQ(r[5], -ENOSYS);
  EXPECT_EQ(r[6], -ENOSYS);
}

TEST(SeccompLoad, ArgumentsOnDistinctIndexesAreAndedAndOnTheSameIndexOred) {
  Filter f = compile_ok(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 18, "args": [
        {"index": 0, "value": 0, "op": "SCMP_CMP_EQ"},
        {"index": 1, "value": 12345, "op": "SCMP_CMP_EQ"}]},
      {"names": ["umask"], "action": "SCMP_ACT_ERRNO", "errnoRet": 18, "args": [
        {"index": 0, "value": 7, "op": "SCMP_CMP_EQ"},
        {"index": 0, "value": 63, "op": "SCMP_CMP_EQ"}]}]})");
  Results r = run_filtered(f, [](Results& r) {
    r[0] = sys(SYS_getpriority, PRIO_PROCESS, 12345);
    r[1] = sys(SYS_getpriority, PRIO_PROCESS, 0);
    r[2] = sys(SYS_getpriority, PRIO_PGRP, 12345);
    r[3] = sys(SYS_umask, 07);
    r[4] = sys(SYS_umask, 077);
    r[5] = sys(SYS_umask, 022);
  });
  EXPECT_EQ(r[0], -EXDEV);
  EXPECT_GE(r[1], 0);
  EXPECT_NE(r[2], -EXDEV);
  // runc splits same-index conditions into separate rules, so either value matches.
  EXPECT_EQ(r[3], -EXDEV);
  EXPECT_EQ(r[4], -EXDEV);
  EXPECT_GE(r[5], 0);
}

TEST(SeccompLoad, DefaultAllowGetsNoEnosysStub) {
  Filter f = compile_ok(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 18}]})");
  Results r = run_filtered(f, [](Results& r) {
    r[0] = sys(SYS_getpid);
    r[1] = sys(SYS_getppid);  // above getpid on every arch, and allowed
  });
  EXPECT_EQ(r[0], -EXDEV);
  EXPECT_GT(r[1], 0);
}

TEST(SeccompLoad, WithoutNoNewPrivsAnUnprivilegedLoadIsRefused) {
  Filter f = compile_ok(kSmall);
  pid_t pid = fork();
  if (pid == 0) {
    // As root, becoming nobody clears every capability, CAP_SYS_ADMIN included.
    if (geteuid() == 0 && setresuid(65534, 65534, 65534) != 0) _exit(100);
    _exit(-linux::load_seccomp(f.program.data(), f.program.size(), f.flags));
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_EQ(WEXITSTATUS(status), EACCES);
}

TEST(SeccompLoad, RejectsAnEmptyProgramWithoutCallingTheKernel) {
  EXPECT_EQ(linux::load_seccomp(nullptr, 0, 0), -EINVAL);
}

// --- the shipped profiles ------------------------------------------------------------------------

// Parses and compiles a shipped profile, timing it: it is compiled on every create that uses
// it (without the cache).
Filter compile_shipped(const std::string& name, const std::string& text) {
  constexpr int kRuns = 20;
  auto start = std::chrono::steady_clock::now();
  Filter f;
  for (int i = 0; i < kRuns; ++i) {
    auto c = compile_config(text);
    EXPECT_TRUE(c.ok()) << name << ": " << (c.ok() ? "" : c.error().text());
    if (!c.ok() || !c->has_value()) return Filter{};
    f = std::move(**c);
  }
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count() /
            kRuns;
  std::cout << "[ seccomp ] " << name << ": parse+compile " << us << " us, " << f.program.size()
            << " instructions\n";
  EXPECT_LT(us, 200000) << name << " is compiled on create's path";
  return f;
}

TEST(SeccompShippedProfiles, DefaultCompilesAndBehavesLikeContainerds) {
  Profile p = parse_ok(read_profile("default.json"));
  EXPECT_GT(p.syscalls[0].names.size(), 300u);
  Filter f = compile_shipped("default.json", read_profile("default.json"));
  Results r = run_filtered(f, [](Results& r) {
    r[0] = sys(SYS_getpid);
    r[1] = sys(SYS_personality, 0xffffffffL);
    r[2] = sys(SYS_personality, 0x1234);
    r[3] = sys(SYS_clone3, 0, 0);                   // errnoRet 38 so libc falls back to clone
    r[4] = sys(SYS_ptrace, PTRACE_PEEKDATA, 1, 0);  // allowed: the kernel says ESRCH
    r[5] = sys(SYS_socket, AF_VSOCK, SOCK_STREAM, 0);
    long s = sys(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    r[6] = s;
    if (s >= 0) close(static_cast<int>(s));
    r[7] = sys(SYS_kexec_load, 0, 0, 0);  // unlisted
    r[8] = sys(1000);                     // beyond the profile: ENOSYS stub
    r[9] = sys(SYS_unshare, CLONE_NEWUSER);
    r[10] = sys(SYS_bpf, 0, 0, 0);
  });
  EXPECT_GT(r[0], 0);
  EXPECT_GE(r[1], 0);
  EXPECT_EQ(r[2], -EPERM);
  EXPECT_EQ(r[3], -ENOSYS);
  EXPECT_EQ(r[4], -ESRCH);
  EXPECT_EQ(r[5], -EPERM);
  EXPECT_GE(r[6], 0);
  EXPECT_EQ(r[7], -EPERM);
  EXPECT_EQ(r[8], -ENOSYS);
  EXPECT_EQ(r[9], -EPERM);  // CAP_SYS_ADMIN-only in containerd's profile
  EXPECT_EQ(r[10], -EPERM);
}

TEST(SeccompShippedProfiles, AgentIsBuiltInAsShipped) {
  EXPECT_EQ(agent_profile_json(),
            read_profile("agent.json").substr(0, agent_profile_json().size()));
  EXPECT_EQ(agent_profile_json().size() + 1, read_profile("agent.json").size());  // its newline
}

TEST(SeccompShippedProfiles, AgentDeniesWhatTheReadmeSays) {
  Filter f = compile_shipped("agent.json", read_profile("agent.json"));
  // Native architecture only, no speculation opt-out.
  EXPECT_EQ(f.flags, 0u);
  char dir[] = "/tmp/nook-agent-mknod-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string fifo = std::string(dir) + "/fifo", chr = std::string(dir) + "/chr";
  Results r = run_filtered(f, [&](Results& r) {
    r[0] = sys(SYS_getpid);
    r[1] = sys(SYS_ptrace, PTRACE_PEEKDATA, 1, 0);
    r[2] = sys(SYS_bpf, 0, 0, 0);
    r[3] = sys(SYS_io_uring_setup, 0, 0);
    r[4] = sys(SYS_keyctl, 0, -3, 0);
    r[5] = sys(SYS_unshare, CLONE_NEWUSER);
    r[6] = sys(SYS_personality, 0x0040000);  // ADDR_NO_RANDOMIZE
    r[7] = sys(SYS_personality, 0xffffffffL);
    r[8] = sys(SYS_socket, 38 /* AF_ALG */, SOCK_SEQPACKET, 0);
    long s = sys(SYS_socket, AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    r[9] = s;
    if (s >= 0) close(static_cast<int>(s));
    r[10] = syscall(SYS_mknodat, AT_FDCWD, fifo.c_str(), S_IFIFO | 0600, 0) < 0 ? -errno : 0;
    r[11] =
        syscall(SYS_mknodat, AT_FDCWD, chr.c_str(), S_IFCHR | 0600, makedev(1, 3)) < 0 ? -errno : 0;
    r[12] = sys(SYS_clone3, 0, 0);
    r[13] = sys(SYS_mount, 0, 0, 0);
    r[14] = sys(SYS_perf_event_open, 0, 0, -1);
    r[15] = sys(SYS_userfaultfd, 1);
  });
  EXPECT_GT(r[0], 0);
  EXPECT_EQ(r[1], -EPERM);
  EXPECT_EQ(r[2], -EPERM);
  EXPECT_EQ(r[3], -ENOSYS);  // so that io_uring users fall back to epoll
  EXPECT_EQ(r[4], -EPERM);
  EXPECT_EQ(r[5], -EPERM);
  EXPECT_EQ(r[6], -EPERM);
  EXPECT_GE(r[7], 0);
  EXPECT_EQ(r[8], -EPERM);
  EXPECT_GE(r[9], 0);
  EXPECT_EQ(r[10], 0);
  EXPECT_EQ(r[11], -EPERM);  // the filter, even for root (the test may run as root)
  EXPECT_EQ(r[12], -ENOSYS);
  EXPECT_EQ(r[13], -EPERM);
  EXPECT_EQ(r[14], -EPERM);
  EXPECT_EQ(r[15], -EPERM);
  unlink(fifo.c_str());
  unlink(chr.c_str());
  rmdir(dir);
}

TEST(SeccompCache, KeyDependsOnProfileAndEnvironment) {
  auto a = cache_key(R"({"defaultAction":"SCMP_ACT_ALLOW"})", "2.5.4/6.18/0.1.0");
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a, cache_key(R"({"defaultAction":"SCMP_ACT_ALLOW"})", "2.5.4/6.18/0.1.0"));
  EXPECT_NE(a, cache_key(R"({"defaultAction":"SCMP_ACT_LOG"})", "2.5.4/6.18/0.1.0"));
  EXPECT_NE(a, cache_key(R"({"defaultAction":"SCMP_ACT_ALLOW"})", "2.5.4/6.19/0.1.0"));
}

TEST(SeccompCache, SecondCompileComesFromTheCacheAndIsIdentical) {
  char tmpl[] = "/tmp/nook-seccomp-cache-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = std::string(tmpl) + "/cache";
  const char* profile = R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]})";
  auto first = compile_config_cached(profile, dir);
  ASSERT_TRUE(first.ok()) << first.error().text();
  ASSERT_TRUE(first->has_value());
  // One file appeared; the second answer must be byte-for-byte the same program.
  auto second = compile_config_cached(profile, dir);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->has_value());
  ASSERT_EQ((*first)->program.size(), (*second)->program.size());
  EXPECT_EQ(0, memcmp((*first)->program.data(), (*second)->program.data(),
                      (*first)->program.size() * sizeof(sock_filter)));
  EXPECT_EQ((*first)->flags, (*second)->flags);
  // The listener's address is not in the cached program: it comes from the profile each time.
  const char* notify = R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/a.sock",
      "listenerMetadata":"m","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]})";
  ASSERT_TRUE(compile_config_cached(notify, dir).ok());
  auto hit = compile_config_cached(notify, dir);
  ASSERT_TRUE(hit.ok() && hit->has_value());
  EXPECT_TRUE((*hit)->needs_listener);
  EXPECT_EQ((*hit)->listener_path, "/run/a.sock");
  EXPECT_EQ((*hit)->listener_metadata, "m");
  // A malformed profile is still reported, cache or not.
  EXPECT_FALSE(compile_config_cached(R"({"defaultAction":"SCMP_ACT_NOPE"})", dir).ok());
  std::string rm = std::string("rm -rf ") + tmpl;
  ASSERT_EQ(system(rm.c_str()), 0);
}

}  // namespace
}  // namespace nook::seccomp
