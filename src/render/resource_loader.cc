#include "render/resource_loader.h"

#include <deque>

#include "yaml/yaml.h"

namespace skiff {
namespace {

std::string_view ScalarText(const Node* n) {
  return n != nullptr && n->IsScalar() && !n->IsNull() ? n->scalar() : std::string_view();
}

bool IsNilOrEmpty(const Node* n) {
  if (n == nullptr || n->IsNull()) return true;
  if (n->IsMap()) return n->entries().empty();
  if (n->IsSeq()) return n->items().empty();
  return false;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Where(const std::string& file, const Node* n) {
  if (n == nullptr || n->pos().line == 0) return file;
  return file + ":" + std::to_string(n->pos().line);
}

// Whether the node carries any of the identity fields kustomize reads; a
// node with none of them is not an object at all.
bool HasAnyMetadata(const Node* root) {
  if (!IsNilOrEmpty(root->Get("apiVersion")) || !IsNilOrEmpty(root->Get("kind"))) return true;
  const Node* md = root->Get("metadata");
  if (md == nullptr || !md->IsMap()) return false;
  for (std::string_view key : {"name", "namespace", "labels", "annotations"}) {
    if (!IsNilOrEmpty(md->Get(key))) return true;
  }
  return false;
}

}  // namespace

Status ValidateResourceMetadata(const Node* root, const std::string& file) {
  if (!root->IsMap() || !HasAnyMetadata(root)) {
    return MakeError(Where(file, root) +
                     ": missing Resource metadata (an object needs apiVersion, kind and "
                     "metadata.name)");
  }
  std::string_view kind = ScalarText(root->Get("kind"));
  if (kind.empty()) return MakeError(Where(file, root) + ": missing kind in object");
  if (EndsWith(kind, "List")) return Status::Ok();
  const Node* md = root->Get("metadata");
  std::string_view name = md != nullptr && md->IsMap() ? ScalarText(md->Get("name")) : "";
  if (name.empty()) {
    return MakeError(Where(file, root) + ": missing metadata.name in object of kind " +
                     std::string(kind));
  }
  return Status::Ok();
}

ParseLimits ResourceParseLimits() {
  ParseLimits limits;
  limits.require_string_keys = true;
  return limits;
}

Result<std::vector<Resource>> LoadResources(std::string_view text, const std::string& file,
                                            Arena& arena) {
  SKIFF_ASSIGN_OR_RETURN(std::vector<YamlDocument> docs,
                         ParseYamlStream(text, file, arena, ResourceParseLimits()));
  return ResourcesFromDocuments(docs, file);
}

Result<std::vector<Resource>> ResourcesFromDocuments(const std::vector<YamlDocument>& docs,
                                                     const std::string& file) {
  std::deque<Node*> pending;
  for (const YamlDocument& doc : docs) {
    if (IsNilOrEmpty(doc.root)) continue;
    pending.push_back(doc.root);
  }
  std::vector<Resource> out;
  out.reserve(pending.size());
  while (!pending.empty()) {
    Node* root = pending.front();
    pending.pop_front();
    SKIFF_RETURN_IF_ERROR(ValidateResourceMetadata(root, file));
    const Node* items = root->Get("items");
    if (EndsWith(ScalarText(root->Get("kind")), "List") && items != nullptr) {
      // kustomize drops a list whose items are null or not a sequence.
      if (items->IsSeq()) {
        for (Node* item : items->items()) pending.push_back(item);
      }
      continue;
    }
    Resource r;
    r.root = root;
    r.origin = Origin{file, root->pos().line};
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace skiff
