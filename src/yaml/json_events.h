// The JSON reader behind ParseJson, as a C interface: simdjson reads the
// text and reports each value as an event.
//
// Why a C interface: Debian ships simdjson only as a shared library, which
// needs the shared C++ runtime; loading and relocating that runtime costs
// about a millisecond on every start, a fifth of a one-app render. So the
// release build links the C++ runtime statically and builds the reader
// (json_plugin/json_events.cc) as a small shared object embedded in the
// executable, loaded the first time a command reads JSON (API responses).
// Nothing of C++ crosses this interface: the loaded object keeps its own
// runtime to itself. Sanitizer and fuzzing builds compile the reader in.
#pragma once

#include <stddef.h>

extern "C" {

enum SkiffJsonEventType {
  kSkiffJsonObjectBegin,
  kSkiffJsonObjectEnd,
  kSkiffJsonArrayBegin,
  kSkiffJsonArrayEnd,
  kSkiffJsonKey,     // text: the unescaped key; the next event is its value
  kSkiffJsonString,  // text: the unescaped string
  kSkiffJsonInt,     // text: the number as written
  kSkiffJsonFloat,   // text: the number as written (fraction or exponent)
  kSkiffJsonTrue,
  kSkiffJsonFalse,
  kSkiffJsonNull,
};

struct SkiffJsonEvent {
  int type;          // a SkiffJsonEventType
  const char* text;  // valid during the call only
  size_t size;
};

// Returns 0 to go on; anything else stops the walk, which returns it.
typedef int (*SkiffJsonSink)(void* context, const SkiffJsonEvent* event);

// Walks the JSON document `text` (one value, nothing after it), nesting at
// most 512 levels. Returns 0, a sink's stop code, or -1 with a message in
// `error` (NUL-terminated, cut to `error_capacity`).
typedef int (*SkiffJsonWalkFn)(const char* text, size_t size, void* context, SkiffJsonSink sink,
                               char* error, size_t error_capacity);

int skiff_json_walk(const char* text, size_t size, void* context, SkiffJsonSink sink, char* error,
                    size_t error_capacity);

}  // extern "C"
