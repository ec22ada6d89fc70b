#include "yaml/key_intern.h"

#include <unordered_map>

#include "model/node.h"

namespace skiff {

std::string_view InternKeyCached(std::string_view key) {
  // Both sides view interned storage, which lives as long as the process.
  thread_local std::unordered_map<std::string_view, std::string_view> memo;
  auto it = memo.find(key);
  if (it != memo.end()) return it->second;
  std::string_view interned = InternKey(key);
  memo.emplace(interned, interned);
  return interned;
}

}  // namespace skiff
