// Line diffs and the unified format `diff -u` prints.
//
// Written here because no installed library offers a line diff as a library
// (GNU diffutils is a program only). The edit script comes from Myers'
// O(ND) algorithm, so it is a shortest one: hunks match what `diff -u`
// shows for the same texts in all but tie-breaking among equal-length edits.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace skiff::sync {

// One step of an edit script turning the old lines into the new ones.
struct LineEdit {
  enum class Op : unsigned char { kKeep, kDelete, kInsert };
  Op op;
  size_t old_index;  // valid for kKeep and kDelete
  size_t new_index;  // valid for kKeep and kInsert
};

// Splits on '\n'; a final line without '\n' is kept, a trailing '\n' does
// not make an extra empty line.
std::vector<std::string_view> SplitLines(std::string_view text);

// A shortest edit script from `a` to `b`. Very different inputs (more than
// `max_edits` changes) get a correct but not minimal script instead, so time
// and memory stay bounded.
std::vector<LineEdit> DiffLines(const std::vector<std::string_view>& a,
                                const std::vector<std::string_view>& b,
                                size_t max_edits = 4000);

struct UnifiedOptions {
  int context = 3;
  bool color = false;  // ANSI: red deletions, green insertions, cyan hunk headers
};

// "--- old_label\n+++ new_label\n@@ -l,s +l,s @@\n..." or "" when equal.
std::string UnifiedDiff(std::string_view old_text, std::string_view new_text,
                        std::string_view old_label, std::string_view new_label,
                        const UnifiedOptions& options = {});

}  // namespace skiff::sync
