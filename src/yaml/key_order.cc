#include "yaml/key_order.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace skiff {
namespace {

bool IsAsciiLetter(char32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// Go's unicode.IsLetter, exact for ASCII and Latin-1; above that, every code
// point outside the common punctuation, symbol and emoji blocks counts as a
// letter (keys with such characters are rare in manifests).
bool IsLetter(char32_t c) {
  if (c < 0x80) return IsAsciiLetter(c);
  if (c < 0x100) return c == 0xAA || c == 0xB5 || c == 0xBA || (c >= 0xC0 && c != 0xD7 && c != 0xF7);
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, symbols, arrows, math
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation
  if (c >= 0xFE30 && c <= 0xFE4F) return false;
  if (c >= 0xFF00 && c <= 0xFF20) return false;  // fullwidth punctuation and digits
  if (c >= 0x1F000 && c <= 0x1FAFF) return false;  // emoji
  if (c >= 0xE000 && c <= 0xF8FF) return false;  // private use
  return c != 0xFFFD;
}

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

// Go's []rune(s): invalid bytes decode to U+FFFD one at a time.
std::u32string Runes(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    char32_t r = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = len > 0 && i + static_cast<size_t>(len) <= s.size();
    for (int k = 1; ok && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      ok = (cc & 0xC0) == 0x80;
      r = (r << 6) | (cc & 0x3F);
    }
    if (ok && len > 1) {
      static const char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = r >= kMin[len] && r <= 0x10FFFF && (r < 0xD800 || r > 0xDFFF);
    }
    out.push_back(ok ? r : U'\uFFFD');
    i += ok ? static_cast<size_t>(len) : 1;
  }
  return out;
}

template <typename Str>
bool LessRunes(const Str& a, const Str& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    char32_t x = static_cast<char32_t>(a[i]), y = static_cast<char32_t>(b[i]);
    if (x == y) continue;
    bool xl = IsLetter(x), yl = IsLetter(y);
    if (xl && yl) return x < y;
    if (xl || yl) return yl;
    // Go's int64 arithmetic wraps on long digit runs; so does this.
    uint64_t an = 0, bn = 0;
    if (x == '0' || y == '0') {
      for (size_t j = i; j-- > 0 && IsDigit(static_cast<char32_t>(a[j]));) {
        if (static_cast<char32_t>(a[j]) != '0') {
          an = bn = 1;
          break;
        }
      }
    }
    size_t ai = i, bi = i;
    for (; ai < a.size() && IsDigit(static_cast<char32_t>(a[ai])); ++ai) {
      an = an * 10 + (static_cast<char32_t>(a[ai]) - '0');
    }
    for (; bi < b.size() && IsDigit(static_cast<char32_t>(b[bi])); ++bi) {
      bn = bn * 10 + (static_cast<char32_t>(b[bi]) - '0');
    }
    if (an != bn) return static_cast<int64_t>(an) < static_cast<int64_t>(bn);
    if (ai != bi) return ai < bi;
    return x < y;
  }
  return a.size() < b.size();
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Indexes an ASCII key as runes without decoding it.
struct AsciiView {
  std::string_view s;
  size_t size() const { return s.size(); }
  unsigned char operator[](size_t i) const { return static_cast<unsigned char>(s[i]); }
};

}  // namespace

bool YamlKeyLess(std::string_view a, std::string_view b) {
  if (IsAscii(a) && IsAscii(b)) return LessRunes(AsciiView{a}, AsciiView{b});
  return LessRunes(Runes(a), Runes(b));
}

void SortedEntries(const Node& map, std::vector<const MapEntry*>& out) {
  out.clear();
  out.reserve(map.entries().size());
  for (const MapEntry& e : map.entries()) out.push_back(&e);
  auto less = [](const MapEntry* x, const MapEntry* y) { return YamlKeyLess(x->key, y->key); };
  // Insertion sort for the usual small maps, merge sort above: both stay in
  // bounds and deterministic even where the order is not transitive.
  if (out.size() <= 24) {
    for (size_t i = 1; i < out.size(); ++i) {
      const MapEntry* x = out[i];
      size_t j = i;
      for (; j > 0 && less(x, out[j - 1]); --j) out[j] = out[j - 1];
      out[j] = x;
    }
    return;
  }
  std::vector<const MapEntry*> buf(out.size());
  for (size_t width = 1; width < out.size(); width *= 2) {
    for (size_t lo = 0; lo < out.size(); lo += 2 * width) {
      size_t mid = std::min(lo + width, out.size()), hi = std::min(lo + 2 * width, out.size());
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) buf[k++] = less(out[j], out[i]) ? out[j++] : out[i++];
      while (i < mid) buf[k++] = out[i++];
      while (j < hi) buf[k++] = out[j++];
    }
    out.swap(buf);
  }
}

}  // namespace skiff
