// User namespace id maps as data; see id_map.h. Pure.
#include "nook/spec/id_map.h"

#include <charconv>

#include "nook/base/split.h"

namespace nook::spec {
namespace {

std::string triple(const IdMapping& m) {
  return std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
         std::to_string(m.size);
}

bool parse_u64(std::string_view s, uint64_t& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::string format_id_map(const std::vector<IdMapping>& maps) {
  std::string text;
  for (const auto& m : maps) text += triple(m) + "\n";
  return text;
}

std::vector<std::string> id_map_args(const std::vector<IdMapping>& maps) {
  std::vector<std::string> args;
  for (const auto& m : maps) {
    args.push_back(std::to_string(m.container_id));
    args.push_back(std::to_string(m.host_id));
    args.push_back(std::to_string(m.size));
  }
  return args;
}

bool maps_id(const std::vector<IdMapping>& maps, uint32_t id) {
  for (const auto& m : maps)
    if (id >= m.container_id && uint64_t{id} < uint64_t{m.container_id} + m.size) return true;
  return false;
}

bool is_own_id_only(const std::vector<IdMapping>& maps, uint32_t own) {
  return maps.size() == 1 && maps[0].host_id == own && maps[0].size == 1;
}

std::vector<SubIdRange> parse_subids(std::string_view text, std::string_view name, uint32_t id) {
  std::vector<SubIdRange> ranges;
  std::string id_text = std::to_string(id);
  for (auto line : split(text, '\n')) {
    auto f = split(line, ':');
    if (f.size() != 3 || (f[0] != name && f[0] != id_text)) continue;
    SubIdRange r;
    if (parse_u64(f[1], r.start) && parse_u64(f[2], r.count) && r.count > 0) ranges.push_back(r);
  }
  return ranges;
}

int first_unallowed_mapping(const std::vector<IdMapping>& maps, uint32_t own,
                            const std::vector<SubIdRange>& ranges) {
  for (size_t i = 0; i < maps.size(); ++i) {
    const IdMapping& m = maps[i];
    if (m.host_id == own && m.size == 1) continue;
    bool inside = false;
    for (const auto& r : ranges)
      inside |= m.host_id >= r.start && uint64_t{m.host_id} + m.size <= r.start + r.count;
    if (!inside) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace nook::spec
