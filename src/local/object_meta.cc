#include "local/object_meta.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <vector>

#include "local/json_codec.h"

namespace skiff::local {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool ValidLabel(std::string_view s, bool must_start_alpha) {
  if (s.empty() || s.size() > 63) return false;
  if (!IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  if (must_start_alpha && !(s.front() >= 'a' && s.front() <= 'z')) return false;
  for (char c : s) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

bool ValidSubdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view part = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!ValidLabel(part, false)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

uint64_t RandomWord() {
  uint64_t w = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&w), sizeof w);
  return w;
}

}  // namespace

NameRule NameRuleFor(std::string_view group, std::string_view kind) {
  if (group.empty() && kind == "Namespace") return NameRule::kLabel;
  if (group.empty() && kind == "Service") return NameRule::kDns1035;
  if (group == "rbac.authorization.k8s.io") return NameRule::kPathSegment;
  return NameRule::kSubdomain;
}

std::optional<StatusCause> ValidateName(std::string_view name, NameRule rule) {
  std::string quoted = "Invalid value: \"" + std::string(name) + "\": ";
  if (name.empty()) return StatusCause{"FieldValueRequired", "Required value: name or generateName is required", "metadata.name"};
  switch (rule) {
    case NameRule::kSubdomain:
      if (ValidSubdomain(name)) return std::nullopt;
      return StatusCause{"FieldValueInvalid",
                         quoted + "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                                  "characters, '-' or '.', and must start and end with an alphanumeric character",
                         "metadata.name"};
    case NameRule::kLabel:
      if (ValidLabel(name, false)) return std::nullopt;
      return StatusCause{"FieldValueInvalid",
                         quoted + "a lowercase RFC 1123 label must consist of lower case alphanumeric "
                                  "characters or '-', and must start and end with an alphanumeric character",
                         "metadata.name"};
    case NameRule::kDns1035:
      if (ValidLabel(name, true)) return std::nullopt;
      return StatusCause{"FieldValueInvalid",
                         quoted + "a DNS-1035 label must consist of lower case alphanumeric characters or "
                                  "'-', start with an alphabetic character, and end with an alphanumeric character",
                         "metadata.name"};
    case NameRule::kPathSegment:
      if (name != "." && name != ".." && name.find_first_of("/%") == std::string_view::npos) return std::nullopt;
      return StatusCause{"FieldValueInvalid", quoted + "may not be '.' or '..' and may not contain '/' or '%'",
                         "metadata.name"};
  }
  return std::nullopt;
}

std::string NewUid() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += hex[b[i] >> 4];
    s += hex[b[i] & 15];
  }
  return s;
}

std::string NowRfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string RandomSuffix(size_t n) {
  static const char* alphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string s;
  for (size_t i = 0; i < n; ++i) s += alphabet[RandomWord() % 27];
  return s;
}

bool SpecChanged(const Node* a, const Node* b) {
  auto significant = [](const Node* root) {
    std::vector<const MapEntry*> out;
    for (const MapEntry& e : root->entries()) {
      if (e.key != "metadata" && e.key != "status" && e.key != "apiVersion" && e.key != "kind") out.push_back(&e);
    }
    return out;
  };
  auto ea = significant(a), eb = significant(b);
  if (ea.size() != eb.size()) return true;
  for (const MapEntry* e : ea) {
    const Node* other = b->Get(e->key);
    if (other == nullptr || !DeepEqual(e->value, other, false)) return true;
  }
  return false;
}

void CanonicalizeRootOrder(Node* root) {
  auto& entries = root->entries();
  auto rank = [](std::string_view k) {
    if (k == "apiVersion") return 0;
    if (k == "kind") return 1;
    if (k == "metadata") return 2;
    return 3;
  };
  std::stable_sort(entries.begin(), entries.end(),
                   [&](const MapEntry& x, const MapEntry& y) { return rank(x.key) < rank(y.key); });
}

void SetMetaString(Node* root, std::string_view key, std::string_view value, Arena& arena) {
  arena.GetOrCreateMap(root, "metadata")->Set(key, arena.NewString(arena.Str(value)));
}

void SetMetaInt(Node* root, std::string_view key, long long value, Arena& arena) {
  arena.GetOrCreateMap(root, "metadata")->Set(key, arena.NewInt(value));
}

long long MetaInt(const Node* root, std::string_view key) {
  const Node* v = root->GetPath({"metadata", key});
  if (v == nullptr || !v->IsScalar()) return 0;
  long long out = 0;
  std::from_chars(v->scalar().data(), v->scalar().data() + v->scalar().size(), out);
  return out;
}

std::string_view MetaString(const Node* root, std::string_view key) {
  const Node* meta = root->Get("metadata");
  return meta != nullptr && meta->IsMap() ? meta->GetString(key) : std::string_view();
}

bool IsBeingDeleted(std::string_view stored_json) {
  Arena arena(4096);
  auto root = ParseJsonText(stored_json, arena);
  return root.ok() && (*root)->IsMap() && !MetaString(*root, "deletionTimestamp").empty();
}

}  // namespace skiff::local
