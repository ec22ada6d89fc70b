#include "sync/inventory.h"

#include <string>

#include "render/content_hash.h"

namespace skiff::sync {
namespace {

constexpr std::string_view kParentKind = "Secret";

std::string Base64UrlUnpadded(const unsigned char* data, size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 2 < size; i += 3) {
    uint32_t v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (size - i == 1) {
    uint32_t v = data[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (size - i == 2) {
    uint32_t v = (data[i] << 16) | (data[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

std::string JoinSorted(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

void SplitInto(std::string_view text, std::set<std::string>& out) {
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    if (!part.empty()) out.emplace(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
}

std::string_view Annotation(const Node* object, std::string_view key) {
  const Node* annotations = object->GetPath({"metadata", "annotations"});
  return annotations && annotations->IsMap() ? annotations->GetString(key) : std::string_view{};
}

std::string_view Label(const Node* object, std::string_view key) {
  const Node* labels = object->GetPath({"metadata", "labels"});
  return labels && labels->IsMap() ? labels->GetString(key) : std::string_view{};
}

}  // namespace

std::string ApplySetId(std::string_view name, std::string_view ns, std::string_view kind,
                       std::string_view group) {
  std::string unencoded;
  unencoded.append(name).append(".").append(ns).append(".").append(kind).append(".").append(group);
  std::string hex = Sha256Hex(unencoded);
  unsigned char digest[32];
  for (size_t i = 0; i < sizeof digest; ++i) {
    digest[i] = static_cast<unsigned char>(HexValue(hex[2 * i]) * 16 + HexValue(hex[2 * i + 1]));
  }
  return "applyset-" + Base64UrlUnpadded(digest, sizeof digest) + "-v1";
}

std::string GroupKindString(const Gvk& gvk) {
  return gvk.group.empty() ? gvk.kind : gvk.kind + "." + gvk.group;
}

Inventory Inventory::ForApp(std::string_view app, std::string_view ns, std::string_view version) {
  Inventory inv;
  inv.parent_name = "skiff-" + std::string(app);
  inv.parent_namespace = std::string(ns);
  inv.id = ApplySetId(inv.parent_name, inv.parent_namespace, kParentKind, "");
  inv.tooling = "skiff/" + std::string(version);
  return inv;
}

void Inventory::Cover(const ResourceSet& set) {
  for (const Resource& r : set) {
    group_kinds.insert(GroupKindString(r.GetGvk()));
    std::string_view ns = r.Namespace();
    if (!ns.empty() && ns != parent_namespace) additional_namespaces.emplace(ns);
  }
}

void Inventory::CoverExactly(const ResourceSet& set) {
  group_kinds.clear();
  additional_namespaces.clear();
  Cover(set);
}

Node* Inventory::ParentObject(Arena& arena) const {
  Node* root = arena.NewMap();
  root->Set(InternKey("apiVersion"), arena.NewString("v1"));
  root->Set(InternKey("kind"), arena.NewString(kParentKind));
  Node* metadata = arena.GetOrCreateMap(root, InternKey("metadata"));
  metadata->Set(InternKey("name"), arena.NewString(arena.Str(parent_name)));
  metadata->Set(InternKey("namespace"), arena.NewString(arena.Str(parent_namespace)));
  Node* labels = arena.GetOrCreateMap(metadata, InternKey("labels"));
  labels->Set(InternKey(kApplySetIdLabel), arena.NewString(arena.Str(id)));
  Node* annotations = arena.GetOrCreateMap(metadata, InternKey("annotations"));
  annotations->Set(InternKey(kApplySetToolingAnnotation), arena.NewString(arena.Str(tooling)));
  annotations->Set(InternKey(kApplySetGroupKindsAnnotation),
                   arena.NewString(arena.Str(JoinSorted(group_kinds))));
  // The KEP reserves the empty value, so no members elsewhere means no annotation.
  if (!additional_namespaces.empty()) {
    annotations->Set(InternKey(kApplySetNamespacesAnnotation),
                     arena.NewString(arena.Str(JoinSorted(additional_namespaces))));
  }
  root->Set(InternKey("type"), arena.NewString("Opaque"));
  return root;
}

Status ReadParent(const Node* live_parent, Inventory& inventory) {
  std::string where = "inventory " + std::string(kParentKind) + " " + inventory.parent_namespace +
                      "/" + inventory.parent_name;
  std::string_view tooling = Annotation(live_parent, kApplySetToolingAnnotation);
  if (!tooling.empty() && tooling.substr(0, 6) != "skiff/") {
    return MakeError(where + " is an ApplySet managed by \"" + std::string(tooling) +
                     "\", not skiff; choose another --app name or --inventory-namespace");
  }
  std::string_view id = Label(live_parent, kApplySetIdLabel);
  if (!id.empty() && id != inventory.id) {
    return MakeError(where + " has label " + std::string(kApplySetIdLabel) + "=" +
                     std::string(id) + " but its name, namespace and kind give " + inventory.id +
                     "; refusing to use a parent whose id does not match it");
  }
  SplitInto(Annotation(live_parent, kApplySetGroupKindsAnnotation), inventory.group_kinds);
  SplitInto(Annotation(live_parent, kApplySetNamespacesAnnotation),
            inventory.additional_namespaces);
  return Status::Ok();
}

Status LabelMembers(ResourceSet& set, Arena& arena, std::string_view id) {
  std::string_view interned_id = arena.Str(id);
  for (Resource& r : set) {
    Node* metadata = arena.GetOrCreateMap(r.root, InternKey("metadata"));
    Node* labels = arena.GetOrCreateMap(metadata, InternKey("labels"));
    const Node* existing = labels->Get(kApplySetPartOfLabel);
    if (existing != nullptr && existing->scalar() != id) {
      return MakeError(r.origin.String() + ": metadata.labels[" +
                       std::string(kApplySetPartOfLabel) + "]: already set to \"" +
                       std::string(existing->scalar()) +
                       "\"; an object can belong to one applied set only, remove the label");
    }
    labels->Set(InternKey(kApplySetPartOfLabel), arena.NewString(interned_id));
  }
  return Status::Ok();
}

}  // namespace skiff::sync
