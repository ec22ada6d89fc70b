// Runs independent jobs on worker threads while the calling thread consumes
// (and helps make) their results strictly in job order, so a parallel build behaves exactly
// like the sequential one: same merge order, same first error, same
// warnings.
#pragma once

#include <cstddef>
#include <functional>

#include "base/result.h"

namespace skiff {

// How many threads a render may use: SKIFF_RENDER_THREADS when set to a
// positive number, else the machine's hardware threads (at least 1).
size_t RenderThreads();

// Calls `run(i)` for i in [0, n) on up to `threads` threads (the calling
// thread is one of them), claimed in increasing order, and `consume(i)` on the
// calling thread for i = 0, 1, ... once run(i) has returned. When consume
// returns false, no further job is started, the helpers are joined, and the
// index after the last consumed one is returned; otherwise n. run(i) must not
// touch state consume(j < i) changes; consume(i) happens after run(i).
size_t RunOrdered(size_t n, size_t threads, const std::function<void(size_t)>& run,
                  const std::function<bool(size_t)>& consume);

// Calls fn(begin, end) over [0, n) cut into chunks of at least `min_chunk`
// indices, on up to `threads` threads; the error of the first failing chunk
// (in index order) is returned. fn must only touch what its range owns.
Status ParallelChunks(size_t n, size_t min_chunk, size_t threads,
                      const std::function<Status(size_t begin, size_t end)>& fn);

}  // namespace skiff
