// The Go-style flag parser and kill's signal names.
#include <gtest/gtest.h>
#include <signal.h>

#include "nook/cli/flags.h"
#include "nook/linux/signals.h"

namespace nook {
namespace {

struct Opts {
  std::string bundle, pid_file;
  bool detach = false;
  int fds = 0;
};

cli::FlagSet flags(Opts& o) {
  cli::FlagSet f;
  f.add("bundle,b", &o.bundle).add("pid-file", &o.pid_file).add("detach,d", &o.detach)
      .add("preserve-fds", &o.fds);
  return f;
}

TEST(Flags, AcceptsEveryGoSpelling) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"--bundle", "/b", "id"}, {"-bundle", "/b", "id"}, {"--bundle=/b", "id"},
           {"-b", "/b", "id"}, {"-b=/b", "id"}}) {
    Opts o;
    bool help = false;
    auto pos = flags(o).parse(args, &help);
    ASSERT_TRUE(pos.ok()) << pos.error().text();
    EXPECT_EQ(o.bundle, "/b");
    EXPECT_EQ(*pos, std::vector<std::string>{"id"});
  }
}

TEST(Flags, BooleansTakeNoValueUnlessAttached) {
  Opts o;
  bool help = false;
  auto pos = flags(o).parse({"-d", "id"}, &help);
  ASSERT_TRUE(pos.ok());
  EXPECT_TRUE(o.detach);
  EXPECT_EQ(pos->at(0), "id");
  ASSERT_TRUE(flags(o).parse({"--detach=false", "id"}, &help).ok());
  EXPECT_FALSE(o.detach);
  EXPECT_FALSE(flags(o).parse({"--detach=maybe"}, &help).ok());
}

// runc reorders flags before positionals (`runc delete ID --force`), except for exec and ps.
TEST(Flags, FlagsMayFollowPositionalsUntilDoubleDash) {
  Opts o;
  bool help = false;
  auto pos = flags(o).parse({"id", "--bundle", "/x", "more"}, &help);
  ASSERT_TRUE(pos.ok());
  EXPECT_EQ(o.bundle, "/x");
  EXPECT_EQ(*pos, (std::vector<std::string>{"id", "more"}));
  pos = flags(o).parse({"id", "--", "-id", "--bundle"}, &help);
  ASSERT_TRUE(pos.ok());
  EXPECT_EQ(*pos, (std::vector<std::string>{"id", "-id", "--bundle"}));
}

TEST(Flags, StopAtPositionalLeavesACommandLineAlone) {
  Opts o;
  bool help = false;
  auto pos = flags(o).stop_at_positional().parse({"id", "ls", "--bundle", "/x"}, &help);
  ASSERT_TRUE(pos.ok());
  EXPECT_EQ(o.bundle, "");
  EXPECT_EQ(pos->size(), 4u);
}

TEST(Flags, ErrorsNameTheFlag) {
  Opts o;
  bool help = false;
  auto r = flags(o).parse({"--nope"}, &help);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().text(), "flag provided but not defined: -nope");
  r = flags(o).parse({"--pid-file"}, &help);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().text().find("-pid-file"), std::string::npos);
  r = flags(o).parse({"--preserve-fds", "x"}, &help);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().text().find("preserve-fds"), std::string::npos);
}

TEST(Flags, HelpIsRecognisedAnywhereBeforePositionals) {
  Opts o;
  bool help = false;
  ASSERT_TRUE(flags(o).parse({"-b", "x", "--help"}, &help).ok());
  EXPECT_TRUE(help);
}

TEST(Flags, ArgumentCounts) {
  EXPECT_TRUE(cli::expect_args({"a"}, 1, 1, "start").ok());
  auto r = cli::expect_args({}, 1, 1, "start");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().text().find("exactly 1"), std::string::npos);
  EXPECT_FALSE(cli::expect_args({"a", "b", "c"}, 1, 2, "kill").ok());
}

TEST(Signals, NamesNumbersAndCase) {
  EXPECT_EQ(linux::parse_signal("KILL"), SIGKILL);
  EXPECT_EQ(linux::parse_signal("SIGKILL"), SIGKILL);
  EXPECT_EQ(linux::parse_signal("usr2"), SIGUSR2);
  EXPECT_EQ(linux::parse_signal("sigterm"), SIGTERM);
  EXPECT_EQ(linux::parse_signal("9"), 9);
  EXPECT_EQ(linux::parse_signal("+15"), 15);  // Go's Atoi takes a sign, so runc does
  EXPECT_EQ(linux::parse_signal("RTMIN+2"), SIGRTMIN + 2);
  EXPECT_EQ(linux::parse_signal("RTMAX-1"), SIGRTMAX - 1);
}

TEST(Signals, RejectsUnknownAndOutOfRange) {
  EXPECT_FALSE(linux::parse_signal("FOO").has_value());
  EXPECT_EQ(linux::parse_signal("0"), 0);        // existence probe, as runc
  EXPECT_EQ(linux::parse_signal(""), SIGTERM);  // runc's default
  EXPECT_FALSE(linux::parse_signal("65").has_value());
  EXPECT_FALSE(linux::parse_signal("-9").has_value());
  EXPECT_FALSE(linux::parse_signal("+").has_value());
  EXPECT_FALSE(linux::parse_signal("++9").has_value());
  EXPECT_FALSE(linux::parse_signal("RTMIN+99").has_value());
}

}  // namespace
}  // namespace nook
