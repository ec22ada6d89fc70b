// A Clock for tests: time moves only when told to (or when the client
// sleeps), every sleep is recorded, and "random" jitter is fixed.
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "kube/clock.h"

namespace skiff::kube::testing {

class FakeClock : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1700000000))) : now_(start) {}

  TimePoint Now() override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Sleep(std::chrono::milliseconds d) override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(d);
    now_ += d;
  }
  double Random() override { return random_; }

  void Advance(std::chrono::milliseconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  void set_random(double r) { random_ = r; }
  std::vector<std::chrono::milliseconds> sleeps() {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

 private:
  std::mutex mu_;
  TimePoint now_;
  std::vector<std::chrono::milliseconds> sleeps_;
  double random_ = 0.5;
};

}  // namespace skiff::kube::testing
