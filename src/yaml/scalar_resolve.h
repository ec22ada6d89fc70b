// How the text of an untagged plain scalar turns into a typed value.
//
// kustomize reads YAML with go-yaml v3 (YAML 1.2 core schema plus its own
// extras: 0777 octals, underscores in numbers, timestamps) and writes with
// go-yaml v2 (YAML 1.1: y/yes/on/off are booleans too). The reader rules
// decide a node's NodeKind when skiff parses; the writer rules decide whether
// a string must be quoted so it reads back as a string.
#pragma once

#include <cstddef>
#include <string_view>

#include "model/node.h"

namespace skiff {

// The kind go-yaml v3 gives an untagged plain scalar. A timestamp (see
// ParseYamlTimestamp) is reported as kString: kustomize turns it into an
// RFC 3339 string, which the caller writes via FormatYamlTimestamp.
NodeKind ResolvePlainScalar(std::string_view text);

// True when go-yaml v2 would read `text`, written plain, as something other
// than a string (bool, null, int, float, timestamp) or it is a
// base-60 number: such strings are written double-quoted.
bool PlainTextReadsAsNonString(std::string_view text);

// Whether go-yaml would read `text` (underscores already allowed) as an
// integer: Go's strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) after
// removing every '_'.
bool IsYamlInt(std::string_view text);

// Whether `text` matches go-yaml's float syntax and is in double range.
bool IsYamlFloat(std::string_view text);

// A calendar time read from one of the layouts go-yaml accepts for a plain
// timestamp ("2006-1-2T15:4:5.999999999Z07:00", the same with 't' or ' '
// and no zone, or "2006-1-2").
struct YamlTimestamp {
  int year, month, day, hour, minute, second;
  int nanos;
  int offset_minutes;  // east of UTC
};
bool ParseYamlTimestamp(std::string_view text, YamlTimestamp* out);

// Writes `ts` as Go's time.RFC3339Nano into `buf` (>= 40 bytes); returns
// the length.
size_t FormatYamlTimestamp(const YamlTimestamp& ts, char* buf);

}  // namespace skiff
