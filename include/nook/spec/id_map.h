// User namespace id maps as data: the uid_map/gid_map text and newuidmap arguments for a list
// of mappings, which ids a list maps, and the subordinate id ranges of /etc/subuid and
// /etc/subgid (shadow's subid(5) format). Pure; unit-tested.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nook/spec/config.h"

namespace nook::spec {

// "CONTAINER HOST SIZE\n" per mapping, as /proc/PID/uid_map takes them in one write.
std::string format_id_map(const std::vector<IdMapping>& maps);
// The same triples as separate arguments, for newuidmap/newgidmap after the pid.
std::vector<std::string> id_map_args(const std::vector<IdMapping>& maps);

// True when container id `id` falls in one of the mappings.
bool maps_id(const std::vector<IdMapping>& maps, uint32_t id);
// True for the one mapping an unprivileged process may write itself: {0 or any, `own`, 1}.
bool is_own_id_only(const std::vector<IdMapping>& maps, uint32_t own);

struct SubIdRange {
  uint64_t start = 0, count = 0;
};
// The ranges of /etc/subuid-style `text` granted to the user `name` or numeric `id`
// ("name:start:count" lines; malformed lines are skipped, as shadow does).
std::vector<SubIdRange> parse_subids(std::string_view text, std::string_view name, uint32_t id);
// Index of the first mapping whose host ids are neither `own` alone nor inside `ranges`
// (what newuidmap would refuse), or -1 when all are allowed.
int first_unallowed_mapping(const std::vector<IdMapping>& maps, uint32_t own,
                            const std::vector<SubIdRange>& ranges);

}  // namespace nook::spec
