#include "model/resource.h"

#include <functional>

namespace skiff {

Gvk Gvk::FromApiVersion(std::string_view api_version, std::string_view kind) {
  Gvk g;
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) {
    g.version = std::string(api_version);
  } else {
    g.group = std::string(api_version.substr(0, slash));
    g.version = std::string(api_version.substr(slash + 1));
  }
  g.kind = std::string(kind);
  return g;
}

std::string ResId::String() const {
  std::string s;
  s += gvk.group.empty() ? "~G" : gvk.group;
  s += '_';
  s += gvk.version.empty() ? "~V" : gvk.version;
  s += '_';
  s += gvk.kind.empty() ? "~K" : gvk.kind;
  s += '|';
  s += ns.empty() ? "~X" : ns;
  s += '|';
  s += name.empty() ? "~N" : name;
  return s;
}

size_t ResIdHash::operator()(const ResId& id) const {
  std::hash<std::string> h;
  size_t v = h(id.name);
  v = v * 31 + h(id.ns);
  v = v * 31 + h(id.gvk.kind);
  v = v * 31 + h(id.gvk.group);
  v = v * 31 + h(id.gvk.version);
  return v;
}

std::string Origin::String() const {
  if (line == 0) return file;
  return file + ":" + std::to_string(line);
}

Gvk Resource::GetGvk() const {
  return Gvk::FromApiVersion(root->GetString("apiVersion"), root->GetString("kind"));
}

std::string_view Resource::Kind() const { return root->GetString("kind"); }

std::string_view Resource::Name() const {
  const Node* md = root->Get("metadata");
  return md != nullptr && md->IsMap() ? md->GetString("name") : std::string_view();
}

std::string_view Resource::Namespace() const {
  const Node* md = root->Get("metadata");
  return md != nullptr && md->IsMap() ? md->GetString("namespace") : std::string_view();
}

ResId Resource::Id() const {
  ResId id;
  id.gvk = GetGvk();
  id.ns = std::string(Namespace());
  id.name = std::string(Name());
  return id;
}

}  // namespace skiff
