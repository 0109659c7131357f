// yajl behind the json:: wrapper: tree parsing for input, yajl_gen for output.
#include "nook/json/json.h"

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>

namespace nook::json {

Kind Value::kind() const {
  switch (v_->type) {
    case yajl_t_string: return Kind::String;
    case yajl_t_number: return Kind::Number;
    case yajl_t_object: return Kind::Object;
    case yajl_t_array: return Kind::Array;
    case yajl_t_true:
    case yajl_t_false: return Kind::Bool;
    default: return Kind::Null;
  }
}

Value Value::get(std::string_view key) const {
  if (!is_object()) return Value();
  for (size_t i = 0; i < v_->u.object.len; ++i)
    if (key == v_->u.object.keys[i]) return Value(v_->u.object.values[i]);
  return Value();
}

size_t Value::size() const {
  if (is_object()) return v_->u.object.len;
  if (is_array()) return v_->u.array.len;
  return 0;
}

std::string_view Value::key_at(size_t i) const { return v_->u.object.keys[i]; }

Value Value::at(size_t i) const {
  if (is_object()) return Value(v_->u.object.values[i]);
  return Value(v_->u.array.values[i]);
}

std::string_view Value::string() const { return is_string() ? v_->u.string : ""; }
bool Value::boolean() const { return present() && v_->type == yajl_t_true; }
std::string_view Value::number_text() const { return is_number() ? v_->u.number.r : ""; }

std::optional<int64_t> to_int64(Value v) {
  auto text = v.number_text();
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::optional<uint64_t> to_uint64(Value v) {
  auto text = v.number_text();
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::Null: return "null";
    case Kind::Bool: return "boolean";
    case Kind::Number: return "number";
    case Kind::String: return "string";
    case Kind::Object: return "object";
    case Kind::Array: return "array";
  }
  return "?";
}

void Document::Free::operator()(yajl_val_s* v) const { yajl_tree_free(v); }

Result<Document> Document::parse(std::string_view text) {
  std::string copy(text);  // yajl_tree_parse wants a NUL-terminated buffer
  char err[256] = {0};
  yajl_val v = yajl_tree_parse(copy.c_str(), err, sizeof err);
  if (v == nullptr) {
    std::string msg(err);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    // yajl's messages span lines (a caret under the input); keep the first line only.
    if (auto nl = msg.find('\n'); nl != std::string::npos) msg.resize(nl);
    return make_error("invalid JSON: " + (msg.empty() ? std::string("parse error") : msg));
  }
  Document d;
  d.root_.reset(v);
  return d;
}

Writer::Writer(Style style) : gen_(yajl_gen_alloc(nullptr)) {
  if (style == Style::Indented) {
    yajl_gen_config(gen_, yajl_gen_beautify, 1);
    yajl_gen_config(gen_, yajl_gen_indent_string, "  ");
  }
  yajl_gen_config(gen_, yajl_gen_validate_utf8, 0);
}

Writer::~Writer() { yajl_gen_free(gen_); }

static void check(yajl_gen_status s) {
  if (s != yajl_gen_status_ok) std::abort();
}

Writer& Writer::begin_object() { check(yajl_gen_map_open(gen_)); return *this; }
Writer& Writer::end_object() { check(yajl_gen_map_close(gen_)); return *this; }
Writer& Writer::begin_array() { check(yajl_gen_array_open(gen_)); return *this; }
Writer& Writer::end_array() { check(yajl_gen_array_close(gen_)); return *this; }
Writer& Writer::key(std::string_view k) { return string(k); }
Writer& Writer::string(std::string_view s) {
  check(yajl_gen_string(gen_, reinterpret_cast<const unsigned char*>(s.data()), s.size()));
  return *this;
}
Writer& Writer::integer(int64_t n) { check(yajl_gen_integer(gen_, n)); return *this; }
Writer& Writer::uinteger(uint64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  check(yajl_gen_number(gen_, buf, end - buf));
  return *this;
}
Writer& Writer::boolean(bool b) { check(yajl_gen_bool(gen_, b)); return *this; }
Writer& Writer::null() { check(yajl_gen_null(gen_)); return *this; }

std::string Writer::str() const {
  const unsigned char* buf = nullptr;
  size_t len = 0;
  yajl_gen_get_buf(gen_, &buf, &len);
  return std::string(reinterpret_cast<const char*>(buf), len);
}

}  // namespace nook::json
