// Server-side field validation (the `fieldValidation` query parameter):
// finds the fields of a request body that the kind's OpenAPI definition does
// not declare, as the API server's strict decoder does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/node.h"

namespace skiff::local {

enum class FieldValidation {
  kIgnore,  // unknown fields are dropped silently
  kWarn,    // accepted, with one Warning header per unknown field
  kStrict,  // the request fails with 400 BadRequest
};

// The directive for the query value ("Strict", "Warn", "Ignore"; anything
// else, including absent, is Ignore, like a pre-1.27 server default for
// clients that do not ask).
FieldValidation ParseFieldValidation(std::string_view param);

// The dotted paths ("spec.foo", "spec.containers[0].bar") of fields in
// `object` that `definition` (an OpenAPI v2 schema, $refs resolved through
// `definitions`) does not declare. Free-form parts of the schema (no
// `properties`) accept anything.
std::vector<std::string> UnknownFields(const Node* object, const Node* definition, const Node* definitions);

// "strict decoding error: unknown field \"a\", unknown field \"b\"".
std::string StrictDecodingMessage(const std::vector<std::string>& unknown);

}  // namespace skiff::local
