#include "yaml/tree_diff.h"

namespace skiff {
namespace {

std::string At(const std::string& path, const Node* n) {
  return path + " (line " + std::to_string(n->pos().line) + ")";
}

std::string Diff(const Node* a, const Node* b, const std::string& path) {
  if ((a == nullptr) != (b == nullptr)) return path + ": one side is empty";
  if (a == nullptr) return {};
  if (a->kind() != b->kind()) return At(path, a) + ": kind differs";
  if (a->pos().line != b->pos().line || a->pos().column != b->pos().column) {
    return At(path, a) + ": position " + std::to_string(a->pos().line) + ":" +
           std::to_string(a->pos().column) + " vs " + std::to_string(b->pos().line) + ":" +
           std::to_string(b->pos().column);
  }
  if (a->file() != b->file()) return At(path, a) + ": file differs";
  if (a->IsMap()) {
    if (a->entries().size() != b->entries().size()) return At(path, a) + ": map size differs";
    for (size_t i = 0; i < a->entries().size(); ++i) {
      const MapEntry& x = a->entries()[i];
      const MapEntry& y = b->entries()[i];
      std::string child = path + "." + std::string(x.key);
      if (x.key != y.key) return At(child, a) + ": key differs from " + std::string(y.key);
      if (x.key_pos.line != y.key_pos.line || x.key_pos.column != y.key_pos.column) {
        return At(child, a) + ": key position differs";
      }
      std::string d = Diff(x.value, y.value, child);
      if (!d.empty()) return d;
    }
    return {};
  }
  if (a->IsSeq()) {
    if (a->items().size() != b->items().size()) return At(path, a) + ": length differs";
    for (size_t i = 0; i < a->items().size(); ++i) {
      std::string d = Diff(a->items()[i], b->items()[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return {};
  }
  if (a->scalar() != b->scalar()) {
    return At(path, a) + ": text \"" + std::string(a->scalar()) + "\" vs \"" +
           std::string(b->scalar()) + "\"";
  }
  if (a->style() != b->style()) return At(path, a) + ": style differs";
  return {};
}

}  // namespace

std::string FirstTreeDifference(const std::vector<YamlDocument>& a,
                                const std::vector<YamlDocument>& b) {
  if (a.size() != b.size()) {
    return "document count " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
  }
  for (size_t i = 0; i < a.size(); ++i) {
    std::string doc = "doc" + std::to_string(i);
    if (a[i].pos.line != b[i].pos.line || a[i].pos.column != b[i].pos.column) {
      return doc + ": document position differs";
    }
    std::string d = Diff(a[i].root, b[i].root, doc);
    if (!d.empty()) return d;
  }
  return {};
}

}  // namespace skiff
