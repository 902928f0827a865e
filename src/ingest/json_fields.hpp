// Named fields of a JSON line: "content", or a dotted path into nested objects ("meta.lang").
// The reader takes a document's fields out of its line with these, and the kept-line writer
// puts them back where they were.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace neardup::detail {

// A field name as given; its dots spell a path through nested objects (so a key that itself
// holds a dot cannot be named).
class FieldPath {
 public:
  explicit FieldPath(std::string name) : name_(std::move(name)) {
    std::size_t begin = 0;
    for (std::size_t dot; (dot = name_.find('.', begin)) != std::string::npos; begin = dot + 1) parts_.push_back(name_.substr(begin, dot - begin));
    parts_.push_back(name_.substr(begin));
  }

  const std::string& name() const noexcept { return name_; }
  bool nested() const noexcept { return parts_.size() > 1; }

  // The value at this path in `object`, or null when there is none.
  template <class Json>
  Json* find(Json& object) const {
    Json* at = &object;
    for (const std::string& part : parts_) {
      if (!at->is_object()) return nullptr;
      const auto it = at->find(part);
      if (it == at->end()) return nullptr;
      at = &*it;
    }
    return at;
  }

  // Removes the value that find() returns; the objects around it stay, even when empty.
  template <class Json>
  void erase(Json& object) const {
    Json* at = &object;
    for (std::size_t i = 0; i + 1 < parts_.size(); ++i) {
      const auto it = at->find(parts_[i]);
      if (it == at->end() || !it->is_object()) return;
      at = &*it;
    }
    if (at->is_object()) at->erase(parts_.back());
  }

  // Sets the value at this path, making the objects on the way when they are missing (a field
  // taken out of a nested object goes back into it).
  template <class Json, class Value>
  void set(Json& object, Value&& value) const {
    Json* at = &object;
    for (std::size_t i = 0; i + 1 < parts_.size(); ++i) {
      Json& next = (*at)[parts_[i]];
      if (!next.is_object()) next = Json::object();
      at = &next;
    }
    (*at)[parts_.back()] = std::forward<Value>(value);
  }

 private:
  std::string name_;
  std::vector<std::string> parts_;
};

// nlohmann's SAX events for a JSON line, keeping only the string value of one top-level field:
// the object, its other fields and their strings are never built. nlohmann still checks the
// whole line and decodes the escapes, so the text is exactly the one the full reader takes; a
// field given twice counts the last time, as in the object nlohmann builds.
template <class Json>
class TopLevelString {
 public:
  using String = typename Json::string_t;
  explicit TopLevelString(std::string_view name) : name_(name) {}

  // The value when the line is an object whose field is a string.
  std::optional<String> take() {
    if (state_ != State::string) return std::nullopt;
    return std::move(value_);
  }

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(typename Json::number_integer_t) { return value(); }
  bool number_unsigned(typename Json::number_unsigned_t) { return value(); }
  bool number_float(typename Json::number_float_t, const String&) { return value(); }
  bool binary(typename Json::binary_t&) { return value(); }
  bool string(String& text) {
    if (depth_ != 1 || !at_field_) return value();
    value_ = std::move(text);
    state_ = State::string;
    at_field_ = false;
    return true;
  }
  bool key(String& name) {
    at_field_ = depth_ == 1 && name == name_;
    return true;
  }
  bool start_object(std::size_t) { return open(); }
  bool start_array(std::size_t) { return depth_ > 0 && open(); }  // a line that is an array is not a document
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

 private:
  enum class State { absent, string, other };

  // A value other than a string: the line's (no document), the field's (not a string), or another's.
  bool value() {
    if (depth_ == 0) return false;
    if (depth_ == 1 && at_field_) state_ = State::other;
    at_field_ = false;
    return true;
  }
  // An object or array: the line itself, or the value of a field.
  bool open() {
    if (depth_ > 0) value();
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  std::string_view name_;
  std::size_t depth_ = 0;
  bool at_field_ = false;  // the last key of the top-level object was the field's, and its value is next
  State state_ = State::absent;
  String value_;
};

}  // namespace neardup::detail

namespace neardup::detail {

// Bounds on a JSON line, checked before it is parsed: nesting deeper than this would exhaust
// the stack of the parser's callers (destruction, dumping), and an object's fields are kept in
// order by a flat map whose insertion is linear, so a line of very many fields costs their
// square.
inline constexpr std::size_t max_json_depth = 512;
inline constexpr std::size_t max_json_fields = 10000;

// What is wrong with the shape of a JSON line, or "" when it is within bounds: one pass over the
// bytes, outside strings counting the nesting depth and the fields (':' separators).
inline std::string json_shape_problem(std::string_view line) {
  std::size_t depth = 0, fields = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    switch (line[i]) {
      case '"':
        for (++i; i < line.size() && line[i] != '"'; ++i)
          if (line[i] == '\\') ++i;
        break;
      case '{':
      case '[':
        if (++depth > max_json_depth)
          return "the line is nested deeper than " + std::to_string(max_json_depth) + " levels; flatten its objects and arrays";
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;
        break;
      case ':':
        if (++fields > max_json_fields)
          return "the line has more than " + std::to_string(max_json_fields) + " fields; keep the fields a document needs";
        break;
      default:
        break;
    }
  }
  return {};
}

}  // namespace neardup::detail
