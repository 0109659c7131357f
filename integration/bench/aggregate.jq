# aggregate.jq: raw.tsv samples + status.tsv → results.json (see run.sh). Wall times in ms,
# peak RSS in KiB; median and p90 (nearest rank) over the successful samples.
def median: sort | if length == 0 then null
  elif length % 2 == 1 then .[(length - 1) / 2]
  else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def p90: sort | if length == 0 then null else .[((length * 0.9) | ceil) - 1] end;
def round3: if . == null then null else (. * 1000 | round) / 1000 end;
def stats: if length == 0 then null
  else {median: (median | round3), p90: (p90 | round3), min: (min | round3),
        max: (max | round3), mean: (add / length | round3)} end;
def lines: split("\n") | map(select(length > 0) | split("\t"));

($raw | lines | map({mode: .[0], runtime: .[1], metric: .[2], iter: (.[3] | tonumber),
                     ms: ((.[4] | tonumber) / 1e6), rss_kb: (.[5] | tonumber),
                     ok: (.[6] == "0")})) as $samples
| ($status | lines | map({runtime: .[0], mode: .[1], status: .[2], reason: .[3]})
   | reduce .[] as $s ({}; .[$s.mode][$s.runtime] = {status: $s.status}
       + (if $s.reason == "" then {} else {reason: $s.reason} end))) as $st
| def metrics($mode; $rt):
    [$samples[] | select(.mode == $mode and .runtime == $rt)] | group_by(.metric)
    | map({key: .[0].metric,
           value: (map(select(.ok)) as $good
                   | {n: ($good | length), failures: (length - ($good | length)),
                      wall_ms: ($good | map(.ms) | stats),
                      rss_kb: ($good | map(.rss_kb) | stats)})})
    | from_entries;
  def section($mode):
    # The floor runs no config.json: it has nothing to compare with the agent profile's.
    ["nook", "runc", "crun"] + (if $mode == "agent" then [] else ["floor"] end)
    | map(. as $rt | ($st[if $rt == "floor" then "none" else $mode end][$rt]
                      // {status: "failed", reason: "not run"}) as $s
          | {key: $rt,
             value: ($s + {metrics: metrics(if $rt == "floor" then "none" else $mode end; $rt)})})
    | from_entries;
  def ratio($a; $b): if $a == null or $b == null or $b == 0 then null
                     else ($a / $b * 1000 | round) / 1000 end;
  def ratios($sec):
    ["runc", "crun", "floor"]
    | map(. as $other
          | {key: "nook/\($other)",
             value: ($sec.nook.metrics | to_entries
                     | map(.key as $m | select($sec[$other].metrics[$m] != null)
                           | {key: $m,
                              value: {wall: ratio(.value.wall_ms.median;
                                                  $sec[$other].metrics[$m].wall_ms.median),
                                      rss: ratio(.value.rss_kb.median;
                                                 $sec[$other].metrics[$m].rss_kb.median)}})
                     | from_entries)})
    | from_entries;
  {meta: {n: $n, warmup: $warmup, date: $date, kernel: $kernel, cpus: ($cpus | tonumber),
          loadavg_before: $load,
          cgroup: $cgroup, workload: "busybox bundle from `runc spec` (mode agent: `nook spec --agent`), args [\"/bin/true\"]",
          state: "--root on a tmpfs, bundles on disk; runtimes in a random order each iteration",
          versions: {nook: $v_nook, runc: $v_runc, crun: $v_crun}},
   modes: (["cgroupfs", "disabled", "agent"] | map({key: ., value: section(.)}) | from_entries)}
  | .ratios = (.modes | map_values(ratios(.)))
  # What the agent profile costs each runtime: its agent-mode median over its cgroupfs one.
  | .modes as $m
  | .agent_cost = (["nook", "runc", "crun"]
      | map(. as $rt
            | {key: $rt,
               value: ($m.agent[$rt].metrics | to_entries
                       | map(.key as $k | select($m.cgroupfs[$rt].metrics[$k] != null)
                             | {key: $k,
                                value: ratio(.value.wall_ms.median;
                                             $m.cgroupfs[$rt].metrics[$k].wall_ms.median)})
                       | from_entries)})
      | from_entries)
