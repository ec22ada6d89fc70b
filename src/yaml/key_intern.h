// InternKey with a per-thread memo: parsers see the same few keys over and
// over, and InternKey itself takes a process-wide lock on every call.
#pragma once

#include <string_view>

namespace skiff {

// Same result as InternKey(key).
std::string_view InternKeyCached(std::string_view key);

}  // namespace skiff
