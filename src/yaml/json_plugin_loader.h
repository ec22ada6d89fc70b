// Where skiff_json_walk comes from (json_events.h): compiled in, or loaded
// once from the shared object embedded in the executable.
#pragma once

#include "base/result.h"
#include "yaml/json_events.h"

namespace skiff {

// The walker; an error when the embedded object cannot be loaded (the
// message says why). Thread-safe; loads at most once.
Result<SkiffJsonWalkFn> JsonWalker();

}  // namespace skiff
