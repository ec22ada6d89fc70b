// Server-owned metadata of API objects: names and their validation rules,
// uids, timestamps, the spec-change test behind metadata.generation, and
// the canonical key order stored objects keep.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "local/api_status.h"
#include "model/node.h"

namespace skiff::local {

enum class NameRule {
  kSubdomain,    // DNS-1123 subdomain: most kinds
  kLabel,        // DNS-1123 label: namespaces
  kDns1035,      // DNS-1035 label: services
  kPathSegment,  // anything but "/", "%", "." and "..": RBAC kinds
};

NameRule NameRuleFor(std::string_view group, std::string_view kind);

// A cause describing why `name` breaks `rule`, or nullopt when it is valid.
std::optional<StatusCause> ValidateName(std::string_view name, NameRule rule);

// A random RFC 4122 version 4 uuid.
std::string NewUid();
// "2024-05-01T12:00:00Z" for now.
std::string NowRfc3339();
// `n` random characters from [a-z0-9] minus vowels, as generateName uses.
std::string RandomSuffix(size_t n);

// True when `a` and `b` differ outside metadata and status, i.e. a change
// that bumps metadata.generation.
bool SpecChanged(const Node* a, const Node* b);

// Reorders root keys to apiVersion, kind, metadata, then the rest (stored
// JSON then starts with the apiVersion, which lets reads check it cheaply).
void CanonicalizeRootOrder(Node* root);

// Sets metadata.<key> to a string / an integer.
void SetMetaString(Node* root, std::string_view key, std::string_view value, Arena& arena);
void SetMetaInt(Node* root, std::string_view key, long long value, Arena& arena);
// The integer metadata.<key>, or 0.
long long MetaInt(const Node* root, std::string_view key);
std::string_view MetaString(const Node* root, std::string_view key);

// True when the stored object (JSON text) has metadata.deletionTimestamp set,
// i.e. it is waiting on finalizers or, for a namespace, terminating. Reads the
// parsed field: the text may mention "deletionTimestamp" anywhere (data, labels).
bool IsBeingDeleted(std::string_view stored_json);

}  // namespace skiff::local
