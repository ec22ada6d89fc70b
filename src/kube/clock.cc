#include "kube/clock.h"

#include <charconv>
#include <mutex>
#include <random>
#include <thread>

namespace skiff::kube {

namespace {

class RealClock : public Clock {
 public:
  TimePoint Now() override { return std::chrono::system_clock::now(); }
  void Sleep(std::chrono::milliseconds duration) override { std::this_thread::sleep_for(duration); }
  double Random() override {
    std::lock_guard<std::mutex> lock(mu_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 rng_{std::random_device{}()};
};

bool ReadInt(std::string_view s, size_t pos, size_t len, int* out) {
  if (pos + len > s.size()) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, *out);
  return ec == std::errc() && p == s.data() + pos + len;
}

bool Expect(std::string_view s, size_t pos, char c) { return pos < s.size() && s[pos] == c; }

}  // namespace

Clock& SystemClock() {
  static auto* clock = new RealClock();  // never destroyed: used from any thread until exit
  return *clock;
}

bool ParseRfc3339(std::string_view s, Clock::TimePoint* out) {
  int y, mo, d, h, mi, sec;
  if (!ReadInt(s, 0, 4, &y) || !Expect(s, 4, '-') || !ReadInt(s, 5, 2, &mo) ||
      !Expect(s, 7, '-') || !ReadInt(s, 8, 2, &d) || !(Expect(s, 10, 'T') || Expect(s, 10, 't')) ||
      !ReadInt(s, 11, 2, &h) || !Expect(s, 13, ':') || !ReadInt(s, 14, 2, &mi) ||
      !Expect(s, 16, ':') || !ReadInt(s, 17, 2, &sec)) {
    return false;
  }
  size_t pos = 19;
  if (Expect(s, pos, '.')) {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  }
  int offset_minutes = 0;
  if (Expect(s, pos, 'Z') || Expect(s, pos, 'z')) {
    ++pos;
  } else if (Expect(s, pos, '+') || Expect(s, pos, '-')) {
    int oh, om;
    if (!ReadInt(s, pos + 1, 2, &oh) || !Expect(s, pos + 3, ':') || !ReadInt(s, pos + 4, 2, &om)) {
      return false;
    }
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return false;
  }
  if (pos != s.size()) return false;
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return false;
  auto t = sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) - minutes(offset_minutes);
  *out = time_point_cast<Clock::TimePoint::duration>(t);
  return true;
}

}  // namespace skiff::kube
