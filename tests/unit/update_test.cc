// Unit tests of `update`'s input: runc's size syntax (go-units RAMInBytes), flags → Resources
// with errors naming the flag, the --resources fields runc's update keeps and those it drops,
// flags over JSON, and that the resulting plan never rewrites device rules. No root needed.
#include <gtest/gtest.h>

#include <algorithm>

#include "nook/runtime/update_resources.h"

namespace nook::runtime {
namespace {

constexpr int64_t kKiB = 1024, kMiB = 1024 * kKiB, kGiB = 1024 * kMiB;

int64_t size_of(std::string_view text) {
  auto r = parse_memory_size(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error().text();
  return r.ok() ? *r : -2;
}

std::string size_error(std::string_view text) {
  auto r = parse_memory_size(text);
  return r.ok() ? "parsed " + std::to_string(*r) : r.error().text();
}

UpdatePlan planned(const UpdateFlags& f, std::string_view json = "") {
  auto r = update_resources(json, f);
  EXPECT_TRUE(r.ok()) << r.error().text();
  return r.ok() ? *r : UpdatePlan{};
}

std::string plan_error(const UpdateFlags& f, std::string_view json = "") {
  auto r = update_resources(json, f);
  return r.ok() ? "planned" : r.error().text();
}

TEST(MemorySize, PlainBytesAndMinusOneForUnlimited) {
  EXPECT_EQ(size_of("4096"), 4096);
  EXPECT_EQ(size_of("0"), 0);
  EXPECT_EQ(size_of("-1"), -1);
}

TEST(MemorySize, UnitsArePowersOf1024InAnyCase) {
  EXPECT_EQ(size_of("64m"), 64 * kMiB);
  EXPECT_EQ(size_of("64M"), 64 * kMiB);
  EXPECT_EQ(size_of("1g"), kGiB);
  EXPECT_EQ(size_of("4096k"), 4096 * kKiB);
  EXPECT_EQ(size_of("2t"), 2 * 1024 * kGiB);
  EXPECT_EQ(size_of("10p"), 10 * 1024 * 1024 * kGiB);
}

TEST(MemorySize, OptionalSpaceIAndBAsGoUnits) {
  EXPECT_EQ(size_of("10 MiB"), 10 * kMiB);
  EXPECT_EQ(size_of("10mib"), 10 * kMiB);
  EXPECT_EQ(size_of("10KB"), 10 * kKiB);
  EXPECT_EQ(size_of("10B"), 10);
  EXPECT_EQ(size_of("10ib"), 10);
  EXPECT_EQ(size_of("10 "), 10);
}

TEST(MemorySize, FractionsTruncateLikeGo) {
  EXPECT_EQ(size_of("1.5g"), 3 * kGiB / 2);
  EXPECT_EQ(size_of("0.1k"), 102);  // 102.4
}

TEST(MemorySize, RejectsWhatGoUnitsRejects) {
  for (const char* bad : {"", "10x", "-5", " 20m", "10.", ".5", "1e3", "1.5.3", "10  m", "10mbb",
                          "-1m", "m", "0x10"}) {
    EXPECT_EQ(size_error(bad), "invalid size `" + std::string(bad) + "`") << bad;
  }
}

TEST(MemorySize, RefusesSizesPastInt64) {
  EXPECT_EQ(size_error("9223372036854775807"), "size `9223372036854775807` is too large");
  EXPECT_EQ(size_error("99999999999p"), "size `99999999999p` is too large");
}

TEST(UpdateFlags, NoFlagsChangeNothing) {
  UpdatePlan p = planned({});
  EXPECT_EQ(p.resources.memory.limit, 0);
  EXPECT_EQ(p.resources.cpu.shares, 0u);
  EXPECT_FALSE(p.resources.pids_limit);
  EXPECT_FALSE(p.kernel_memory_ignored);
  EXPECT_TRUE(p.resources.skip_devices);
}

TEST(UpdateFlags, EachFlagSetsItsField) {
  UpdateFlags f;
  f.blkio_weight = "500";
  f.cpu_period = "100000";
  f.cpu_quota = "20000";
  f.cpu_burst = "0";
  f.cpu_share = "512";
  f.cpu_idle = "1";
  f.cpu_rt_period = "1000000";
  f.cpu_rt_runtime = "-1";
  f.cpuset_cpus = "0-1";
  f.cpuset_mems = "0";
  f.memory = "64m";
  f.memory_reservation = "32m";
  f.memory_swap = "128m";
  f.pids_limit = "50";
  const cgroup::Resources r = planned(f).resources;
  EXPECT_EQ(r.block_io.weight, 500);
  EXPECT_EQ(r.cpu.period, 100000u);
  EXPECT_EQ(r.cpu.quota, 20000);
  EXPECT_EQ(r.cpu.burst, std::optional<uint64_t>(0));
  EXPECT_EQ(r.cpu.shares, 512u);
  EXPECT_EQ(r.cpu.idle, std::optional<int64_t>(1));
  EXPECT_EQ(r.cpu.realtime_period, 1000000u);
  EXPECT_EQ(r.cpu.realtime_runtime, -1);
  EXPECT_EQ(r.cpu.cpus, "0-1");
  EXPECT_EQ(r.cpu.mems, "0");
  EXPECT_EQ(r.memory.limit, 64 * kMiB);
  EXPECT_EQ(r.memory.reservation, 32 * kMiB);
  EXPECT_EQ(r.memory.swap, 128 * kMiB);
  EXPECT_EQ(r.pids_limit, std::optional<int64_t>(50));
}

TEST(UpdateFlags, PidsLimitIsAGoIntAndZeroLeavesItAlone) {
  UpdateFlags f;
  f.pids_limit = "0x10";
  EXPECT_EQ(planned(f).resources.pids_limit, std::optional<int64_t>(16));
  f.pids_limit = "-1";
  EXPECT_EQ(planned(f).resources.pids_limit, std::optional<int64_t>(-1));
  f.pids_limit = "0";
  EXPECT_FALSE(planned(f).resources.pids_limit);
  f.pids_limit = "abc";
  EXPECT_EQ(plan_error(f), "--pids-limit: invalid value `abc`, expected an integer");
}

TEST(UpdateFlags, BadValuesNameTheFlag) {
  auto error_for = [](std::string UpdateFlags::*field, const char* value) {
    UpdateFlags f;
    f.*field = value;
    return plan_error(f);
  };
  EXPECT_EQ(error_for(&UpdateFlags::memory, "10x"), "--memory: invalid size `10x`");
  EXPECT_EQ(error_for(&UpdateFlags::memory_swap, "lots"), "--memory-swap: invalid size `lots`");
  EXPECT_EQ(error_for(&UpdateFlags::cpu_share, "abc"),
            "--cpu-share: invalid value `abc`, expected an unsigned integer");
  EXPECT_EQ(error_for(&UpdateFlags::cpu_share, "-5"),
            "--cpu-share: invalid value `-5`, expected an unsigned integer");
  EXPECT_EQ(error_for(&UpdateFlags::cpu_share, "1"), "--cpu-share: must be at least 2");
  EXPECT_EQ(error_for(&UpdateFlags::cpu_quota, "5"),
            "--cpu-quota: must be at least 1000 (µs), or -1 for unlimited");
  EXPECT_EQ(error_for(&UpdateFlags::cpu_period, "10"),
            "--cpu-period: must be between 1000 and 1000000 (µs)");
  EXPECT_EQ(error_for(&UpdateFlags::cpu_idle, "2"), "--cpu-idle: must be 0 or 1");
  EXPECT_EQ(error_for(&UpdateFlags::blkio_weight, "70000"),
            "--blkio-weight: must be between 10 and 1000");
  EXPECT_EQ(error_for(&UpdateFlags::l3_cache_schema, "L3:0=f\nMB:0=1"),
            "--l3-cache-schema: must not contain a newline");
  EXPECT_EQ(error_for(&UpdateFlags::mem_bw_schema, "L3:0=70"),
            "--mem-bw-schema: must start with `MB:`");
}

TEST(UpdateFlags, SchemasBecomeSchemataLinesInFlagOrder) {
  UpdateFlags f;
  f.mem_bw_schema = "MB:0=70";
  f.l3_cache_schema = "L3:0=f";
  auto plan = planned(f);
  ASSERT_EQ(plan.schemata.size(), 2u);
  EXPECT_EQ(plan.schemata[0], (std::pair<std::string, std::string>{"--l3-cache-schema", "L3:0=f"}));
  EXPECT_EQ(plan.schemata[1], (std::pair<std::string, std::string>{"--mem-bw-schema", "MB:0=70"}));
}

TEST(UpdateFlags, SwapBelowTheMemoryLimitFails) {
  UpdateFlags f;
  f.memory = "64m";
  f.memory_swap = "32m";
  EXPECT_EQ(plan_error(f),
            "--memory-swap: the memory+swap limit must be at least the memory limit");
}

TEST(UpdateFlags, SwapAloneIsLeftToTheKernel) {
  UpdateFlags f;
  f.memory_swap = "256m";  // v1 checks it against the current limit
  EXPECT_EQ(planned(f).resources.memory.swap, 256 * kMiB);
}

TEST(UpdateFlags, KernelMemoryIsParsedThenIgnored) {
  UpdateFlags f;
  f.kernel_memory = "10m";
  f.kernel_memory_tcp = "1m";
  UpdatePlan p = planned(f);
  EXPECT_TRUE(p.kernel_memory_ignored);
  EXPECT_EQ(p.resources.memory.kernel, 0);
  EXPECT_EQ(p.resources.memory.kernel_tcp, 0);
  f.kernel_memory = "nope";
  EXPECT_EQ(plan_error(f), "--kernel-memory: invalid size `nope`");
}

TEST(UpdateJson, KeepsTheFieldsRuncsUpdateTakes) {
  const cgroup::Resources r =
      planned({}, R"({"memory": {"limit": 67108864, "reservation": 1048576, "swap": 134217728},
                      "cpu": {"shares": 512, "quota": 20000, "period": 100000, "cpus": "0"},
                      "blockIO": {"weight": 300}, "pids": {"limit": 77},
                      "unified": {"memory.high": "max"}})")
          .resources;
  EXPECT_EQ(r.memory.limit, 64 * kMiB);
  EXPECT_EQ(r.memory.reservation, kMiB);
  EXPECT_EQ(r.memory.swap, 128 * kMiB);
  EXPECT_EQ(r.cpu.shares, 512u);
  EXPECT_EQ(r.cpu.quota, 20000);
  EXPECT_EQ(r.cpu.period, 100000u);
  EXPECT_EQ(r.cpu.cpus, "0");
  EXPECT_EQ(r.block_io.weight, 300);
  EXPECT_EQ(r.pids_limit, std::optional<int64_t>(77));
  ASSERT_EQ(r.unified.size(), 1u);
  EXPECT_EQ(r.unified[0].first, "memory.high");
}

TEST(UpdateJson, DropsWhatRuncsUpdateIgnores) {
  UpdatePlan p = planned({}, R"({"devices": [{"allow": true, "access": "rwm"}],
      "hugepageLimits": [{"pageSize": "2MB", "limit": 0}],
      "network": {"classID": 7}, "memory": {"swappiness": 10, "disableOOMKiller": true,
      "kernel": 1000000}, "blockIO": {"throttleReadBpsDevice":
      [{"major": 8, "minor": 0, "rate": 100}]}, "pids": {"limit": 0}})");
  const cgroup::Resources& r = p.resources;
  EXPECT_TRUE(r.devices.empty());
  EXPECT_TRUE(r.skip_devices);
  EXPECT_TRUE(r.hugepage_limits.empty());
  EXPECT_EQ(r.network.class_id, 0u);
  EXPECT_FALSE(r.memory.swappiness);
  EXPECT_FALSE(r.memory.disable_oom_killer);
  EXPECT_TRUE(r.block_io.throttle_read_bps.empty());
  EXPECT_FALSE(r.pids_limit);  // 0 leaves pids.max as it is
  EXPECT_TRUE(p.kernel_memory_ignored);
}

// runc: with --resources the individual flags are ignored.
TEST(UpdateJson, FlagsAreIgnoredWithResources) {
  UpdateFlags f;
  f.memory = "32m";
  f.pids_limit = "9";
  const cgroup::Resources r = planned(f, R"({"memory": {"limit": 83886080}, "pids": {"limit": 77},
                     "cpu": {"shares": 300}})")
                                  .resources;
  EXPECT_EQ(r.memory.limit, 83886080);
  EXPECT_EQ(r.pids_limit, std::optional<int64_t>(77));
  EXPECT_EQ(r.cpu.shares, 300u);
  EXPECT_TRUE(r.skip_devices);
}

TEST(UpdateJson, ErrorsNameTheJsonField) {
  EXPECT_EQ(plan_error({}, R"({"cpu": {"shares": 1}})"),
            "linux.resources.cpu.shares: must be at least 2");
  EXPECT_NE(plan_error({}, "nonsense"), "planned");
  EXPECT_NE(plan_error({}, "[]"), "planned");
}

TEST(UpdatePlanWrites, NeverTouchesDeviceRules) {
  UpdateFlags f;
  f.pids_limit = "50";
  cgroup::HostFacts host;
  host.layout = cgroup::Layout::Hybrid;
  auto writes = cgroup::plan_writes(planned(f).resources, host);
  ASSERT_TRUE(writes.ok()) << writes.error().text();
  ASSERT_EQ(writes->size(), 1u);
  EXPECT_EQ((*writes)[0].file, "pids.max");
  EXPECT_EQ((*writes)[0].value, "50");
  EXPECT_TRUE(std::none_of(writes->begin(), writes->end(),
                           [](const cgroup::FileWrite& w) { return w.controller == "devices"; }));
}

}  // namespace
}  // namespace nook::runtime
