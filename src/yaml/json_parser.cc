// ParseJson: simdjson's on-demand parser into the arena model. Numbers keep
// their source text; a number with a fraction or exponent is a kFloat.
#include <simdjson.h>

#include <string>

#include "yaml/key_intern.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

namespace od = simdjson::ondemand;

constexpr size_t kMaxJsonDepth = 512;

Error JsonError(simdjson::error_code code, std::string_view where) {
  std::string m = "json: ";
  m += simdjson::error_message(code);
  if (!where.empty()) {
    m += " near \"";
    m += where.substr(0, 20);
    m += "\"";
  }
  return Error{std::move(m)};
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

NodeKind NumberKind(std::string_view token) {
  return token.find_first_of(".eE") == std::string_view::npos ? NodeKind::kInt : NodeKind::kFloat;
}

// Builds one value; `V` is od::value or od::document (the root).
template <typename V>
Result<Node*> BuildValue(V& v, Arena& arena, size_t depth) {
  if (depth > kMaxJsonDepth) return MakeError("json: nesting exceeds 512 levels");
  od::json_type type;
  if (auto err = v.type().get(type)) return JsonError(err, "");
  switch (type) {
    case od::json_type::object: {
      od::object obj;
      if (auto err = v.get_object().get(obj)) return JsonError(err, "");
      Node* map = arena.NewMap();
      for (auto field : obj) {
        std::string_view key;
        if (auto err = field.unescaped_key().get(key)) return JsonError(err, "");
        std::string_view interned = InternKeyCached(key);
        od::value child;
        if (auto err = field.value().get(child)) return JsonError(err, key);
        SKIFF_ASSIGN_OR_RETURN(Node * value, BuildValue(child, arena, depth + 1));
        map->entries().push_back(MapEntry{interned, value, SourcePos{}});
      }
      return map;
    }
    case od::json_type::array: {
      od::array arr;
      if (auto err = v.get_array().get(arr)) return JsonError(err, "");
      Node* seq = arena.NewSeq();
      for (auto element : arr) {
        od::value child;
        if (auto err = element.get(child)) return JsonError(err, "");
        SKIFF_ASSIGN_OR_RETURN(Node * item, BuildValue(child, arena, depth + 1));
        seq->Append(item);
      }
      return seq;
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto err = v.get_string().get(s)) return JsonError(err, "");
      return arena.NewScalar(NodeKind::kString, s, ScalarStyle::kDoubleQuoted);
    }
    case od::json_type::number: {
      std::string_view token = TrimRight(v.raw_json_token());
      // Validates the token; the value itself is kept as text.
      double ignored;
      if (auto err = v.get_double().get(ignored)) {
        if (err != simdjson::NUMBER_OUT_OF_RANGE) return JsonError(err, token);
      }
      return arena.NewScalar(NumberKind(token), token);
    }
    case od::json_type::boolean: {
      bool b;
      if (auto err = v.get_bool().get(b)) return JsonError(err, "");
      return arena.NewBool(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto err = v.is_null().get(is_null); err || !is_null) {
        return JsonError(err ? err : simdjson::INCORRECT_TYPE, TrimRight(v.raw_json_token()));
      }
      return arena.NewNull();
    }
  }
  return MakeError("json: unknown value type");
}

}  // namespace

Result<Node*> ParseJson(std::string_view text, Arena& arena) {
  // One parser per thread: it keeps its buffers between calls.
  thread_local od::parser parser;
  simdjson::padded_string padded(text);
  od::document doc;
  if (auto err = parser.iterate(padded).get(doc)) return JsonError(err, "");
  SKIFF_ASSIGN_OR_RETURN(Node * root, BuildValue(doc, arena, 0));
  // A location left to read means bytes after the root value.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    return MakeError("json: trailing content after the document");
  }
  return root;
}

}  // namespace skiff
