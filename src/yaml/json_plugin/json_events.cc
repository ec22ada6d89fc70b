// skiff_json_walk: simdjson's on-demand parser, reporting values as events
// (see json_events.h). Numbers are reported as written; a number with a
// fraction or exponent is a float.
#include "yaml/json_events.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

namespace {

namespace od = simdjson::ondemand;

constexpr size_t kMaxJsonDepth = 512;

// A failed walk: the message, or the sink's stop code.
struct Stop {
  int code;
  std::string message;
};

Stop JsonError(simdjson::error_code code, std::string_view where) {
  std::string m = "json: ";
  m += simdjson::error_message(code);
  if (!where.empty()) {
    m += " near \"";
    m += where.substr(0, 20);
    m += "\"";
  }
  return Stop{-1, std::move(m)};
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

class Walker {
 public:
  Walker(void* context, SkiffJsonSink sink) : context_(context), sink_(sink) {}

  // Reports one value; `V` is od::value or od::document (the root). False
  // with `stop` set when the walk ends early.
  template <typename V>
  bool Value(V& v, size_t depth) {
    if (depth > kMaxJsonDepth) return Fail(Stop{-1, "json: nesting exceeds 512 levels"});
    od::json_type type;
    if (auto err = v.type().get(type)) return Fail(JsonError(err, ""));
    switch (type) {
      case od::json_type::object: {
        od::object obj;
        if (auto err = v.get_object().get(obj)) return Fail(JsonError(err, ""));
        if (!Emit(kSkiffJsonObjectBegin)) return false;
        for (auto field : obj) {
          std::string_view key;
          if (auto err = field.unescaped_key().get(key)) return Fail(JsonError(err, ""));
          if (!Emit(kSkiffJsonKey, key)) return false;
          od::value child;
          if (auto err = field.value().get(child)) return Fail(JsonError(err, key));
          if (!Value(child, depth + 1)) return false;
        }
        return Emit(kSkiffJsonObjectEnd);
      }
      case od::json_type::array: {
        od::array arr;
        if (auto err = v.get_array().get(arr)) return Fail(JsonError(err, ""));
        if (!Emit(kSkiffJsonArrayBegin)) return false;
        for (auto element : arr) {
          od::value child;
          if (auto err = element.get(child)) return Fail(JsonError(err, ""));
          if (!Value(child, depth + 1)) return false;
        }
        return Emit(kSkiffJsonArrayEnd);
      }
      case od::json_type::string: {
        std::string_view s;
        if (auto err = v.get_string().get(s)) return Fail(JsonError(err, ""));
        return Emit(kSkiffJsonString, s);
      }
      case od::json_type::number: {
        std::string_view token = TrimRight(v.raw_json_token());
        // Validates the token; the value itself is kept as text.
        double ignored;
        if (auto err = v.get_double().get(ignored)) {
          if (err != simdjson::NUMBER_OUT_OF_RANGE) return Fail(JsonError(err, token));
        }
        bool is_float = token.find_first_of(".eE") != std::string_view::npos;
        return Emit(is_float ? kSkiffJsonFloat : kSkiffJsonInt, token);
      }
      case od::json_type::boolean: {
        bool b;
        if (auto err = v.get_bool().get(b)) return Fail(JsonError(err, ""));
        return Emit(b ? kSkiffJsonTrue : kSkiffJsonFalse);
      }
      case od::json_type::null: {
        bool is_null = false;
        if (auto err = v.is_null().get(is_null); err || !is_null) {
          return Fail(JsonError(err ? err : simdjson::INCORRECT_TYPE, TrimRight(v.raw_json_token())));
        }
        return Emit(kSkiffJsonNull);
      }
    }
    return Fail(Stop{-1, "json: unknown value type"});
  }

  Stop stop{0, {}};

 private:
  bool Emit(int type, std::string_view text = {}) {
    SkiffJsonEvent event{type, text.data(), text.size()};
    int code = sink_(context_, &event);
    if (code != 0) return Fail(Stop{code, {}});
    return true;
  }
  bool Fail(Stop s) {
    stop = std::move(s);
    return false;
  }

  void* context_;
  SkiffJsonSink sink_;
};

int Report(const Stop& stop, char* error, size_t capacity) {
  if (stop.code == -1 && capacity > 0) {
    size_t n = std::min(stop.message.size(), capacity - 1);
    std::memcpy(error, stop.message.data(), n);
    error[n] = '\0';
  }
  return stop.code;
}

int Walk(const char* text, size_t size, void* context, SkiffJsonSink sink, char* error,
         size_t capacity) {
  // One parser per thread: it keeps its buffers between calls.
  thread_local od::parser parser;
  simdjson::padded_string padded(text, size);
  od::document doc;
  if (auto err = parser.iterate(padded).get(doc)) return Report(JsonError(err, ""), error, capacity);
  Walker walker(context, sink);
  if (!walker.Value(doc, 0)) return Report(walker.stop, error, capacity);
  // A location left to read means bytes after the root value.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    return Report(Stop{-1, "json: trailing content after the document"}, error, capacity);
  }
  return 0;
}

}  // namespace

extern "C" int skiff_json_walk(const char* text, size_t size, void* context, SkiffJsonSink sink,
                               char* error, size_t error_capacity) {
  // Nothing may unwind out of this interface (the caller may have another
  // C++ runtime).
  try {
    return Walk(text, size, context, sink, error, error_capacity);
  } catch (...) {
    return Report(Stop{-1, "json: out of memory"}, error, error_capacity);
  }
}
