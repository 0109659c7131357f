// yajl behind the json:: wrapper: tree parsing for input, yajl_gen for output. Indented
// output is yajl's compact output re-indented the way Go's encoding/json does it, because
// yajl's beautifier differs from Go (`{\n}` for empties, a trailing newline) and runc's
// output is the reference.
#include "nook/json/json.h"

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>

namespace nook::json {

Kind Value::kind() const {
  switch (v_->type) {
    case yajl_t_string:
      return Kind::String;
    case yajl_t_number:
      return Kind::Number;
    case yajl_t_object:
      return Kind::Object;
    case yajl_t_array:
      return Kind::Array;
    case yajl_t_true:
    case yajl_t_false:
      return Kind::Bool;
    default:
      return Kind::Null;
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

std::string_view Value::key_at(size_t i) const {
  return v_->u.object.keys[i];
}

Value Value::at(size_t i) const {
  if (is_object()) return Value(v_->u.object.values[i]);
  return Value(v_->u.array.values[i]);
}

std::string_view Value::string() const {
  return is_string() ? v_->u.string : "";
}
bool Value::boolean() const {
  return present() && v_->type == yajl_t_true;
}
std::string_view Value::number_text() const {
  return is_number() ? v_->u.number.r : "";
}

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
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return "boolean";
    case Kind::Number:
      return "number";
    case Kind::String:
      return "string";
    case Kind::Object:
      return "object";
    case Kind::Array:
      return "array";
  }
  return "?";
}

void Document::Free::operator()(yajl_val_s* v) const {
  yajl_tree_free(v);
}

namespace {

// yajl builds a tree of any depth, but its generator stops at 128 levels (and aborts us), and
// nook writes parsed objects back out: raw members, the agent profile's rewrite. So deeper
// documents are refused here, as a parse error; no config needs more than a handful of levels.
// A NUL byte would end the text yajl sees early, so it is refused too.
constexpr int kMaxDepth = 100;

std::string structure_problem(std::string_view text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\0') return "NUL byte at offset " + std::to_string(i);
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return "nested deeper than " + std::to_string(kMaxDepth) + " levels";
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return "";
}

}  // namespace

Result<Document> Document::parse(std::string_view text) {
  if (std::string problem = structure_problem(text); !problem.empty())
    return make_error("invalid JSON: " + problem);
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

Writer::Writer(Style style, std::string_view indent)
    : gen_(yajl_gen_alloc(nullptr)), indented_(style == Style::Indented), indent_(indent) {
  yajl_gen_config(gen_, yajl_gen_validate_utf8, 0);
}

Writer::~Writer() {
  yajl_gen_free(gen_);
}

static void check(yajl_gen_status s) {
  if (s != yajl_gen_status_ok) std::abort();
}

Writer& Writer::begin_object() {
  check(yajl_gen_map_open(gen_));
  return *this;
}
Writer& Writer::end_object() {
  check(yajl_gen_map_close(gen_));
  return *this;
}
Writer& Writer::begin_array() {
  check(yajl_gen_array_open(gen_));
  return *this;
}
Writer& Writer::end_array() {
  check(yajl_gen_array_close(gen_));
  return *this;
}
Writer& Writer::key(std::string_view k) {
  return string(k);
}
Writer& Writer::string(std::string_view s) {
  check(yajl_gen_string(gen_, reinterpret_cast<const unsigned char*>(s.data()), s.size()));
  return *this;
}
Writer& Writer::integer(int64_t n) {
  check(yajl_gen_integer(gen_, n));
  return *this;
}
Writer& Writer::uinteger(uint64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  check(yajl_gen_number(gen_, buf, end - buf));
  return *this;
}
Writer& Writer::boolean(bool b) {
  check(yajl_gen_bool(gen_, b));
  return *this;
}
Writer& Writer::null() {
  check(yajl_gen_null(gen_));
  return *this;
}

Writer& Writer::value(Value v) {
  if (!v.present()) return null();
  switch (v.kind()) {
    case Kind::Null:
      return null();
    case Kind::Bool:
      return boolean(v.boolean());
    case Kind::Number: {
      auto text = v.number_text();
      check(yajl_gen_number(gen_, text.data(), text.size()));
      return *this;
    }
    case Kind::String:
      return string(v.string());
    case Kind::Object:
      begin_object();
      for (size_t i = 0; i < v.size(); ++i) key(v.key_at(i)).value(v.at(i));
      return end_object();
    case Kind::Array:
      begin_array();
      for (size_t i = 0; i < v.size(); ++i) value(v.at(i));
      return end_array();
  }
  return *this;
}

std::string Writer::str() const {
  const unsigned char* buf = nullptr;
  size_t len = 0;
  yajl_gen_get_buf(gen_, &buf, &len);
  std::string_view compact(reinterpret_cast<const char*>(buf), len);
  if (indented_) return indent_compact(compact, indent_);
  return std::string(compact);
}

std::string to_string(Value v) {
  if (!v.present()) return "";
  Writer w;
  w.value(v);
  return w.str();
}

void rewrite_object(Writer& w, Value obj, std::initializer_list<std::string_view> add,
                    const std::function<bool(std::string_view key, Value value)>& edit) {
  w.begin_object();
  size_t n = obj.is_object() ? obj.size() : 0;
  for (size_t i = 0; i < n; ++i) {
    std::string_view key = obj.key_at(i);
    if (!edit(key, obj.at(i))) w.key(key).value(obj.at(i));
  }
  for (std::string_view key : add)
    if (!obj.is_object() || !obj.get(key).present()) edit(key, Value());
  w.end_object();
}

std::string indent_compact(std::string_view compact, std::string_view indent) {
  std::string out;
  out.reserve(compact.size() * 2);
  int depth = 0;
  // Set after `{` or `[`: the newline is deferred so that empties print as `{}` and `[]`.
  bool pending_open = false;
  bool in_string = false;
  bool escaped = false;
  auto newline = [&](int d) {
    out += '\n';
    for (int i = 0; i < d; ++i) out += indent;
  };
  for (char c : compact) {
    if (in_string) {
      out += c;
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (pending_open && c != '}' && c != ']') {
      pending_open = false;
      newline(depth);
    }
    switch (c) {
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[':
        out += c;
        ++depth;
        pending_open = true;
        break;
      case ',':
        out += c;
        newline(depth);
        break;
      case ':':
        out += ": ";
        break;
      case '}':
      case ']':
        --depth;
        if (pending_open)
          pending_open = false;
        else
          newline(depth);
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace nook::json
