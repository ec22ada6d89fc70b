#include "yaml/number_text.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "yaml/scalar_resolve.h"

namespace skiff {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Decimal without a leading zero, short enough for int64: printed as is.
bool IsCanonicalInt(std::string_view t) {
  size_t i = t.size() > 1 && t[0] == '-' ? 1 : 0;
  size_t digits = t.size() - i;
  if (digits == 0 || digits > 18) return false;
  if (t[i] == '0') return digits == 1 && i == 0;
  for (size_t k = i; k < t.size(); ++k) {
    if (!IsDigit(t[k])) return false;
  }
  return true;
}

size_t StripUnderscores(std::string_view text, char* buf) {
  size_t n = 0;
  for (char c : text) {
    if (c != '_' && n < kNumberTextMax - 1) buf[n++] = c;
  }
  buf[n] = 0;
  return n;
}

// Go's strconv.ParseInt/ParseUint(s, 0, 64) on underscore-free text.
bool ParseGoInt(const char* s, bool* negative, uint64_t* mag) {
  *negative = *s == '-';
  if (*s == '-' || *s == '+') ++s;
  int base = 10;
  if (s[0] == '0' && s[1] != 0) {
    char p = static_cast<char>(s[1] | 0x20);
    if (s[2] != 0 && (p == 'x' || p == 'o' || p == 'b')) {
      base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
      s += 2;
    } else {
      base = 8;
      s += 1;
    }
  }
  if (*s == 0 && base != 8) return false;
  errno = 0;
  char* end;
  unsigned long long v = std::strtoull(s, &end, base);
  if (*end != 0 || errno == ERANGE || *s == '-' || *s == '+' || *s == ' ') return false;
  *mag = v;
  return true;
}

double ParseFloatText(std::string_view text, bool* ok) {
  *ok = true;
  if (text.size() >= 4) {
    std::string_view t = text[0] == '+' ? text.substr(1) : text;
    char lower[5] = {};
    for (size_t i = 0; i < 4 && i < t.size(); ++i) lower[i] = static_cast<char>(t[i] | 0x20);
    if (t.size() == 4 && std::strcmp(lower, ".nan") == 0) return NAN;
    if (t.size() == 4 && std::strcmp(lower, ".inf") == 0) return INFINITY;
    if (t.size() == 5 && t[0] == '-' && (t.substr(1, 4) == ".inf" || t.substr(1, 4) == ".Inf" ||
                                         t.substr(1, 4) == ".INF")) {
      return -INFINITY;
    }
  }
  char buf[kNumberTextMax];
  StripUnderscores(text, buf);
  bool negative;
  uint64_t mag;
  if (ParseGoInt(buf, &negative, &mag)) {
    double v = static_cast<double>(mag);
    return negative ? -v : v;
  }
  char* end;
  double v = std::strtod(buf, &end);
  *ok = *end == 0 && end != buf;
  return v;
}

std::string_view Copy(std::string_view s, char* buf) {
  std::memcpy(buf, s.data(), s.size());
  return std::string_view(buf, s.size());
}

// Go's strconv.FormatFloat(v, 'e', -1, 64): shortest round-trip digits.
// Also NUL-terminates, so the exponent can be read with atoi.
size_t FormatScientific(double v, char* buf) {
  auto r = std::to_chars(buf, buf + kNumberTextMax - 1, v, std::chars_format::scientific);
  *r.ptr = 0;
  return static_cast<size_t>(r.ptr - buf);
}

// Go's strconv.FormatFloat(v, 'f', -1, 64). Unlike C++'s fixed format, Go
// pads the shortest digits with zeros: 2^63 prints 9223372036854776000.
size_t FormatFixed(double v, char* buf) {
  char sci[kNumberTextMax];
  size_t n = FormatScientific(v, sci);
  std::string_view s(sci, n);
  bool negative = s[0] == '-';
  if (negative) s.remove_prefix(1);
  size_t e = s.find('e');
  int dp = std::atoi(s.data() + e + 1) + 1;  // digits before the decimal point
  char digits[32];
  size_t nd = 0;
  for (size_t i = 0; i < e; ++i) {
    if (s[i] != '.') digits[nd++] = s[i];
  }
  if (nd == 1 && digits[0] == '0') dp = 1;
  char* p = buf;
  if (negative) *p++ = '-';
  if (dp <= 0) {
    *p++ = '0';
    *p++ = '.';
    for (int i = 0; i < -dp; ++i) *p++ = '0';
    std::memcpy(p, digits, nd);
    p += nd;
  } else if (static_cast<size_t>(dp) >= nd) {
    std::memcpy(p, digits, nd);
    p += nd;
    for (size_t i = nd; i < static_cast<size_t>(dp); ++i) *p++ = '0';
  } else {
    std::memcpy(p, digits, static_cast<size_t>(dp));
    p += dp;
    *p++ = '.';
    std::memcpy(p, digits + dp, nd - static_cast<size_t>(dp));
    p += nd - static_cast<size_t>(dp);
  }
  return static_cast<size_t>(p - buf);
}

// Go's encoding/json float encoding.
std::string_view JsonFloat(double v, char* buf) {
  if (std::isnan(v) || std::isinf(v)) return Copy("null", buf);
  double a = std::fabs(v);
  bool scientific = a != 0 && (a < 1e-6 || a >= 1e21);
  size_t n = scientific ? FormatScientific(v, buf) : FormatFixed(v, buf);
  if (scientific && n >= 4 && buf[n - 4] == 'e' && buf[n - 3] == '-' && buf[n - 2] == '0') {
    buf[n - 2] = buf[n - 1];
    --n;
  }
  return std::string_view(buf, n);
}

// Go's strconv.FormatFloat(v, 'g', -1, 64), as go-yaml v2 prints floats.
std::string_view GoFloatG(double v, char* buf) {
  if (std::isnan(v)) return Copy(".nan", buf);
  if (std::isinf(v)) return Copy(v > 0 ? ".inf" : "-.inf", buf);
  size_t n = FormatScientific(v, buf);
  const char* e = static_cast<const char*>(std::memchr(buf, 'e', n));
  int exp = std::atoi(e + 1);
  if (exp < -4 || exp >= 6) return std::string_view(buf, n);
  return std::string_view(buf, FormatFixed(v, buf));
}

size_t WriteInt(bool negative, uint64_t mag, char* buf) {
  char* p = buf;
  if (negative && mag != 0) *p++ = '-';
  return static_cast<size_t>(std::to_chars(p, buf + kNumberTextMax, mag).ptr - buf);
}

bool FitsInt(bool negative, uint64_t mag) {
  return negative ? mag <= (uint64_t{1} << 63) : true;
}

}  // namespace

std::string_view JsonNumberText(NodeKind kind, std::string_view text, char* buf) {
  if (kind == NodeKind::kInt) {
    if (IsCanonicalInt(text)) return text;
    char stripped[kNumberTextMax];
    StripUnderscores(text, stripped);
    bool negative;
    uint64_t mag;
    if (ParseGoInt(stripped, &negative, &mag) && FitsInt(negative, mag) &&
        !(stripped[0] == '+' && mag >= (uint64_t{1} << 63))) {
      return std::string_view(buf, WriteInt(negative, mag, buf));
    }
  }
  bool ok;
  double v = ParseFloatText(text, &ok);
  if (!ok) return Copy("null", buf);
  return JsonFloat(v, buf);
}

std::string_view YamlNumberText(NodeKind kind, std::string_view text, char* buf) {
  if (kind == NodeKind::kInt && IsCanonicalInt(text)) return text;
  char json_buf[kNumberTextMax];
  std::string_view json = JsonNumberText(kind, text, json_buf);
  if (json == "null") {
    bool ok;
    double v = ParseFloatText(text, &ok);
    return ok ? GoFloatG(v, buf) : Copy("null", buf);
  }
  char stripped[kNumberTextMax];
  std::memcpy(stripped, json.data(), json.size());
  stripped[json.size()] = 0;
  bool negative;
  uint64_t mag;
  if (json.find_first_of(".eE") == std::string_view::npos &&
      ParseGoInt(stripped, &negative, &mag) && FitsInt(negative, mag)) {
    // go-yaml v2 reads it back as an int (or uint) and prints it in decimal.
    return std::string_view(buf, WriteInt(negative, mag, buf));
  }
  return GoFloatG(std::strtod(stripped, nullptr), buf);
}

}  // namespace skiff
