// API discovery and REST mapping: which resources the server offers, and
// how a group/version/kind becomes a URL path.
//
// Invariant: cached answers are only trusted to say what exists; a kind that
// is missing triggers one fresh look at its group/version (a CRD may have
// appeared since), and only then is "no such kind" reported.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "kube/api_error.h"
#include "model/resource.h"

namespace skiff::kube {

// One resource of an APIResourceList (subresources excluded).
struct ApiResourceInfo {
  std::string name;  // plural, e.g. "deployments"
  std::string singular_name;
  std::string kind;
  bool namespaced = false;
  std::vector<std::string> verbs;
};

// How objects of one kind are reached.
struct RestMapping {
  Gvk gvk;
  std::string resource;  // plural
  bool namespaced = false;

  // "/api/v1/namespaces/ns/pods" or "/apis/apps/v1/deployments"; `ns` is
  // ignored for cluster-scoped kinds, and empty means all namespaces.
  std::string CollectionPath(std::string_view ns) const;
  // CollectionPath + "/name" [+ "/subresource"].
  std::string ObjectPath(std::string_view ns, std::string_view name,
                         std::string_view subresource = {}) const;
};

// An English-rule plural for a kind, for when discovery is unavailable
// ("Ingress" -> "ingresses", "NetworkPolicy" -> "networkpolicies").
std::string GuessPlural(std::string_view kind);

// Percent-encodes a path segment or query value.
std::string UrlEncode(std::string_view text);

class Discovery {
 public:
  // Fetches a discovery document: path in, JSON body out.
  using Fetcher = std::function<ApiResult<std::string>(const std::string& path)>;
  explicit Discovery(Fetcher fetch) : fetch_(std::move(fetch)) {}

  // Every group/version the server serves ("v1", "apps/v1", ...), cached.
  ApiResult<std::vector<std::string>> GroupVersions();
  // The resources of one group/version, cached.
  ApiResult<std::vector<ApiResourceInfo>> Resources(const std::string& group_version);
  // The mapping for `gvk`; re-discovers its group/version once on a miss.
  ApiResult<RestMapping> Mapping(const Gvk& gvk);
  // Forgets everything (e.g. after applying CRDs).
  void Invalidate();
  // Number of discovery documents fetched so far.
  int fetches() const { return fetches_; }

 private:
  ApiResult<std::vector<ApiResourceInfo>> FetchResources(const std::string& group_version);

  Fetcher fetch_;
  std::mutex mu_;
  std::vector<std::string> group_versions_;
  std::map<std::string, std::vector<ApiResourceInfo>> resources_;
  int fetches_ = 0;
};

}  // namespace skiff::kube
