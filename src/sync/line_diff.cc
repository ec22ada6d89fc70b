#include "sync/line_diff.h"

#include <algorithm>

namespace skiff::sync {
namespace {

using Lines = std::vector<std::string_view>;

constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kReset = "\x1b[0m";

// Myers' greedy forward search over a[a0,a1) and b[b0,b1), keeping each
// round's frontier so the path can be walked back. Returns false when more
// than `max_edits` edits would be needed.
bool MyersMiddle(const Lines& a, const Lines& b, size_t a0, size_t a1, size_t b0, size_t b1,
                 size_t max_edits, std::vector<LineEdit>& out) {
  const long n = static_cast<long>(a1 - a0);
  const long m = static_cast<long>(b1 - b0);
  const long max_d = std::min<long>(n + m, static_cast<long>(max_edits));
  const long offset = max_d + 1;
  std::vector<long> v(2 * offset + 1, 0);
  std::vector<std::vector<long>> trace;
  long found_d = -1;
  for (long d = 0; d <= max_d && found_d < 0; ++d) {
    trace.push_back(v);
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1]
                                                                           : v[offset + k - 1] + 1;
      long y = x - k;
      while (x < n && y < m && a[a0 + x] == b[b0 + y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  if (found_d < 0) return false;
  // Walk back from (n, m) through the saved frontiers.
  std::vector<LineEdit> reversed;
  long x = n, y = m;
  for (long d = found_d; d > 0; --d) {
    const std::vector<long>& prev = trace[d];
    long k = x - y;
    bool down = (k == -d || (k != d && prev[offset + k - 1] < prev[offset + k + 1]));
    long prev_k = down ? k + 1 : k - 1;
    long prev_x = prev[offset + prev_k];
    long prev_y = prev_x - prev_k;
    while (x > prev_x + (down ? 0 : 1) && y > prev_y + (down ? 1 : 0)) {
      --x, --y;
      reversed.push_back({LineEdit::Op::kKeep, a0 + x, b0 + y});
    }
    if (down) {
      --y;
      reversed.push_back({LineEdit::Op::kInsert, 0, b0 + y});
    } else {
      --x;
      reversed.push_back({LineEdit::Op::kDelete, a0 + x, 0});
    }
  }
  while (x > 0 && y > 0) {
    --x, --y;
    reversed.push_back({LineEdit::Op::kKeep, a0 + x, b0 + y});
  }
  out.insert(out.end(), reversed.rbegin(), reversed.rend());
  return true;
}

struct Hunk {
  size_t begin;  // range in the edit script
  size_t end;
};

// Groups changes whose unchanged gap is at most 2 * context lines.
std::vector<Hunk> FindHunks(const std::vector<LineEdit>& edits, size_t context) {
  std::vector<Hunk> hunks;
  size_t i = 0;
  while (i < edits.size()) {
    while (i < edits.size() && edits[i].op == LineEdit::Op::kKeep) ++i;
    if (i == edits.size()) break;
    size_t begin = i >= context ? i - context : 0;
    size_t last_change = i;
    size_t j = i;
    while (j < edits.size()) {
      if (edits[j].op != LineEdit::Op::kKeep) last_change = j;
      else if (j - last_change > 2 * context) break;
      ++j;
    }
    size_t end = std::min(edits.size(), last_change + 1 + context);
    if (!hunks.empty() && begin <= hunks.back().end) hunks.back().end = end;
    else hunks.push_back({begin, end});
    i = last_change + 1;
  }
  return hunks;
}

// diff -u numbering: an empty range is "line before it,0".
std::string Range(size_t first, size_t count) {
  if (count == 0) return std::to_string(first == 0 ? 0 : first - 1) + ",0";
  if (count == 1) return std::to_string(first);
  return std::to_string(first) + "," + std::to_string(count);
}

void AppendLine(std::string& out, char sign, std::string_view line, std::string_view color) {
  if (!color.empty()) out += color;
  out += sign;
  out += line;
  if (!color.empty()) out += kReset;
  out += '\n';
}

void AppendHunk(std::string& out, const std::vector<LineEdit>& edits, const Hunk& h,
                const Lines& a, const Lines& b, bool color) {
  size_t old_count = 0, new_count = 0, old_first = 0, new_first = 0;
  bool have_old = false, have_new = false;
  for (size_t i = h.begin; i < h.end; ++i) {
    const LineEdit& e = edits[i];
    if (e.op != LineEdit::Op::kInsert) {
      if (!have_old) old_first = e.old_index + 1, have_old = true;
      ++old_count;
    }
    if (e.op != LineEdit::Op::kDelete) {
      if (!have_new) new_first = e.new_index + 1, have_new = true;
      ++new_count;
    }
  }
  // An empty side is numbered by where it would sit.
  if (!have_old) {
    size_t before = 0;
    for (size_t i = 0; i < h.begin; ++i)
      if (edits[i].op != LineEdit::Op::kInsert) ++before;
    old_first = before + 1;
  }
  if (!have_new) {
    size_t before = 0;
    for (size_t i = 0; i < h.begin; ++i)
      if (edits[i].op != LineEdit::Op::kDelete) ++before;
    new_first = before + 1;
  }
  std::string header = "@@ -" + Range(old_first, old_count) + " +" + Range(new_first, new_count) + " @@";
  if (color) out += std::string(kCyan) + header + std::string(kReset) + "\n";
  else out += header + "\n";
  for (size_t i = h.begin; i < h.end; ++i) {
    const LineEdit& e = edits[i];
    switch (e.op) {
      case LineEdit::Op::kKeep: AppendLine(out, ' ', a[e.old_index], {}); break;
      case LineEdit::Op::kDelete: AppendLine(out, '-', a[e.old_index], color ? kRed : ""); break;
      case LineEdit::Op::kInsert: AppendLine(out, '+', b[e.new_index], color ? kGreen : ""); break;
    }
  }
}

}  // namespace

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::vector<LineEdit> DiffLines(const Lines& a, const Lines& b, size_t max_edits) {
  std::vector<LineEdit> edits;
  // Common prefix and suffix cost nothing to find and shrink the search.
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  for (size_t i = 0; i < prefix; ++i) edits.push_back({LineEdit::Op::kKeep, i, i});
  size_t a1 = a.size() - suffix, b1 = b.size() - suffix;
  if (!MyersMiddle(a, b, prefix, a1, prefix, b1, max_edits, edits)) {
    for (size_t i = prefix; i < a1; ++i) edits.push_back({LineEdit::Op::kDelete, i, 0});
    for (size_t j = prefix; j < b1; ++j) edits.push_back({LineEdit::Op::kInsert, 0, j});
  }
  for (size_t i = 0; i < suffix; ++i) edits.push_back({LineEdit::Op::kKeep, a1 + i, b1 + i});
  return edits;
}

std::string UnifiedDiff(std::string_view old_text, std::string_view new_text,
                        std::string_view old_label, std::string_view new_label,
                        const UnifiedOptions& options) {
  if (old_text == new_text) return {};
  Lines a = SplitLines(old_text), b = SplitLines(new_text);
  std::vector<LineEdit> edits = DiffLines(a, b);
  std::vector<Hunk> hunks = FindHunks(edits, static_cast<size_t>(std::max(0, options.context)));
  if (hunks.empty()) return {};
  std::string out;
  std::string_view bold = options.color ? kBold : "";
  std::string_view reset = options.color ? kReset : "";
  out += std::string(bold) + "--- " + std::string(old_label) + std::string(reset) + "\n";
  out += std::string(bold) + "+++ " + std::string(new_label) + std::string(reset) + "\n";
  for (const Hunk& h : hunks) AppendHunk(out, edits, h, a, b, options.color);
  return out;
}

}  // namespace skiff::sync
