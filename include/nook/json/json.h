// The one JSON wrapper: typed reading of a parsed document (yajl's tree parser) and a
// generator for output. No JSON is built by string concatenation anywhere else.
// Not for the child: parsing and generating allocate.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nook/base/result.h"

struct yajl_val_s;
struct yajl_gen_t;

namespace nook::json {

enum class Kind { Null, Bool, Number, String, Object, Array };

// A non-owning view of one node of a Document; cheap to copy. A default Value is "absent".
class Value {
 public:
  Value() = default;
  explicit Value(yajl_val_s* v) : v_(v) {}

  bool present() const { return v_ != nullptr; }
  Kind kind() const;
  bool is_null() const { return present() && kind() == Kind::Null; }
  bool is_object() const { return present() && kind() == Kind::Object; }
  bool is_array() const { return present() && kind() == Kind::Array; }
  bool is_string() const { return present() && kind() == Kind::String; }
  bool is_number() const { return present() && kind() == Kind::Number; }
  bool is_bool() const { return present() && kind() == Kind::Bool; }

  // Object member by key, absent if missing (or if this is not an object).
  Value get(std::string_view key) const;
  // Object members in document order.
  size_t size() const;  // members of an object or elements of an array
  std::string_view key_at(size_t i) const;
  Value at(size_t i) const;  // i-th element (array) or member value (object)

  std::string_view string() const;       // "" unless a string
  bool boolean() const;                  // false unless a bool
  std::string_view number_text() const;  // the number as written

 private:
  yajl_val_s* v_ = nullptr;
};

// Numbers as written, checked for range: the callers name the field in errors.
std::optional<int64_t> to_int64(Value v);
std::optional<uint64_t> to_uint64(Value v);

std::string_view kind_name(Kind k);

// An owned parsed document.
class Document {
 public:
  static Result<Document> parse(std::string_view text);
  Value root() const { return Value(root_.get()); }

 private:
  struct Free {
    void operator()(yajl_val_s* v) const;
  };
  std::unique_ptr<yajl_val_s, Free> root_;
};

// JSON output. Errors (mismatched begin/end) are programming errors and abort.
class Writer {
 public:
  // Indented matches Go's json.MarshalIndent(v, "", indent) byte for byte: `"key": value`,
  // one member per line, `[]`/`{}` for empties, no trailing newline.
  enum class Style { Compact, Indented };
  explicit Writer(Style style = Style::Compact, std::string_view indent = "  ");
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  Writer& begin_object();
  Writer& end_object();
  Writer& begin_array();
  Writer& end_array();
  Writer& key(std::string_view k);
  Writer& string(std::string_view s);
  Writer& integer(int64_t n);
  Writer& uinteger(uint64_t n);
  Writer& boolean(bool b);
  Writer& null();
  // Copies a parsed subtree (numbers as written).
  Writer& value(Value v);
  // Convenience: key + value.
  Writer& member(std::string_view k, std::string_view s) { return key(k).string(s); }
  Writer& member(std::string_view k, const char* s) { return key(k).string(s); }
  Writer& member(std::string_view k, int64_t n) { return key(k).integer(n); }
  Writer& member(std::string_view k, bool b) { return key(k).boolean(b); }

  // The document so far.
  std::string str() const;

 private:
  yajl_gen_t* gen_;
  bool indented_ = false;
  std::string indent_;
};

// Writes object `obj` (an empty one when `obj` is absent or null) to `w` member by member:
// `edit(key, value)` either writes the member itself, key and value, and returns true, or
// returns false to have it copied unchanged. Then each key of `add` that `obj` lacks is offered
// to `edit` with an absent value. Rewrites a document in one pass, without a mutable tree.
void rewrite_object(Writer& w, Value obj, std::initializer_list<std::string_view> add,
                    const std::function<bool(std::string_view key, Value value)>& edit);

// A parsed subtree as compact JSON text ("" for an absent value).
std::string to_string(Value v);
// Re-indents compact JSON the way Go's json.Indent(dst, src, "", indent) does.
std::string indent_compact(std::string_view compact, std::string_view indent);

}  // namespace nook::json
