// Unit tests of linux.resources: decoding and validation errors, the pure v1/v2/hybrid
// translation into file writes (runc 1.1 semantics: swap ordering, shares → weight, pids
// "max", default device rules), and apply_resources on fake cgroupfs trees in temp dirs, with
// a recorder in place of the v2 device program's bpf(2). No root needed.
#include "nook/cgroup/resources.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "fakes/cgroupfs.h"

namespace nook::cgroup {
namespace {

using fakes::FakeCgroupfs;

namespace fs = std::filesystem;

constexpr uint64_t kFreshV1Limit = 9223372036854771712ULL;  // a new v1 memory cgroup's limit
constexpr int64_t kMiB = 1024 * 1024;

Resources parsed(const std::string& json) {
  auto r = parse_resources(json);
  EXPECT_TRUE(r.ok()) << r.error().text();
  return r.ok() ? *r : Resources{};
}

std::string parse_error(const std::string& json) {
  auto r = parse_resources(json);
  return r.ok() ? "parsed" : r.error().text();
}

HostFacts host(Layout layout) {
  HostFacts h;
  h.layout = layout;
  h.memory_limit = kFreshV1Limit;
  return h;
}

std::vector<FileWrite> planned(const Resources& r, const HostFacts& h) {
  auto writes = plan_writes(r, h);
  EXPECT_TRUE(writes.ok()) << writes.error().text();
  return writes.ok() ? *writes : std::vector<FileWrite>{};
}

std::string plan_error(const Resources& r, const HostFacts& h) {
  auto writes = plan_writes(r, h);
  return writes.ok() ? "planned" : writes.error().text();
}

// "controller/file=value" of the writes to `controller`, in order; "unified:" marks cgroup2.
std::vector<std::string> of(const std::vector<FileWrite>& writes, const std::string& controller) {
  std::vector<std::string> out;
  for (const FileWrite& w : writes) {
    if (w.controller != controller) continue;
    out.push_back((w.tree == Tree::Unified ? "unified:" : "") + w.file + "=" + w.value);
  }
  return out;
}

using Lines = std::vector<std::string>;

// ---- parsing --------------------------------------------------------------------------------

TEST(ResourcesParse, EmptyTextIsNoResources) {
  Resources r = parsed("");
  EXPECT_EQ(r.memory.limit, 0);
  EXPECT_FALSE(r.pids_limit);
  EXPECT_TRUE(r.devices.empty());
}

TEST(ResourcesParse, ReadsEveryMember) {
  Resources r = parsed(R"({
    "memory": {"limit": 67108864, "reservation": 33554432, "swap": 134217728, "kernel": 1,
               "kernelTCP": 4096, "swappiness": 10, "disableOOMKiller": true,
               "useHierarchy": true, "checkBeforeUpdate": true},
    "cpu": {"shares": 512, "quota": 50000, "burst": 1000, "period": 100000,
            "realtimeRuntime": 950, "realtimePeriod": 1000, "cpus": "0-1", "mems": "0", "idle": 0},
    "pids": {"limit": 20},
    "blockIO": {"weight": 500, "leafWeight": 300,
                "weightDevice": [{"major": 8, "minor": 0, "weight": 600, "leafWeight": 200}],
                "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
                "throttleWriteIOPSDevice": [{"major": 8, "minor": 16, "rate": 100}]},
    "hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
    "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 5}]},
    "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
    "unified": {"memory.high": "50000000", "io.latency": "8:0 target=10"},
    "devices": [{"allow": false, "access": "rwm"},
                {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}]
  })");
  EXPECT_EQ(r.memory.limit, 64 * kMiB);
  EXPECT_EQ(r.memory.reservation, 32 * kMiB);
  EXPECT_EQ(r.memory.swap, 128 * kMiB);
  EXPECT_EQ(r.memory.kernel_tcp, 4096);
  EXPECT_EQ(r.memory.swappiness, 10u);
  EXPECT_TRUE(r.memory.disable_oom_killer);
  EXPECT_TRUE(r.memory.check_before_update);
  EXPECT_EQ(r.cpu.shares, 512u);
  EXPECT_EQ(r.cpu.quota, 50000);
  EXPECT_EQ(r.cpu.burst, 1000u);
  EXPECT_EQ(r.cpu.period, 100000u);
  EXPECT_EQ(r.cpu.realtime_runtime, 950);
  EXPECT_EQ(r.cpu.realtime_period, 1000u);
  EXPECT_EQ(r.cpu.cpus, "0-1");
  EXPECT_EQ(r.cpu.mems, "0");
  EXPECT_EQ(r.cpu.idle, 0);
  EXPECT_EQ(r.pids_limit, 20);
  EXPECT_EQ(r.block_io.weight, 500);
  EXPECT_EQ(r.block_io.leaf_weight, 300);
  ASSERT_EQ(r.block_io.weight_device.size(), 1u);
  EXPECT_EQ(r.block_io.weight_device[0].leaf_weight, 200);
  ASSERT_EQ(r.block_io.throttle_read_bps.size(), 1u);
  EXPECT_EQ(r.block_io.throttle_read_bps[0].rate, 1048576u);
  ASSERT_EQ(r.block_io.throttle_write_iops.size(), 1u);
  EXPECT_EQ(r.block_io.throttle_write_iops[0].minor, 16);
  ASSERT_EQ(r.hugepage_limits.size(), 1u);
  EXPECT_EQ(r.hugepage_limits[0].page_size, "2MB");
  EXPECT_EQ(r.network.class_id, 1048577u);
  ASSERT_EQ(r.network.priorities.size(), 1u);
  EXPECT_EQ(r.network.priorities[0].name, "eth0");
  ASSERT_EQ(r.rdma.size(), 1u);
  EXPECT_EQ(r.rdma[0].device, "mlx5_1");
  EXPECT_EQ(r.rdma[0].hca_objects, 10000u);
  ASSERT_EQ(r.unified.size(), 2u);
  EXPECT_EQ(r.unified[1].first, "io.latency");
  ASSERT_EQ(r.devices.size(), 2u);
  EXPECT_EQ(r.devices[0], (DeviceRule{false, 'a', -1, -1, "rwm"}));
  EXPECT_EQ(r.devices[1], (DeviceRule{true, 'c', 10, 229, "rw"}));
}

TEST(ResourcesParse, NullAndUnknownMembersAreIgnored) {
  Resources r = parsed(R"({"memory": null, "cpu": {"shares": null}, "future": {"x": 1}})");
  EXPECT_EQ(r.cpu.shares, 0u);
}

TEST(ResourcesParse, TypeErrorsNameTheField) {
  EXPECT_EQ(parse_error(R"({"memory": {"limit": "64M"}})"),
            "linux.resources.memory.limit: expected number, got string");
  EXPECT_EQ(parse_error(R"({"memory": {"limit": 1.5}})"),
            "linux.resources.memory.limit: expected int64, got `1.5`");
  EXPECT_EQ(parse_error(R"({"cpu": {"shares": -5}})"),
            "linux.resources.cpu.shares: expected uint64, got `-5`");
  EXPECT_EQ(parse_error(R"({"pids": []})"), "linux.resources.pids: expected object, got array");
  EXPECT_EQ(parse_error(R"([])"), "linux.resources: expected object, got array");
  EXPECT_EQ(parse_error(R"({"blockIO": {"throttleReadBpsDevice": [{"major": 8, "rate": 1}]}})"),
            "linux.resources.blockIO.throttleReadBpsDevice[0].minor: required");
  EXPECT_EQ(parse_error(R"({"network": {"classID": 4294967296}})"),
            "linux.resources.network.classID: expected uint32, got `4294967296`");
}

TEST(ResourcesParse, RejectsValuesTheKernelWouldRefuse) {
  EXPECT_EQ(parse_error(R"({"cpu": {"shares": 1}})"),
            "linux.resources.cpu.shares: must be at least 2");
  EXPECT_EQ(parse_error(R"({"cpu": {"shares": 262145}})"),
            "linux.resources.cpu.shares: must be at most 262144");
  EXPECT_EQ(parse_error(R"({"cpu": {"quota": 999}})"),
            "linux.resources.cpu.quota: must be at least 1000 (µs), or -1 for unlimited");
  EXPECT_EQ(parse_error(R"({"cpu": {"period": 2000000}})"),
            "linux.resources.cpu.period: must be between 1000 and 1000000 (µs)");
  EXPECT_EQ(parse_error(R"({"cpu": {"idle": 2}})"), "linux.resources.cpu.idle: must be 0 or 1");
  EXPECT_EQ(parse_error(R"({"memory": {"limit": -2}})"),
            "linux.resources.memory.limit: must be positive, or -1 for unlimited");
  EXPECT_EQ(parse_error(R"({"memory": {"swappiness": 101}})"),
            "linux.resources.memory.swappiness: must be between 0 and 100");
  EXPECT_EQ(parse_error(R"({"blockIO": {"weight": 5}})"),
            "linux.resources.blockIO.weight: must be between 10 and 1000");
  EXPECT_EQ(parse_error(R"({"hugepageLimits": [{"pageSize": "2M", "limit": 1}]})"),
            "linux.resources.hugepageLimits[0].pageSize: expected a size like `2MB`, `1GB` or "
            "`64KB`, got `2M`");
  EXPECT_EQ(parse_error(R"({"network": {"priorities": [{"name": "eth0 1\nlo", "priority": 1}]}})"),
            "linux.resources.network.priorities[0].name: must be an interface name without spaces");
}

TEST(ResourcesParse, SwapCountsMemoryPlusSwapSoItNeedsALimitBelowIt) {
  EXPECT_EQ(parse_error(R"({"memory": {"swap": 1048576}})"),
            "linux.resources.memory.swap: needs a positive linux.resources.memory.limit");
  EXPECT_EQ(parse_error(R"({"memory": {"limit": 2097152, "swap": 1048576}})"),
            "linux.resources.memory.swap: must be at least linux.resources.memory.limit (it "
            "counts memory plus swap)");
  EXPECT_EQ(parse_error(R"({"memory": {"limit": 2097152, "swap": -1}})"), "parsed");
}

TEST(ResourcesParse, SwappinessMinusOneMeansUnset) {
  EXPECT_FALSE(parsed(R"({"memory": {"swappiness": -1}})").memory.swappiness);
  EXPECT_FALSE(parsed(R"({"memory": {"swappiness": 18446744073709551615}})").memory.swappiness);
  EXPECT_EQ(parsed(R"({"memory": {"swappiness": 0}})").memory.swappiness, 0u);
}

TEST(ResourcesParse, DeviceRulesFollowRunc) {
  // type defaults to "a", major/minor to the wildcard; access may not be empty.
  EXPECT_EQ(parsed(R"({"devices": [{"allow": true, "access": "m"}]})").devices[0],
            (DeviceRule{true, 'a', -1, -1, "m"}));
  EXPECT_EQ(parse_error(R"({"devices": [{"allow": true, "type": "c"}]})"),
            "linux.resources.devices[0].access: must not be empty");
  EXPECT_EQ(parse_error(R"({"devices": [{"allow": true, "access": "rwx"}]})"),
            "linux.resources.devices[0].access: expected letters of `rwm`, got `rwx`");
  EXPECT_EQ(parse_error(R"({"devices": [{"allow": true, "access": "rr"}]})"),
            "linux.resources.devices[0].access: expected letters of `rwm`, got `rr`");
  EXPECT_EQ(parse_error(R"({"devices": [{"allow": true, "type": "u", "access": "r"}]})"),
            "linux.resources.devices[0].type: expected `a`, `b` or `c`, got `u`");
}

TEST(ResourcesParse, UnifiedKeysNameOneFileOfTheCgroup) {
  for (const char* key : {"../memory.max", "a/b.c", "..", ""}) {
    std::string json = std::string(R"({"unified": {")") + key + R"(": "1"}})";
    EXPECT_EQ(parse_error(json), std::string("linux.resources.unified.") + key +
                                     ": must be a file name of the cgroup, without `/` or `..`");
  }
  EXPECT_EQ(parse_error(R"({"unified": {"memory": "1"}})"),
            "linux.resources.unified.memory: must have the form CONTROLLER.PARAMETER");
  EXPECT_EQ(parse_error(R"({"unified": {"memory.max": 1}})"),
            "linux.resources.unified.memory.max: expected string, got number");
}

// ---- pure conversions -----------------------------------------------------------------------

TEST(ResourcesConvert, SharesToWeightIsRuncsFormula) {
  EXPECT_EQ(shares_to_weight(0), 0u);
  EXPECT_EQ(shares_to_weight(2), 1u);
  EXPECT_EQ(shares_to_weight(1024), 39u);
  EXPECT_EQ(shares_to_weight(262144), 10000u);
}

TEST(ResourcesConvert, BlkioWeightToIoWeightIsRuncsFormula) {
  EXPECT_EQ(blkio_weight_to_io_weight(10), 1u);
  EXPECT_EQ(blkio_weight_to_io_weight(500), 4950u);
  EXPECT_EQ(blkio_weight_to_io_weight(1000), 10000u);
}

TEST(ResourcesConvert, DeviceRuleText) {
  EXPECT_EQ(device_rule_text({true, 'c', 1, 3, "rwm"}), "c 1:3 rwm");
  EXPECT_EQ(device_rule_text({true, 'b', -1, -1, "m"}), "b *:* m");
  EXPECT_EQ(device_rule_text({true, 'c', 136, -1, "rwm"}), "c 136:* rwm");
}

// ---- v1 translation -------------------------------------------------------------------------

TEST(ResourcesV1, FreshCgroupGetsLimitThenMemsw) {
  Resources r = parsed(R"({"memory": {"limit": 67108864, "swap": 134217728}})");
  EXPECT_EQ(of(planned(r, host(Layout::V1)), "memory"),
            (Lines{"memory.limit_in_bytes=67108864", "memory.memsw.limit_in_bytes=134217728"}));
}

TEST(ResourcesV1, MemswGoesFirstWhenItRisesAboveTheCurrentLimit) {
  Resources r = parsed(R"({"memory": {"limit": 67108864, "swap": 134217728}})");
  HostFacts h = host(Layout::V1);
  h.memory_limit = 32 * kMiB;
  EXPECT_EQ(of(planned(r, h), "memory"),
            (Lines{"memory.memsw.limit_in_bytes=134217728", "memory.limit_in_bytes=67108864"}));
}

TEST(ResourcesV1, UnlimitedMemoryMeansUnlimitedSwapToo) {
  Resources r = parsed(R"({"memory": {"limit": -1}})");
  EXPECT_EQ(of(planned(r, host(Layout::V1)), "memory"),
            (Lines{"memory.memsw.limit_in_bytes=-1", "memory.limit_in_bytes=-1"}));
  HostFacts no_swap = host(Layout::V1);
  no_swap.has_memsw = false;
  EXPECT_EQ(of(planned(r, no_swap), "memory"), (Lines{"memory.limit_in_bytes=-1"}));
}

TEST(ResourcesV1, SwapWithoutSwapAccountingIsAnError) {
  Resources r = parsed(R"({"memory": {"limit": 67108864, "swap": 134217728}})");
  HostFacts h = host(Layout::V1);
  h.has_memsw = false;
  EXPECT_EQ(plan_error(r, h),
            "linux.resources.memory.swap: swap accounting is off on this host (no "
            "`memory.memsw.limit_in_bytes`)");
}

TEST(ResourcesV1, OtherMemoryFiles) {
  Resources r = parsed(R"({"memory": {"reservation": 1048576, "kernel": 1048576,
      "kernelTCP": 2097152, "swappiness": 0, "disableOOMKiller": true}})");
  EXPECT_EQ(of(planned(r, host(Layout::V1)), "memory"),
            (Lines{"memory.soft_limit_in_bytes=1048576", "memory.oom_control=1",
                   "memory.swappiness=0"}));  // kernel and kernelTCP ignored, as runc 1.1
}

TEST(ResourcesV1, CpuAndCpusetFiles) {
  Resources r = parsed(R"({"cpu": {"shares": 512, "quota": 50000, "period": 100000, "burst": 0,
      "realtimeRuntime": 950, "realtimePeriod": 1000000, "cpus": "0", "mems": "0", "idle": 1}})");
  auto writes = planned(r, host(Layout::V1));
  EXPECT_EQ(of(writes, "cpu"),
            (Lines{"cpu.rt_period_us=1000000", "cpu.rt_runtime_us=950", "cpu.shares=512",
                   "cpu.cfs_period_us=100000", "cpu.cfs_quota_us=50000", "cpu.cfs_burst_us=0",
                   "cpu.idle=1"}));
  EXPECT_EQ(of(writes, "cpuset"), (Lines{"cpuset.cpus=0", "cpuset.mems=0"}));
}

TEST(ResourcesV1, PidsZeroAndNegativeAreMax) {
  EXPECT_EQ(of(planned(parsed(R"({"pids": {"limit": 20}})"), host(Layout::V1)), "pids"),
            (Lines{"pids.max=20"}));
  EXPECT_EQ(of(planned(parsed(R"({"pids": {"limit": -1}})"), host(Layout::V1)), "pids"),
            (Lines{"pids.max=max"}));
  EXPECT_EQ(of(planned(parsed(R"({"pids": {"limit": 0}})"), host(Layout::V1)), "pids"),
            (Lines{"pids.max=max"}));
  EXPECT_TRUE(of(planned(parsed(R"({"pids": {}})"), host(Layout::V1)), "pids").empty());
}

TEST(ResourcesV1, DefaultSpecDevicesMatchRuncsDevicesList) {
  // What runc 1.1.5 leaves in devices.list for the default spec: b *:* m, c *:* m, c 1:3 rwm,
  // c 1:5 rwm, c 1:7 rwm, c 1:8 rwm, c 1:9 rwm, c 5:0 rwm, c 5:2 rwm, c 10:200 rwm, c 136:* rwm.
  auto writes =
      planned(parsed(R"({"devices": [{"allow": false, "access": "rwm"}]})"), host(Layout::V1));
  EXPECT_EQ(of(writes, "devices"),
            (Lines{"devices.deny=a *:* rwm", "devices.deny=a *:* rwm", "devices.allow=c *:* m",
                   "devices.allow=b *:* m", "devices.allow=c 1:3 rwm", "devices.allow=c 1:8 rwm",
                   "devices.allow=c 1:7 rwm", "devices.allow=c 5:0 rwm", "devices.allow=c 1:5 rwm",
                   "devices.allow=c 1:9 rwm", "devices.allow=c 136:* rwm",
                   "devices.allow=c 5:2 rwm", "devices.allow=c 10:200 rwm"}));
  EXPECT_FALSE(writes[0].optional);
}

TEST(ResourcesV1, DevicesAreRestrictedEvenWithoutResources) {
  auto writes = planned(parsed(""), host(Layout::V1));
  ASSERT_EQ(writes.size(), 1 + default_allowed_devices().size());
  EXPECT_EQ(writes[0].file, "devices.deny");
  for (const FileWrite& w : writes) EXPECT_TRUE(w.optional) << w.file;
}

TEST(ResourcesV1, BlkioFiles) {
  Resources r = parsed(R"({"blockIO": {"weight": 500, "leafWeight": 300,
      "weightDevice": [{"major": 8, "minor": 0, "weight": 600}],
      "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
      "throttleWriteIOPSDevice": [{"major": 8, "minor": 16, "rate": 100}]}})");
  EXPECT_EQ(of(planned(r, host(Layout::V1)), "blkio"),
            (Lines{"blkio.weight=500", "blkio.leaf_weight=300", "blkio.weight_device=8:0 600",
                   "blkio.throttle.read_bps_device=8:0 1048576",
                   "blkio.throttle.write_iops_device=8:16 100"}));
  HostFacts bfq = host(Layout::V1);
  bfq.blkio_bfq = true;
  EXPECT_EQ(of(planned(r, bfq), "blkio")[0], "blkio.bfq.weight=500");
}

TEST(ResourcesV1, HugetlbNetworkAndRdmaFiles) {
  Resources r = parsed(R"({"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
      "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 5}]},
      "rdma": {"mlx5_1": {"hcaHandles": 3}}})");
  auto writes = planned(r, host(Layout::V1));
  EXPECT_EQ(of(writes, "hugetlb"), (Lines{"hugetlb.2MB.limit_in_bytes=4194304"}));
  EXPECT_EQ(of(writes, "net_cls"), (Lines{"net_cls.classid=1048577"}));
  EXPECT_EQ(of(writes, "net_prio"), (Lines{"net_prio.ifpriomap=eth0 5"}));
  EXPECT_EQ(of(writes, "rdma"), (Lines{"rdma.max=mlx5_1 hca_handle=3"}));
}

TEST(ResourcesV1, UnifiedKeysNeedCgroup2) {
  Resources r = parsed(R"({"unified": {"memory.high": "1"}})");
  EXPECT_EQ(plan_error(r, host(Layout::V1)),
            "linux.resources.unified: needs cgroup v2, and this host has no cgroup2 hierarchy");
}

TEST(ResourcesHybrid, HugetlbGoesToUnifiedWhenItHasNoV1Hierarchy) {
  Resources r = parsed(R"({"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
      "unified": {"hugetlb.1GB.max": "0"}})");
  HostFacts h = host(Layout::Hybrid);
  h.v1_hugetlb = false;
  EXPECT_EQ(of(planned(r, h), "hugetlb"),
            (Lines{"unified:hugetlb.2MB.max=4194304", "unified:hugetlb.1GB.max=0"}));
  h.v1_hugetlb = true;
  EXPECT_EQ(of(planned(r, h), "hugetlb"),
            (Lines{"hugetlb.2MB.limit_in_bytes=4194304", "unified:hugetlb.1GB.max=0"}));
}

// ---- v2 translation -------------------------------------------------------------------------

TEST(ResourcesV2, SwapMaxIsTotalMinusLimit) {
  auto memory = [](const std::string& json) {
    return of(planned(parsed(json), host(Layout::V2)), "memory");
  };
  EXPECT_EQ(memory(R"({"memory": {"limit": 67108864, "swap": 134217728}})"),
            (Lines{"unified:memory.swap.max=67108864", "unified:memory.max=67108864"}));
  EXPECT_EQ(memory(R"({"memory": {"limit": 67108864, "swap": 67108864}})"),
            (Lines{"unified:memory.swap.max=0", "unified:memory.max=67108864"}));
  EXPECT_EQ(memory(R"({"memory": {"limit": -1}})"),
            (Lines{"unified:memory.swap.max=max", "unified:memory.max=max"}));
  EXPECT_EQ(memory(R"({"memory": {"limit": 67108864, "reservation": 1048576}})"),
            (Lines{"unified:memory.max=67108864", "unified:memory.low=1048576"}));
}

TEST(ResourcesV2, MissingSwapMaxIsFineOnlyForMaxOrZero) {
  HostFacts h = host(Layout::V2);
  h.has_memsw = false;
  EXPECT_EQ(of(planned(parsed(R"({"memory": {"limit": -1}})"), h), "memory"),
            (Lines{"unified:memory.max=max"}));
  EXPECT_EQ(plan_error(parsed(R"({"memory": {"limit": 1048576, "swap": 2097152}})"), h),
            "linux.resources.memory.swap: swap accounting is off on this host (no "
            "`memory.swap.max`)");
}

TEST(ResourcesV2, CpuWeightAndMax) {
  auto cpu = [](const std::string& json) {
    return of(planned(parsed(json), host(Layout::V2)), "cpu");
  };
  EXPECT_EQ(cpu(R"({"cpu": {"shares": 1024, "quota": 50000, "period": 100000, "burst": 1000}})"),
            (Lines{"unified:cpu.weight=39", "unified:cpu.max=50000 100000",
                   "unified:cpu.max.burst=1000"}));
  EXPECT_EQ(cpu(R"({"cpu": {"quota": 50000}})"), (Lines{"unified:cpu.max=50000"}));
  EXPECT_EQ(cpu(R"({"cpu": {"period": 100000}})"), (Lines{"unified:cpu.max=max 100000"}));
  EXPECT_EQ(cpu(R"({"cpu": {"quota": -1}})"), (Lines{"unified:cpu.max=max"}));
}

TEST(ResourcesV2, PidsIoHugetlbAndUnifiedLast) {
  Resources r = parsed(R"({"pids": {"limit": -1}, "unified": {"pids.max": "7"},
      "blockIO": {"weight": 1000, "throttleWriteBpsDevice": [{"major": 8, "minor": 0, "rate": 5}]},
      "hugepageLimits": [{"pageSize": "1GB", "limit": 0}]})");
  auto writes = planned(r, host(Layout::V2));
  EXPECT_EQ(of(writes, "pids"), (Lines{"unified:pids.max=max", "unified:pids.max=7"}));
  EXPECT_EQ(of(writes, "io"), (Lines{"unified:io.weight=10000", "unified:io.max=8:0 wbps=5"}));
  EXPECT_EQ(of(writes, "hugetlb"), (Lines{"unified:hugetlb.1GB.max=0"}));
  EXPECT_EQ(writes.back().file, "pids.max");
}

TEST(ResourcesV2, DeviceRulesAreNoFileWrites) {
  Resources r = parsed(R"({"devices": [{"allow": false, "access": "rwm"},
      {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rwm"},
      {"allow": true, "access": "rwm"}]})");
  EXPECT_TRUE(planned(r, host(Layout::V2)).empty());
}

TEST(ResourcesPlan, DeviceRulesRuncRefusesFailOnEveryLayout) {
  Resources r = parsed(R"({"pids": {"limit": 5}, "devices": [{"allow": false, "access": "rwm"},
      {"allow": true, "type": "c", "access": "rwm"},
      {"allow": false, "type": "c", "major": 1, "minor": 3, "access": "rw"}]})");
  for (Layout layout : {Layout::V1, Layout::Hybrid, Layout::V2}) {
    EXPECT_EQ(plan_error(r, host(layout)),
              "linux.resources.devices[2]: cannot deny `c 1:3 rw` inside the wildcard rule "
              "`c *:* rwm` allowed before it (a devices cgroup cannot punch a hole in a wildcard "
              "rule)");
  }
  r.skip_devices = true;  // update leaves the rules alone
  EXPECT_EQ(plan_error(r, host(Layout::V2)), "planned");
}

TEST(ResourcesV2, V1OnlyLimitsAreRejected) {
  EXPECT_EQ(plan_error(parsed(R"({"network": {"classID": 1}})"), host(Layout::V2)),
            "linux.resources.network: net_cls and net_prio do not exist on cgroup v2");
  EXPECT_EQ(plan_error(parsed(R"({"cpu": {"realtimeRuntime": 950}})"), host(Layout::V2)),
            "linux.resources.cpu.realtimeRuntime: realtime scheduling limits do not exist on "
            "cgroup v2");
}

// ---- apply_resources on fake trees ----------------------------------------------------------

// The dev machine's hybrid layout, with cgroup "/ctr" made and its control files in place.
Placement make_hybrid(const FakeCgroupfs& tree, bool with_devices = true) {
  Placement p;
  p.layout = Layout::Hybrid;
  p.path = "/ctr";
  for (const char* h : {"blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids",
                        "systemd", "unified"}) {
    if (!with_devices && std::string(h) == "devices") continue;
    p.hierarchies.push_back(h);
    p.paths.push_back("/ctr");
  }
  for (const char* file :
       {"memory/ctr/memory.memsw.limit_in_bytes", "memory/ctr/memory.limit_in_bytes"}) {
    tree.write(file, std::to_string(kFreshV1Limit));
  }
  for (const char* file : {"pids/ctr/pids.max", "cpu/ctr/cpu.cfs_quota_us", "cpu/ctr/cpu.shares",
                           "cpu/ctr/cpu.cfs_period_us", "devices/ctr/devices.allow",
                           "devices/ctr/devices.deny", "unified/ctr/cgroup.procs"}) {
    tree.write(file, "");
  }
  tree.write("unified/cgroup.controllers", "hugetlb\n");
  tree.write("unified/cgroup.subtree_control", "\n");
  return p;
}

TEST(ResourcesApply, HybridWritesMemoryPidsAndCpu) {
  FakeCgroupfs tree;
  Placement p = make_hybrid(tree);
  Resources r = parsed(R"({"memory": {"limit": 67108864, "swap": 134217728},
      "pids": {"limit": 20}, "cpu": {"quota": 50000, "period": 100000},
      "devices": [{"allow": false, "access": "rwm"}]})");
  auto applied = apply_resources(tree.fd(), p, r);
  ASSERT_TRUE(applied.ok()) << applied.error().text();
  EXPECT_EQ(tree.read("memory/ctr/memory.limit_in_bytes"), "67108864");
  EXPECT_EQ(tree.read("memory/ctr/memory.memsw.limit_in_bytes"), "134217728");
  EXPECT_EQ(tree.read("pids/ctr/pids.max"), "20");
  EXPECT_EQ(tree.read("cpu/ctr/cpu.cfs_quota_us"), "50000");
  EXPECT_EQ(tree.read("cpu/ctr/cpu.cfs_period_us"), "100000");
  // plain files keep only the last write
  EXPECT_EQ(tree.read("devices/ctr/devices.allow"), "c 10:200 rwm");
  EXPECT_EQ(tree.read("devices/ctr/devices.deny"), "a *:* rwm");
}

TEST(ResourcesApply, MissingControllerFailsBeforeAnyWrite) {
  FakeCgroupfs tree;
  Placement p = make_hybrid(tree);
  Resources r = parsed(R"({"pids": {"limit": 20}, "network": {"classID": 1},
      "hugepageLimits": [{"pageSize": "2MB", "limit": 0}]})");
  auto applied = apply_resources(tree.fd(), p, r);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().text(),
            "linux.resources.network: the net_cls controller is not mounted");
  EXPECT_EQ(tree.read("pids/ctr/pids.max"), "");
  EXPECT_EQ(tree.read("unified/cgroup.subtree_control"), "\n");  // hugetlb not enabled either
}

TEST(ResourcesApply, DefaultDevicesAreSkippedWithoutADevicesHierarchy) {
  FakeCgroupfs tree;
  Placement p = make_hybrid(tree, /*with_devices=*/false);
  EXPECT_TRUE(apply_resources(tree.fd(), p, parsed("")).ok());
  auto applied =
      apply_resources(tree.fd(), p, parsed(R"({"devices": [{"allow": false, "access": "rwm"}]})"));
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().text(),
            "linux.resources.devices: the devices controller is not mounted");
}

TEST(ResourcesApply, HybridHugetlbIsEnabledAndWrittenInUnified) {
  FakeCgroupfs tree;
  Placement p = make_hybrid(tree);
  tree.write("unified/ctr/hugetlb.2MB.max", "max");
  auto applied = apply_resources(
      tree.fd(), p, parsed(R"({"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]})"));
  ASSERT_TRUE(applied.ok()) << applied.error().text();
  EXPECT_EQ(tree.read("unified/cgroup.subtree_control"), "+hugetlb");
  EXPECT_EQ(tree.read("unified/ctr/hugetlb.2MB.max"), "4194304");
}

TEST(ResourcesApply, WriteErrorsNameTheFieldValueAndFile) {
  FakeCgroupfs tree;
  Placement p = make_hybrid(tree);
  auto applied = apply_resources(tree.fd(), p, parsed(R"({"cpu": {"burst": 10}})"));
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().text(),
            "linux.resources.cpu: write `10` to `cpu/ctr/cpu.cfs_burst_us`: No such file or "
            "directory");
}

Placement v2_placement(const std::string& path) {
  Placement p;
  p.layout = Layout::V2;
  p.path = path;
  return p;
}

// Records what apply_resources would attach, instead of bpf(2) on a directory that is no cgroup.
struct FilterRecorder {
  int calls = 0;
  std::string dir;  // the directory the cgroup fd names
  std::vector<bpf_insn> program;

  DeviceFilterInstaller installer() {
    return [this](int cgroup_fd, const std::vector<bpf_insn>& p) -> Status {
      ++calls;
      dir = fs::read_symlink("/proc/self/fd/" + std::to_string(cgroup_fd)).string();
      program = p;
      return ok_status();
    };
  }
};

bool same_program(const std::vector<bpf_insn>& a, const std::vector<bpf_insn>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(bpf_insn)) == 0;
}

TEST(ResourcesApply, V2EnablesControllersUpTheTreeAndWrites) {
  FakeCgroupfs tree;
  Placement p = v2_placement("/a/ctr");
  tree.write("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
  tree.write("cgroup.subtree_control", "\n");
  tree.write("a/cgroup.subtree_control", "\n");
  for (const char* file : {"a/ctr/memory.max", "a/ctr/memory.swap.max", "a/ctr/cpu.max"}) {
    tree.write(file, "max");
  }
  Resources r = parsed(R"({"memory": {"limit": 67108864, "swap": 134217728},
      "devices": [{"allow": false, "access": "rwm"}]})");
  FilterRecorder recorder;
  auto applied = apply_resources(tree.fd(), p, r, recorder.installer());
  ASSERT_TRUE(applied.ok()) << applied.error().text();
  EXPECT_EQ(recorder.calls, 1);
  EXPECT_EQ(tree.read("cgroup.subtree_control"), "+memory");
  EXPECT_EQ(tree.read("a/cgroup.subtree_control"), "+memory");
  EXPECT_EQ(tree.read("a/ctr/memory.max"), "67108864");
  EXPECT_EQ(tree.read("a/ctr/memory.swap.max"), "67108864");
}

TEST(ResourcesApply, V2InstallsTheDeviceProgramOfTheRulesOnTheCgroup) {
  FakeCgroupfs tree;
  FilterRecorder recorder;
  Placement p = v2_placement("/a/ctr");
  tree.write("a/ctr/cgroup.procs", "");
  Resources r = parsed(R"({"devices": [{"allow": false, "access": "rwm"},
      {"allow": true, "type": "b", "major": 8, "minor": 0, "access": "r"}]})");
  auto applied = apply_resources(tree.fd(), p, r, recorder.installer());
  ASSERT_TRUE(applied.ok()) << applied.error().text();
  EXPECT_EQ(recorder.calls, 1);
  EXPECT_EQ(recorder.dir, tree.path() + "/a/ctr");
  EXPECT_TRUE(same_program(recorder.program, device_filter_program(*device_policy(r.devices))));
  // even without linux.resources: runc's defaults (deny all else) are always installed
  ASSERT_TRUE(apply_resources(tree.fd(), p, parsed(""), recorder.installer()).ok());
  EXPECT_EQ(recorder.calls, 2);
  EXPECT_TRUE(same_program(recorder.program, device_filter_program(*device_policy({}))));
  // update's skip_devices leaves the program as it is
  r.skip_devices = true;
  ASSERT_TRUE(apply_resources(tree.fd(), p, r, recorder.installer()).ok());
  EXPECT_EQ(recorder.calls, 2);
}

TEST(ResourcesApply, V2DeviceProgramErrorsNameTheField) {
  FakeCgroupfs tree;
  Placement p = v2_placement("/ctr");
  tree.write("ctr/cgroup.procs", "");
  auto fail = [](int, const std::vector<bpf_insn>&) -> Status {
    return Error{EPERM, "attach the device filter (BPF_PROG_ATTACH, BPF_F_ALLOW_MULTI)"};
  };
  auto applied = apply_resources(tree.fd(), p, parsed(""), fail);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().text(),
            "linux.resources.devices: attach the device filter (BPF_PROG_ATTACH, "
            "BPF_F_ALLOW_MULTI): Operation not permitted");
}

TEST(ResourcesApply, HybridSetsDevicesThroughV1NotAProgram) {
  FakeCgroupfs tree;
  FilterRecorder recorder;
  Placement p = make_hybrid(tree);
  ASSERT_TRUE(apply_resources(tree.fd(), p, parsed(""), recorder.installer()).ok());
  EXPECT_EQ(recorder.calls, 0);
  EXPECT_EQ(tree.read("devices/ctr/devices.deny"), "a *:* rwm");
}

TEST(ResourcesApply, V2ControllerThatIsNotAvailableIsNamed) {
  FakeCgroupfs tree;
  Placement p = v2_placement("/ctr");
  tree.write("cgroup.controllers", "cpu memory pids\n");
  tree.write("cgroup.subtree_control", "cpu memory pids\n");
  auto applied = apply_resources(
      tree.fd(), p, parsed(R"({"hugepageLimits": [{"pageSize": "2MB", "limit": 0}]})"));
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().text(),
            "linux.resources.hugepageLimits: the hugetlb controller is not available in the "
            "cgroup2 hierarchy (`cgroup.controllers` lists `cpu memory pids`)");
}

TEST(ResourcesApply, DisabledDoesNothing) {
  FakeCgroupfs tree;
  EXPECT_TRUE(apply_resources(tree.fd(), Placement{}, parsed(R"({"pids": {"limit": 1}})")).ok());
}

}  // namespace
}  // namespace nook::cgroup
