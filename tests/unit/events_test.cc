// `events`: the v1 and v2 cgroup stats readers on fake cgroupfs trees, their JSON in runc
// 1.1's shape (keys, omissions), and the Go duration parser for --interval.
#include "nook/runtime/events.h"

#include <gtest/gtest.h>

#include "fakes/cgroupfs.h"
#include "nook/cgroup/stats.h"
#include "nook/json/json.h"

namespace nook::cgroup {
namespace {

using fakes::FakeCgroupfs;

std::string json_of(const Stats& s) {
  json::Writer w;
  write_stats(w, s);
  return w.str();
}

TEST(EventsStats, ReadsV1HierarchiesLikeRunc) {
  FakeCgroupfs t;
  t.write("cpu,cpuacct/c/cpuacct.usage", "7649800\n");
  t.write("cpu,cpuacct/c/cpuacct.usage_percpu", "7261386 388414 \n");
  t.write("cpu,cpuacct/c/cpuacct.usage_all", "cpu user system\n0 4000000 0\n1 0 4000000\n");
  t.write("cpu,cpuacct/c/cpuacct.stat", "user 2\nsystem 1\n");
  t.write("cpu,cpuacct/c/cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
  t.write("cpuset/c/cpuset.cpus", "0-1\n");
  t.write("cpuset/c/cpuset.mems", "0\n");
  t.write("cpuset/c/cpuset.sched_load_balance", "1\n");
  t.write("cpuset/c/cpuset.sched_relax_domain_level", "-1\n");
  t.write("memory/m/c/memory.usage_in_bytes", "1007616\n");
  t.write("memory/m/c/memory.max_usage_in_bytes", "2777088\n");
  t.write("memory/m/c/memory.failcnt", "0\n");
  t.write("memory/m/c/memory.limit_in_bytes", "67108864\n");
  t.write("memory/m/c/memory.kmem.tcp.limit_in_bytes", "9223372036854771712\n");
  t.write("memory/m/c/memory.kmem.tcp.usage_in_bytes", "0\n");
  t.write("memory/m/c/memory.stat", "cache 4096\nrss 49152\n");
  t.write("pids/c/pids.current", "1\n");
  t.write("pids/c/pids.max", "max\n");
  t.write("blkio/c/blkio.throttle.io_service_bytes_recursive",
          "8:0 Read 4096\n8:0 Write 0\nTotal 4096\n");
  t.write("blkio/c/blkio.throttle.io_serviced_recursive", "8:0 Read 1\nTotal 1\n");
  t.write("hugetlb/c/hugetlb.2MB.usage_in_bytes", "0\n");
  t.write("hugetlb/c/hugetlb.2MB.max_usage_in_bytes", "0\n");
  t.write("hugetlb/c/hugetlb.2MB.failcnt", "3\n");
  Placement p;
  p.layout = Layout::Hybrid;
  p.path = "/c";
  p.hierarchies = {"blkio", "cpu,cpuacct", "cpuset", "hugetlb", "memory", "pids", "unified"};
  p.paths = {"/c", "/c", "/c", "/c", "/m/c", "/c", "/c"};
  auto s = read_stats_at(t.fd(), p);
  ASSERT_TRUE(s.ok()) << s.error().text();
  EXPECT_EQ(s->cpu.total, 7649800u);
  EXPECT_EQ(s->cpu.user, 20'000'000u);
  EXPECT_EQ(s->cpu.kernel, 10'000'000u);
  EXPECT_EQ(s->memory.cache, 4096u);
  EXPECT_EQ(s->pids.limit, 0u);
  EXPECT_EQ(
      json_of(*s),
      R"({"cpu":{"usage":{"total":7649800,"percpu":[7261386,388414],"percpu_kernel":[0,4000000],)"
      R"("percpu_user":[4000000,0],"kernel":10000000,"user":20000000},"throttling":{}},)"
      R"("cpuset":{"cpus":[0,1],"cpu_exclusive":0,"mems":[0],"mem_hardwall":0,"mem_exclusive":0,)"
      R"("memory_migrate":0,"memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0,)"
      R"("sched_load_balance":1,"sched_relax_domain_level":-1},)"
      R"("memory":{"cache":4096,"usage":{"limit":67108864,"usage":1007616,"max":2777088,"failcnt":0},)"
      R"("swap":{"limit":0,"failcnt":0},"kernel":{"limit":0,"failcnt":0},)"
      R"("kernelTCP":{"limit":9223372036854771712,"failcnt":0},"raw":{"cache":4096,"rss":49152}},)"
      R"("pids":{"current":1},"blkio":{"ioServiceBytesRecursive":[{"major":8,"op":"Read","value":4096},)"
      R"({"major":8,"op":"Write"}],"ioServicedRecursive":[{"major":8,"op":"Read","value":1}]},)"
      R"("hugetlb":{"2MB":{"failcnt":3}},"intel_rdt":{},"network_interfaces":null})");
}

TEST(EventsStats, ReadsV2FilesInTheSameShape) {
  FakeCgroupfs t;
  t.write("c/cpu.stat",
          "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\n"
          "throttled_usec 20\n");
  t.write("c/memory.current", "1000\n");
  t.write("c/memory.max", "16777216\n");
  t.write("c/memory.swap.current", "24\n");
  t.write("c/memory.swap.max", "max\n");
  t.write("c/memory.stat", "anon 800\nfile 200\n");
  t.write("c/pids.current", "2\n");
  t.write("c/pids.max", "10\n");
  t.write("c/io.stat", "8:16 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");
  t.write("c/hugetlb.2MB.current", "0\n");
  t.write("c/hugetlb.2MB.rsvd.current", "0\n");
  t.write("c/hugetlb.2MB.events", "max 2\n");
  Placement p;
  p.layout = Layout::V2;
  p.path = "/c";
  auto s = read_stats_at(t.fd(), p);
  ASSERT_TRUE(s.ok()) << s.error().text();
  EXPECT_EQ(
      json_of(*s),
      R"({"cpu":{"usage":{"total":1500000,"kernel":500000,"user":1000000},)"
      R"("throttling":{"periods":4,"throttledPeriods":1,"throttledTime":20000}},)"
      R"("cpuset":{"cpu_exclusive":0,"mem_hardwall":0,"mem_exclusive":0,"memory_migrate":0,)"
      R"("memory_spread_page":0,"memory_spread_slab":0,"memory_pressure":0,"sched_load_balance":0,)"
      R"("sched_relax_domain_level":0},)"
      R"("memory":{"cache":200,"usage":{"limit":16777216,"usage":1000,"failcnt":0},)"
      R"("swap":{"limit":18446744073709551615,"usage":1024,"failcnt":0},"kernel":{"limit":0,"failcnt":0},)"
      R"("kernelTCP":{"limit":0,"failcnt":0},"raw":{"anon":800,"file":200}},)"
      R"("pids":{"current":2,"limit":10},"blkio":{"ioServiceBytesRecursive":[)"
      R"({"major":8,"minor":16,"op":"Read","value":4096},{"major":8,"minor":16,"op":"Write"}],)"
      R"("ioServicedRecursive":[{"major":8,"minor":16,"op":"Read","value":1},)"
      R"({"major":8,"minor":16,"op":"Write"}]},)"
      R"("hugetlb":{"2MB":{"failcnt":2}},"intel_rdt":{},"network_interfaces":null})");
}

TEST(EventsStats, MissingControllersReadAsZeroAndDisabledErrors) {
  FakeCgroupfs t;
  Placement p;
  p.layout = Layout::V1;
  p.path = "/c";
  p.hierarchies = {"memory"};
  auto s = read_stats_at(t.fd(), p);
  ASSERT_TRUE(s.ok()) << s.error().text();
  EXPECT_EQ(s->memory.usage.usage, 0u);
  p.layout = Layout::Disabled;
  EXPECT_FALSE(read_stats_at(t.fd(), p).ok());
}

TEST(EventsDuration, ParsesGoDurations) {
  EXPECT_EQ(*runtime::parse_go_duration("5s"), 5'000'000'000);
  EXPECT_EQ(*runtime::parse_go_duration("500ms"), 500'000'000);
  EXPECT_EQ(*runtime::parse_go_duration("1m30s"), 90'000'000'000);
  EXPECT_EQ(*runtime::parse_go_duration("1.5s"), 1'500'000'000);
  EXPECT_EQ(*runtime::parse_go_duration("0"), 0);
  EXPECT_FALSE(runtime::parse_go_duration("5").ok());
  EXPECT_FALSE(runtime::parse_go_duration("abc").ok());
}

}  // namespace
}  // namespace nook::cgroup
