// `nook update [--resources FILE|-] [flags] ID`
#include "nook/runtime/update.h"

#include "nook/cli/commands.h"
#include "nook/cli/flags.h"

namespace nook::cli {
namespace {
constexpr char kUsage[] = R"(Usage: nook update [command options] <container-id>

Update the cgroup limits of a created, running or paused container.

Options:
   --resources value, -r value  a linux.resources JSON file, or '-' to read it from stdin;
                                the flags below are then ignored, as by runc
   --blkio-weight value         per cgroup weight, from 10 to 1000
   --cpu-period value           CPU CFS period (µs); 0 leaves it as it is
   --cpu-quota value            CPU CFS quota (µs) per period; -1 for unlimited
   --cpu-burst value            CPU CFS burst (µs) per period
   --cpu-share value            CPU shares (relative weight vs. other containers)
   --cpu-idle value             0: default, 1: SCHED_IDLE for the cgroup
   --cpu-rt-period value        CPU realtime period (µs), cgroup v1 only
   --cpu-rt-runtime value       CPU realtime runtime (µs) per period, cgroup v1 only
   --cpuset-cpus value          CPU(s) to use
   --cpuset-mems value          memory node(s) to use
   --memory value               memory limit: bytes or 64m, 1g, ...; -1 for unlimited
   --memory-reservation value   memory reservation or soft limit
   --memory-swap value          total memory + swap limit; -1 for unlimited swap
   --pids-limit value           maximum number of pids; -1 for unlimited
   --kernel-memory value        ignored (kernel memory limits are gone)
   --kernel-memory-tcp value    ignored (kernel memory limits are gone)
   --l3-cache-schema value      a schemata line for the container's resctrl group (linux.intelRdt)
   --mem-bw-schema value        the same for memory bandwidth ("MB:0=70")
)";
}  // namespace

Result<int> update(const runtime::GlobalOptions& g, const Args& args) {
  runtime::UpdateOptions o;
  runtime::UpdateFlags& f = o.flags;
  bool help = false;
  auto pos = NOOK_TRY(FlagSet()
                          .add("resources,r", &o.resources_file)
                          .add("blkio-weight", &f.blkio_weight)
                          .add("cpu-period", &f.cpu_period)
                          .add("cpu-quota", &f.cpu_quota)
                          .add("cpu-burst", &f.cpu_burst)
                          .add("cpu-share", &f.cpu_share)
                          .add("cpu-idle", &f.cpu_idle)
                          .add("cpu-rt-period", &f.cpu_rt_period)
                          .add("cpu-rt-runtime", &f.cpu_rt_runtime)
                          .add("cpuset-cpus", &f.cpuset_cpus)
                          .add("cpuset-mems", &f.cpuset_mems)
                          .add("memory", &f.memory)
                          .add("memory-reservation", &f.memory_reservation)
                          .add("memory-swap", &f.memory_swap)
                          .add("kernel-memory", &f.kernel_memory)
                          .add("kernel-memory-tcp", &f.kernel_memory_tcp)
                          .add("pids-limit", &f.pids_limit)
                          .add("l3-cache-schema", &f.l3_cache_schema)
                          .add("mem-bw-schema", &f.mem_bw_schema)
                          .parse(args, &help));
  if (help) return print_usage(kUsage);
  NOOK_TRY(expect_args(pos, 1, 1, "update"));
  o.id = pos[0];
  NOOK_TRY(runtime::update(g, o));
  return 0;
}

}  // namespace nook::cli
