// Time as the client sees it: wall time for credential expiry and pauses
// between retries. Behind an interface so tests control both.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace skiff::kube {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
  virtual void Sleep(std::chrono::milliseconds duration) = 0;
  // A uniformly random number in [0, 1) for backoff jitter.
  virtual double Random() = 0;
};

// The process's real clock; one shared instance.
Clock& SystemClock();

// Parses RFC 3339 ("2024-05-01T10:00:00Z", fractional seconds and numeric
// offsets allowed). Returns false on malformed input.
bool ParseRfc3339(std::string_view text, Clock::TimePoint* out);

}  // namespace skiff::kube
