#include "policy/image_ref.h"

#include <algorithm>
#include <optional>

namespace skiff::policy {
namespace {

constexpr std::string_view kDockerHub = "docker.io";
constexpr size_t kMaxNameLength = 255;
constexpr size_t kMaxTagLength = 128;

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }
bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool IsWordChar(char c) { return IsAlnum(c) || c == '_'; }
bool HasUpper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Error ImageError(std::string_view image, std::string_view problem) {
  return MakeError("image \"" + std::string(image) + "\": " + std::string(problem));
}

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := "." | "_" | "__" | "-"+
bool ValidPathComponent(std::string_view c) {
  if (c.empty() || !IsLowerAlnum(c.front()) || !IsLowerAlnum(c.back())) return false;
  size_t i = 0;
  while (i < c.size()) {
    if (IsLowerAlnum(c[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < c.size() && !IsLowerAlnum(c[i])) ++i;
    std::string_view sep = c.substr(start, i - start);
    bool dashes = sep.find_first_not_of('-') == std::string_view::npos;
    if (!(sep == "." || sep == "_" || sep == "__" || dashes)) return false;
  }
  return true;
}

bool ValidRepositoryPath(std::string_view path) {
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    std::string_view comp = path.substr(start, slash == std::string_view::npos ? path.npos
                                                                               : slash - start);
    if (!ValidPathComponent(comp)) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

// domain-component := [A-Za-z0-9] ([A-Za-z0-9-]* [A-Za-z0-9])?
bool ValidHostName(std::string_view host) {
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    std::string_view comp =
        host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
    if (comp.empty() || !IsAlnum(comp.front()) || !IsAlnum(comp.back())) return false;
    for (char c : comp) {
      if (!IsAlnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool ValidIpv6Literal(std::string_view host) {
  if (host.size() < 3 || host.front() != '[' || host.back() != ']') return false;
  std::string_view inner = host.substr(1, host.size() - 2);
  return std::all_of(inner.begin(), inner.end(), [](char c) {
    return c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
  });
}

// domain := host [":" port]
bool ValidDomain(std::string_view domain) {
  std::string_view host = domain;
  size_t colon = domain.rfind(':');
  size_t bracket = domain.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    std::string_view port = domain.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
    host = domain.substr(0, colon);
  }
  if (!host.empty() && host.front() == '[') return ValidIpv6Literal(host);
  return ValidHostName(host);
}

// tag := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
bool ValidTag(std::string_view tag) {
  if (tag.empty() || tag.size() > kMaxTagLength || !IsWordChar(tag.front())) return false;
  return std::all_of(tag.begin(), tag.end(),
                     [](char c) { return IsWordChar(c) || c == '.' || c == '-'; });
}

bool ValidDigest(std::string_view digest) {
  size_t colon = digest.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view algorithm = digest.substr(0, colon);
  std::string_view hex = digest.substr(colon + 1);
  size_t want = algorithm == "sha256" ? 64 : algorithm == "sha512" ? 128 : 0;
  return want != 0 && hex.size() == want && std::all_of(hex.begin(), hex.end(), IsHex);
}

// Whether the first component of a name is a registry host rather than a
// docker.io path (the runtime's rule).
bool LooksLikeDomain(std::string_view first) {
  return first.find_first_of(".:") != std::string_view::npos || first == "localhost" ||
         HasUpper(first);
}

std::string NormalizeDomain(std::string_view domain) {
  std::string d = Lower(domain);
  if (d == "index.docker.io") return std::string(kDockerHub);
  return d;
}

// An allow-list entry reduced to the name prefix it admits.
struct RegistryPrefix {
  std::string name;            // "ghcr.io/acme", "docker.io/library"
  bool children_only = false;  // written with a trailing "/" or "/*"
};

std::optional<RegistryPrefix> ParsePrefix(std::string_view entry) {
  RegistryPrefix p;
  if (entry.size() >= 2 && entry.substr(entry.size() - 2) == "/*") {
    entry.remove_suffix(2);
    p.children_only = true;
  } else if (!entry.empty() && entry.back() == '/') {
    entry.remove_suffix(1);
    p.children_only = true;
  }
  if (entry.empty() || entry.find_first_of("*@?") != std::string_view::npos) return std::nullopt;
  size_t slash = entry.find('/');
  std::string_view first = entry.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : entry.substr(slash + 1);
  if (!LooksLikeDomain(first)) {
    first = kDockerHub;
    path = entry;
  }
  if (!ValidDomain(first)) return std::nullopt;
  if (!path.empty() && !ValidRepositoryPath(path)) return std::nullopt;
  p.name = NormalizeDomain(first);
  if (!path.empty()) {
    p.name += '/';
    p.name += path;
  }
  return p;
}

}  // namespace

Result<ImageRef> ParseImageRef(std::string_view image) {
  if (image.empty()) return ImageError(image, "empty image reference");
  ImageRef ref;
  std::string_view rest = image;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    ref.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (!ValidDigest(ref.digest)) {
      return ImageError(image, "invalid digest \"" + ref.digest +
                                   "\" (want sha256: and 64 lowercase hex digits)");
    }
  }
  size_t last_slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    ref.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (!ValidTag(ref.tag)) return ImageError(image, "invalid tag \"" + ref.tag + "\"");
  }
  if (rest.empty()) return ImageError(image, "missing repository name");
  if (rest.size() > kMaxNameLength) return ImageError(image, "name longer than 255 characters");

  size_t slash = rest.find('/');
  std::string_view domain = kDockerHub;
  std::string_view path = rest;
  if (slash != std::string_view::npos && LooksLikeDomain(rest.substr(0, slash))) {
    domain = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }
  if (!ValidDomain(domain)) {
    return ImageError(image, "invalid registry host \"" + std::string(domain) + "\"");
  }
  if (HasUpper(path)) return ImageError(image, "repository name must be lowercase");
  if (!ValidRepositoryPath(path)) {
    return ImageError(image, "invalid repository name \"" + std::string(path) + "\"");
  }
  ref.registry = NormalizeDomain(domain);
  ref.repository = std::string(path);
  if (ref.registry == kDockerHub && ref.repository.find('/') == std::string::npos) {
    ref.repository.insert(0, "library/");
  }
  return ref;
}

Status ValidateRegistryPrefix(std::string_view prefix) {
  if (ParsePrefix(prefix)) return Status::Ok();
  return MakeError("registry prefix \"" + std::string(prefix) +
                   "\": want a registry host with an optional lowercase path, such as "
                   "\"ghcr.io/acme\" or \"ghcr.io/acme/*\" (no tag, digest or other wildcard)");
}

bool RegistryAllowed(const ImageRef& ref, const std::vector<std::string>& allowed) {
  std::string name = NormalizeDomain(ref.registry) + "/" + ref.repository;
  for (const std::string& entry : allowed) {
    std::optional<RegistryPrefix> p = ParsePrefix(entry);
    if (!p) continue;
    bool below = name.size() > p->name.size() && name.compare(0, p->name.size(), p->name) == 0 &&
                 name[p->name.size()] == '/';
    if (below || (!p->children_only && name == p->name)) return true;
  }
  return false;
}

}  // namespace skiff::policy
