# table.jq: results.json → the human-readable table run.sh prints.
def pad($w): tostring | if length >= $w then . else (" " * ($w - length)) + . end;
def rpad($w): tostring | if length >= $w then . else . + (" " * ($w - length)) end;
def fixed($d): (. * pow(10; $d) | round) as $v | pow(10; $d) as $s
  | "\($v / $s | floor)" + (if $d == 0 then ""
      else "." + ($v % $s | tostring | (("0" * ($d - length)) + .)) end);
def ms: if . == null then "-" else fixed(2) end;
def mib: if . == null then "-" else (. / 1024 | fixed(1)) end;
def x: if . == null then "-" else "\(fixed(2))x" end;

.meta as $meta
| "nook benchmark: N=\($meta.n) interleaved iterations (+\($meta.warmup) warm-up), kernel \($meta.kernel), \($meta.cpus) CPUs, load average \($meta.loadavg_before) before",
  "cgroups: \($meta.cgroup); workload: \($meta.workload)",
  "state: \($meta.state)",
  "versions: nook=\($meta.versions.nook | if . == "" then "?" else . end); \($meta.versions.runc); \($meta.versions.crun)",
  "wall = ms from spawn to exit of the runtime command; rss = peak RSS (MiB, median) of it and the children it reaped;",
  "nook/x, rss n/x = nook's median wall time, peak RSS, divided by this row's (below 1: nook is faster, smaller)",
  (.ratios as $ratios
   | .modes | to_entries[] | .key as $mode | .value as $sec
   | "",
     "== \(if $mode == "cgroupfs" then "cgroup manager: cgroupfs (each runtime's default)"
           elif $mode == "disabled" then "cgroup manager: disabled (--cgroup-manager=disabled)"
           else "agent profile: `nook spec --agent`'s config.json for every runtime, default cgroup manager" end) ==",
     (["nook", "runc", "crun", "floor"][] as $rt | $sec[$rt]
      | select(. != null and .status != "ok") | "\($rt): \(.status) (\(.reason // "no reason given"))"),
     ("metric" | rpad(8)) + ("runtime" | rpad(8)) + ("median" | pad(9)) + ("p90" | pad(9))
       + ("rss" | pad(7)) + ("nook/x" | pad(9)) + ("rss n/x" | pad(9)) + ("fail" | pad(6)),
     (["run", "exec", "create", "start", "delete"][] as $m
      | ["nook", "runc", "crun", "floor"][] as $rt
      | $sec[$rt].metrics[$m] as $r
      | select($r != null and ($r.n > 0 or $r.failures > 0))
      | (if $rt == "nook" then null else $ratios[$mode]["nook/\($rt)"][$m] end) as $q
      | ($m | rpad(8)) + ($rt | rpad(8)) + ($r.wall_ms.median | ms | pad(9))
        + ($r.wall_ms.p90 | ms | pad(9)) + ($r.rss_kb.median | mib | pad(7))
        + (if $rt == "nook" then "" | pad(9) else ($q.wall | x | pad(9)) end)
        + (if $rt == "nook" then "" | pad(9) else ($q.rss | x | pad(9)) end)
        + ($r.failures | pad(6)))),
  "",
  "== what the agent profile costs: agent median / cgroupfs median, per runtime ==",
  (("metric" | rpad(8)) + ("nook" | pad(9)) + ("runc" | pad(9)) + ("crun" | pad(9))),
  (.agent_cost as $c
   | ["run", "exec", "create", "start", "delete"][] as $k
   | select([$c[][$k]] | any(. != null))
   | ($k | rpad(8)) + ($c.nook[$k] | x | pad(9)) + ($c.runc[$k] | x | pad(9)) + ($c.crun[$k] | x | pad(9)))
