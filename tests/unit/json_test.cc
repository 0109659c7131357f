// Tests of the json:: wrapper: typed reading of yajl trees, number range checks, the
// generator, and the Go-compatible indentation that `nook spec` relies on.
#include "nook/json/json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace nook::json {
namespace {

Document parse_ok(std::string_view text) {
  auto doc = Document::parse(text);
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().text());
  return std::move(doc).value();
}

TEST(JsonParse, ReadsEveryKindAndKeepsMemberOrder) {
  auto doc = parse_ok(R"({"b": true, "a": [1, "x", null], "n": -12, "s": "hé", "o": {}})");
  Value root = doc.root();
  ASSERT_TRUE(root.is_object());
  ASSERT_EQ(root.size(), 5u);
  EXPECT_EQ(root.key_at(0), "b");
  EXPECT_EQ(root.key_at(1), "a");
  EXPECT_TRUE(root.get("b").boolean());
  EXPECT_TRUE(root.get("a").is_array());
  EXPECT_EQ(root.get("a").size(), 3u);
  EXPECT_EQ(root.get("a").at(1).string(), "x");
  EXPECT_TRUE(root.get("a").at(2).is_null());
  EXPECT_EQ(root.get("n").number_text(), "-12");
  EXPECT_EQ(root.get("s").string(), "hé");
  EXPECT_TRUE(root.get("o").is_object());
  EXPECT_FALSE(root.get("missing").present());
  EXPECT_FALSE(root.get("n").get("x").present());  // get on a non-object is absent
}

TEST(JsonParse, MalformedInputIsOneLineInvalidJsonError) {
  auto doc = Document::parse(R"({"a": )");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().message.rfind("invalid JSON: ", 0), 0u) << doc.error().message;
  EXPECT_EQ(doc.error().message.find('\n'), std::string::npos);
}

// Deeper documents would abort yajl's generator when nook writes them back out.
TEST(JsonParse, NestingDeeperThanAHundredLevelsIsRefused) {
  auto nested = [](int depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  EXPECT_TRUE(Document::parse(nested(100)).ok());
  auto doc = Document::parse(nested(101));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().message, "invalid JSON: nested deeper than 100 levels");
  // Brackets inside strings, escaped quotes included, are not nesting.
  EXPECT_TRUE(Document::parse("[\"" + std::string(200, '[') + "\\\"\"]").ok());
}

TEST(JsonParse, ANulByteIsRefusedNotTruncatedAt) {
  auto doc = Document::parse(std::string_view("{\"a\": 1}\0{", 10));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().message, "invalid JSON: NUL byte at offset 8");
}

TEST(JsonNumbers, RangeChecksSignedAndUnsigned) {
  auto doc =
      parse_ok(R"([18446744073709551615, -1, 9223372036854775807, 1.5, 18446744073709551616])");
  Value a = doc.root();
  EXPECT_EQ(to_uint64(a.at(0)), UINT64_MAX);
  EXPECT_FALSE(to_int64(a.at(0)).has_value());
  EXPECT_EQ(to_int64(a.at(1)), -1);
  EXPECT_FALSE(to_uint64(a.at(1)).has_value());
  EXPECT_EQ(to_int64(a.at(2)), INT64_MAX);
  EXPECT_FALSE(to_int64(a.at(3)).has_value());   // not an integer
  EXPECT_FALSE(to_uint64(a.at(4)).has_value());  // overflows uint64
}

TEST(JsonWriter, CompactOutputEscapesStrings) {
  Writer w;
  w.begin_object().member("s", "a\"b\\c\nd").member("n", int64_t{-3});
  w.key("u").uinteger(UINT64_MAX).key("t").boolean(true).key("z").null();
  w.end_object();
  EXPECT_EQ(w.str(), R"({"s":"a\"b\\c\nd","n":-3,"u":18446744073709551615,"t":true,"z":null})");
}

TEST(JsonWriter, IndentedMatchesGoMarshalIndent) {
  // What Go's json.MarshalIndent(v, "", "  ") prints for the same document.
  Writer w(Writer::Style::Indented);
  w.begin_object();
  w.member("a", int64_t{1});
  w.key("empty_array").begin_array().end_array();
  w.key("empty_object").begin_object().end_object();
  w.key("list").begin_array().string("x").begin_object().member("k", false).end_object();
  w.end_array();
  w.end_object();
  EXPECT_EQ(w.str(),
            "{\n"
            "  \"a\": 1,\n"
            "  \"empty_array\": [],\n"
            "  \"empty_object\": {},\n"
            "  \"list\": [\n"
            "    \"x\",\n"
            "    {\n"
            "      \"k\": false\n"
            "    }\n"
            "  ]\n"
            "}");
}

TEST(JsonWriter, IndentUsesTheGivenIndentString) {
  Writer w(Writer::Style::Indented, "\t");
  w.begin_object().key("a").begin_array().string("b").end_array().end_object();
  EXPECT_EQ(w.str(), "{\n\t\"a\": [\n\t\t\"b\"\n\t]\n}");
}

TEST(JsonIndent, LeavesStringContentAlone) {
  EXPECT_EQ(indent_compact(R"({"k":"{,:[\"]}"})", "  "), "{\n  \"k\": \"{,:[\\\"]}\"\n}");
}

TEST(JsonToString, RoundTripsASubtreeWithNumbersAsWritten) {
  auto doc = parse_ok(R"({"r": {"cpu": {"shares": 1.5e3, "quota": -1}, "l": [true, null, "s"]}})");
  EXPECT_EQ(to_string(doc.root().get("r")),
            R"({"cpu":{"shares":1.5e3,"quota":-1},"l":[true,null,"s"]})");
  EXPECT_EQ(to_string(Value()), "");
}

TEST(JsonWriter, ValueCopiesASubtreeIntoALargerDocument) {
  auto doc = parse_ok(R"({"x": [1, {"y": "z"}]})");
  Writer w;
  w.begin_object().key("copy").value(doc.root().get("x")).end_object();
  EXPECT_EQ(w.str(), R"({"copy":[1,{"y":"z"}]})");
}

TEST(JsonRewrite, EditsCopiesAndAddsMembersInOnePass) {
  auto doc = Document::parse(R"({"a": 1, "b": {"c": 2}, "d": [3]})");
  ASSERT_TRUE(doc.ok());
  Writer w;
  rewrite_object(w, doc->root(), {"b", "e"}, [&](std::string_view key, Value v) {
    if (key == "a") return true;  // dropped
    if (key == "b") {
      w.key(key);
      rewrite_object(w, v, {"x"}, [&](std::string_view k, Value) {
        if (k != "x") return false;
        w.member("x", true);
        return true;
      });
      return true;
    }
    if (key == "e") {
      w.member("e", "added");
      return true;
    }
    return false;
  });
  EXPECT_EQ(w.str(), R"({"b":{"c":2,"x":true},"d":[3],"e":"added"})");
  // An absent object is written as an empty one, with the additions.
  Writer empty;
  rewrite_object(empty, Value(), {"k"}, [&](std::string_view k, Value) {
    empty.member(k, int64_t{1});
    return true;
  });
  EXPECT_EQ(empty.str(), R"({"k":1})");
}

TEST(JsonKinds, NamesAreTheOnesErrorsUse) {
  EXPECT_EQ(kind_name(Kind::Bool), "boolean");
  EXPECT_EQ(kind_name(Kind::String), "string");
  EXPECT_EQ(kind_name(Kind::Object), "object");
}

}  // namespace
}  // namespace nook::json
