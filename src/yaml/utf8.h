// UTF-8 validation the way Go decodes strings: an invalid sequence counts as
// one bad byte at a time, each becoming U+FFFD when repaired.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace skiff {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if the byte there
// does not start one (overlong forms and surrogates are invalid).
size_t Utf8SequenceLength(std::string_view s, size_t i);

bool IsValidUtf8(std::string_view s);

// `s` with each invalid byte replaced by U+FFFD.
std::string RepairUtf8(std::string_view s);

}  // namespace skiff
