// Request bodies in the Kubernetes protobuf encoding ("k8s\0" + a
// runtime.Unknown envelope), decoded to JSON for the few kinds kubectl's
// typed generators send: `kubectl create namespace|configmap|secret|
// serviceaccount`. Those commands always send protobuf (client-go picks the
// encoding from its own configuration, not from the server) and do not fall
// back to JSON on 415, so the server has to read them.
//
// Only the fields a create sends are decoded (for metadata: name,
// generateName, namespace, labels, annotations, finalizers); server-owned
// metadata is ignored. Other kinds are refused with an error naming them.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace skiff::local {

constexpr std::string_view kProtobufContentType = "application/vnd.kubernetes.protobuf";

// The JSON object equivalent to `body`.
Result<std::string> ProtobufBodyToJson(std::string_view body);

}  // namespace skiff::local
