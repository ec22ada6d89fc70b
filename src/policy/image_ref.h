// Container image references as the container runtime reads them, and the
// registry allow-list test built on them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace skiff::policy {

// An image reference split by the docker reference grammar and normalized the
// way the runtime pulls it: "nginx" is docker.io/library/nginx, and
// "index.docker.io" is docker.io.
//
// Invariant (for a value returned by ParseImageRef): `registry` is non-empty
// and lowercase; `repository` is non-empty, lowercase, made of valid path
// components; `tag` and `digest` are empty or valid ("sha256:" + 64 hex).
struct ImageRef {
  std::string registry;    // "docker.io", "ghcr.io", "localhost:5000", "[::1]:5000"
  std::string repository;  // "library/nginx", "acme/app"
  std::string tag;         // "1.25", or empty
  std::string digest;      // "sha256:<64 lowercase hex>", or empty

  // registry + "/" + repository: what the allow-list is matched against.
  std::string Name() const { return registry + "/" + repository; }
};

// Parses `image` ("nginx", "ghcr.io/acme/app:1.2", "host:5000/a/b@sha256:…").
// The first path component is the registry when it contains '.' or ':', is
// "localhost", or has uppercase letters; otherwise the image is on docker.io.
// Errors name the offending part: uppercase in the repository, an empty
// component, a bad tag or digest, a name longer than 255 characters.
Result<ImageRef> ParseImageRef(std::string_view image);

// Checks an allow-list entry: a registry host ("ghcr.io"), optionally with a
// path ("ghcr.io/acme"), a trailing "/" or "/*" (both mean "anything under
// this path"); no tag, digest or other wildcard. Entries without a registry
// host ("acme", "library") are read as docker.io paths, as images are.
Status ValidateRegistryPrefix(std::string_view prefix);

// Whether `ref` comes from one of the `allowed` prefixes, matching whole path
// segments: "ghcr.io/acme" allows ghcr.io/acme and ghcr.io/acme/app, but not
// ghcr.io/acme-evil/app, ghcr.io/acmeco or ghcr.io.evil.com/acme; a registry
// with a different port is a different registry. Invalid entries (see
// ValidateRegistryPrefix) allow nothing. An empty list allows nothing. A
// registry that is a host only because of its uppercase letters
// ("MyRegistry/app") cannot be named by an entry, so it is never allowed.
bool RegistryAllowed(const ImageRef& ref, const std::vector<std::string>& allowed);

}  // namespace skiff::policy
