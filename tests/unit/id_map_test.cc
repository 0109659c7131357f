// Tests of src/spec/id_map: the uid_map text and newuidmap arguments, which ids a mapping
// covers, and /etc/subuid parsing with newuidmap's rule. (The validator's mapping rules are
// in spec_test.cc.)
#include "nook/spec/id_map.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nook::spec {
namespace {

std::vector<IdMapping> maps(std::initializer_list<IdMapping> l) {
  return l;
}

TEST(IdMapText, FormatsKernelLinesAndToolArguments) {
  auto m = maps({{0, 1000, 1}, {1, 100000, 65536}});
  EXPECT_EQ(format_id_map(m), "0 1000 1\n1 100000 65536\n");
  EXPECT_EQ(id_map_args(m), (std::vector<std::string>{"0", "1000", "1", "1", "100000", "65536"}));
}

TEST(IdMapText, MapsIdCoversHalfOpenRanges) {
  auto m = maps({{0, 1000, 1}, {10, 100000, 5}});
  EXPECT_TRUE(maps_id(m, 0));
  EXPECT_FALSE(maps_id(m, 1));
  EXPECT_TRUE(maps_id(m, 10));
  EXPECT_TRUE(maps_id(m, 14));
  EXPECT_FALSE(maps_id(m, 15));
  EXPECT_TRUE(maps_id(maps({{4294967294u, 1, 1}}), 4294967294u));
}

TEST(IdMapText, OwnIdOnlyIsTheSingleUnprivilegedMapping) {
  EXPECT_TRUE(is_own_id_only(maps({{0, 1000, 1}}), 1000));
  EXPECT_FALSE(is_own_id_only(maps({{0, 1000, 2}}), 1000));
  EXPECT_FALSE(is_own_id_only(maps({{0, 1000, 1}, {1, 100000, 10}}), 1000));
  EXPECT_FALSE(is_own_id_only(maps({{0, 1001, 1}}), 1000));
}

TEST(IdMapSubIds, ParsesTheUsersLinesByNameOrUid) {
  std::string text =
      "alice:100000:65536\nbob:165536:65536\n# comment\n1001:300000:10\nalice:x:1\n"
      "alice:400000:0\nalice:500000:5\n";
  auto r = parse_subids(text, "alice", 1001);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].start, 100000u);
  EXPECT_EQ(r[0].count, 65536u);
  EXPECT_EQ(r[1].start, 300000u);
  EXPECT_EQ(r[2].start, 500000u);
  EXPECT_TRUE(parse_subids(text, "carol", 7).empty());
}

TEST(IdMapSubIds, NewuidmapRuleOwnIdOrInsideARange) {
  std::vector<SubIdRange> r = {{100000, 65536}};
  EXPECT_EQ(first_unallowed_mapping(maps({{0, 1000, 1}, {1, 100000, 65536}}), 1000, r), -1);
  EXPECT_EQ(first_unallowed_mapping(maps({{0, 1000, 1}, {1, 100000, 65537}}), 1000, r), 1);
  EXPECT_EQ(first_unallowed_mapping(maps({{0, 1000, 2}}), 1000, r), 0);
  EXPECT_EQ(first_unallowed_mapping(maps({{0, 99999, 1}}), 1000, r), 0);
  EXPECT_EQ(first_unallowed_mapping(maps({{0, 1000, 1}}), 1000, {}), -1);
}

}  // namespace
}  // namespace nook::spec
