#include "yaml/scalar_resolve.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace skiff {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool OneOf(std::string_view text, std::initializer_list<std::string_view> options) {
  for (std::string_view o : options) {
    if (text == o) return true;
  }
  return false;
}

bool IsNanOrInf(std::string_view t) {
  return OneOf(t, {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                   "-.inf", "-.Inf", "-.INF"});
}

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Copies `text` without underscores into `buf`; false when it does not fit
// (such a long text cannot be a 64-bit number of interest anyway, except
// with absurd runs of leading zeros, which are treated as strings).
bool StripUnderscores(std::string_view text, char* buf, size_t cap, size_t* len) {
  size_t n = 0;
  for (char c : text) {
    if (c == '_') continue;
    if (n == cap) return false;
    buf[n++] = c;
  }
  *len = n;
  return true;
}

// Go's strconv.ParseUint(s, 0, 64) on a sign-less string.
bool ParseUintBase0(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  int base = 10;
  if (s[0] == '0') {
    char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : 0;
    if (p == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else if (p == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  uint64_t v = 0;
  for (char c : s) {
    int d = DigitValue(c);
    if (d >= base) return false;
    if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) return false;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

bool IsIntStripped(std::string_view s) {
  if (s.empty()) return false;
  char sign = 0;
  if (s[0] == '+' || s[0] == '-') {
    sign = s[0];
    s.remove_prefix(1);
  }
  uint64_t mag;
  if (!ParseUintBase0(s, &mag)) return false;
  if (sign == '-') return mag <= (uint64_t{1} << 63);
  if (sign == '+') return mag < (uint64_t{1} << 63);
  return true;
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool MatchesFloatSyntax(std::string_view s) {
  size_t i = 0, n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < n && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < n && IsDigit(s[i])) ++i;
    if (i == start) return false;
  } else {
    size_t start = i;
    while (i < n && IsDigit(s[i])) ++i;
    if (i == start) return false;
    if (i < n && s[i] == '.') {
      ++i;
      while (i < n && IsDigit(s[i])) ++i;
    }
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t start = i;
    while (i < n && IsDigit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == n;
}

bool FloatInRange(std::string_view s) {
  char buf[128];
  if (s.size() >= sizeof buf) return true;  // long mantissas are still finite
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  return !std::isinf(std::strtod(buf, nullptr));
}

// Go's underscoreOK for a decimal float: each '_' sits between digits.
bool UnderscoresBetweenDigits(std::string_view s) {
  char saw = '^';
  for (char c : s) {
    if (IsDigit(c)) {
      saw = '0';
    } else if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
    } else {
      if (saw == '_') return false;
      saw = '!';
    }
  }
  return saw != '_';
}

// go-yaml's '.'-initial case: strconv.ParseFloat on the text itself.
bool IsDotFloat(std::string_view text) {
  if (!UnderscoresBetweenDigits(text)) return false;
  char buf[128];
  size_t len;
  if (!StripUnderscores(text, buf, sizeof buf, &len)) return false;
  std::string_view s(buf, len);
  return MatchesFloatSyntax(s) && FloatInRange(s);
}

// True for base-60 numbers like 1:20 that YAML 1.1 reads as numbers:
// ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
bool IsBase60Float(std::string_view s) {
  size_t i = 0, n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  if (i >= n || !IsDigit(s[i])) return false;
  ++i;
  while (i < n && (IsDigit(s[i]) || s[i] == '_')) ++i;
  int groups = 0;
  while (i < n && s[i] == ':') {
    ++i;
    if (i + 1 < n && s[i] >= '0' && s[i] <= '5' && IsDigit(s[i + 1])) {
      i += 2;
    } else if (i < n && IsDigit(s[i])) {
      ++i;
    } else {
      return false;
    }
    ++groups;
  }
  if (groups == 0) return false;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && (IsDigit(s[i]) || s[i] == '_')) ++i;
  }
  return i == n;
}

// Go's getnum(s, false): one digit, or two when the second is a digit.
bool TakeNumber(std::string_view s, size_t* i, int* out) {
  if (*i >= s.size() || !IsDigit(s[*i])) return false;
  int v = s[*i] - '0';
  ++*i;
  if (*i < s.size() && IsDigit(s[*i])) {
    v = v * 10 + (s[*i] - '0');
    ++*i;
  }
  *out = v;
  return true;
}

bool Take(std::string_view s, size_t* i, char c) {
  if (*i >= s.size() || s[*i] != c) return false;
  ++*i;
  return true;
}

int DaysIn(int month, int year) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool TakeFraction(std::string_view s, size_t* i, int* nanos) {
  size_t j = *i;
  if (j + 1 >= s.size() || (s[j] != '.' && s[j] != ',') || !IsDigit(s[j + 1])) return true;
  ++j;
  int v = 0, digits = 0;
  while (j < s.size() && IsDigit(s[j])) {
    if (digits < 9) {
      v = v * 10 + (s[j] - '0');
      ++digits;
    }
    ++j;
  }
  for (; digits < 9; ++digits) v *= 10;
  *nanos = v;
  *i = j;
  return true;
}

bool TakeZone(std::string_view s, size_t* i, int* offset) {
  if (Take(s, i, 'Z')) {
    *offset = 0;
    return true;
  }
  size_t j = *i;
  if (s.size() - j < 6 || (s[j] != '+' && s[j] != '-') || s[j + 3] != ':') return false;
  for (size_t k : {j + 1, j + 2, j + 4, j + 5}) {
    if (!IsDigit(s[k])) return false;
  }
  int hh = (s[j + 1] - '0') * 10 + (s[j + 2] - '0');
  int mm = (s[j + 4] - '0') * 10 + (s[j + 5] - '0');
  if (hh > 24 || mm > 60) return false;
  *offset = (s[j] == '-' ? -1 : 1) * (hh * 60 + mm);
  *i = j + 6;
  return true;
}

}  // namespace

// Numbers and timestamps: what is left once the keywords are ruled out.
static NodeKind ResolveLongPlainScalar(std::string_view text) {
  char c = text[0];
  if (IsDigit(c) || c == '+' || c == '-') {
    YamlTimestamp ts;
    if (IsDigit(c) && ParseYamlTimestamp(text, &ts)) return NodeKind::kString;
    if (IsYamlInt(text)) return NodeKind::kInt;
    if (IsYamlFloat(text)) return NodeKind::kFloat;
    return NodeKind::kString;
  }
  if (c == '.' && IsDotFloat(text)) return NodeKind::kFloat;
  return NodeKind::kString;
}

bool IsYamlInt(std::string_view text) {
  char buf[128];
  size_t len;
  if (!StripUnderscores(text, buf, sizeof buf, &len)) return false;
  return IsIntStripped(std::string_view(buf, len));
}

bool IsYamlFloat(std::string_view text) {
  char buf[128];
  size_t len;
  if (!StripUnderscores(text, buf, sizeof buf, &len)) return false;
  std::string_view s(buf, len);
  return MatchesFloatSyntax(s) && FloatInRange(s);
}

bool ParseYamlTimestamp(std::string_view s, YamlTimestamp* out) {
  if (s.size() < 6) return false;
  for (int k = 0; k < 4; ++k) {
    if (!IsDigit(s[k])) return false;
  }
  YamlTimestamp ts{};
  ts.year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  size_t i = 4;
  if (!Take(s, &i, '-') || !TakeNumber(s, &i, &ts.month) || !Take(s, &i, '-') ||
      !TakeNumber(s, &i, &ts.day)) {
    return false;
  }
  if (ts.month < 1 || ts.month > 12 || ts.day < 1 || ts.day > DaysIn(ts.month, ts.year)) {
    return false;
  }
  if (i == s.size()) {
    *out = ts;
    return true;
  }
  char sep = s[i++];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  if (!TakeNumber(s, &i, &ts.hour) || !Take(s, &i, ':') || !TakeNumber(s, &i, &ts.minute) ||
      !Take(s, &i, ':') || !TakeNumber(s, &i, &ts.second) || !TakeFraction(s, &i, &ts.nanos)) {
    return false;
  }
  if (ts.hour > 23 || ts.minute > 59 || ts.second > 59) return false;
  if (sep != ' ' && !TakeZone(s, &i, &ts.offset_minutes)) return false;
  if (i != s.size()) return false;
  *out = ts;
  return true;
}

size_t FormatYamlTimestamp(const YamlTimestamp& ts, char* buf) {
  char* p = buf;
  auto two = [&p](int v) {
    *p++ = static_cast<char>('0' + v / 10);
    *p++ = static_cast<char>('0' + v % 10);
  };
  two(ts.year / 100);
  two(ts.year % 100);
  *p++ = '-';
  two(ts.month);
  *p++ = '-';
  two(ts.day);
  *p++ = 'T';
  two(ts.hour);
  *p++ = ':';
  two(ts.minute);
  *p++ = ':';
  two(ts.second);
  if (ts.nanos != 0) {
    char frac[9];
    int v = ts.nanos;
    for (int k = 8; k >= 0; --k, v /= 10) frac[k] = static_cast<char>('0' + v % 10);
    int len = 9;
    while (frac[len - 1] == '0') --len;
    *p++ = '.';
    std::memcpy(p, frac, static_cast<size_t>(len));
    p += len;
  }
  if (ts.offset_minutes == 0) {
    *p++ = 'Z';
  } else {
    int off = ts.offset_minutes;
    *p++ = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    two(off / 60);
    *p++ = ':';
    two(off % 60);
  }
  return static_cast<size_t>(p - buf);
}

// Every keyword (null, booleans, .inf, ...) has at most five characters.
constexpr size_t kMaxKeywordLength = 5;

// Whether `c` starts any keyword below: every other scalar skips the
// keyword comparisons, the bulk of resolving names and labels.
bool MayStartReaderKeyword(char c) {
  switch (c) {
    case '~': case 'n': case 'N': case 't': case 'T': case 'f': case 'F': case '.': case '+':
    case '-':
      return true;
    default:
      return false;
  }
}

// The same for the YAML 1.1 keywords a writer must quote (yes/no/on/off/y/n
// as well).
bool MayStartWriterKeyword(char c) {
  switch (c) {
    case 'y': case 'Y': case 'o': case 'O': return true;
    default: return MayStartReaderKeyword(c);
  }
}

NodeKind ResolvePlainScalar(std::string_view text) {
  if (text.size() > kMaxKeywordLength) return ResolveLongPlainScalar(text);
  if (!text.empty() && !MayStartReaderKeyword(text[0])) return ResolveLongPlainScalar(text);
  if (OneOf(text, {"", "~", "null", "Null", "NULL"})) return NodeKind::kNull;
  if (OneOf(text, {"true", "True", "TRUE", "false", "False", "FALSE"})) return NodeKind::kBool;
  if (IsNanOrInf(text)) return NodeKind::kFloat;
  return ResolveLongPlainScalar(text);
}

bool PlainTextReadsAsNonString(std::string_view text) {
  if (text.empty()) return true;
  char c = text[0];
  if (text.size() <= kMaxKeywordLength && MayStartWriterKeyword(c)) {
    if (OneOf(text, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n",
                     "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "~",
                     "null", "Null", "NULL"})) {
      return true;
    }
    if (IsNanOrInf(text)) return true;
  }
  if (IsDigit(c) || c == '+' || c == '-') {
    YamlTimestamp ts;
    if (IsDigit(c) && ParseYamlTimestamp(text, &ts)) return true;
    if (IsYamlInt(text) || IsYamlFloat(text)) return true;
    return IsBase60Float(text);
  }
  return c == '.' && IsDotFloat(text);
}

}  // namespace skiff
