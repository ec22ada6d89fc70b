// Validation of custom resources against the openAPIV3Schema of the
// CustomResourceDefinition version they are written through, as the API
// server does for structural schemas: types (object, array, string, integer,
// number, boolean), required, enum, properties, additionalProperties, items,
// nullable, x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string
// and x-kubernetes-embedded-resource; and pruning of the fields the schema
// does not declare.
//
// Field paths are dotted from the object root with list indexes in brackets
// ("spec.ports[1].name"). apiVersion, kind and metadata at the root (and of
// embedded resources) are never pruned nor validated here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "local/api_catalog.h"
#include "local/api_status.h"
#include "local/control_plane.h"
#include "local/http_types.h"
#include "model/node.h"

namespace skiff::local {

// The openAPIV3Schema of `version` in a CustomResourceDefinition object
// (spec.versions[].schema, else the pre-v1 spec.validation), or nullptr.
const Node* CrdVersionSchema(const Node* crd, std::string_view version);

// The violations of `object` against `schema`, worded like the API server's
// field errors (cause.message is what follows "field: ").
std::vector<StatusCause> SchemaViolations(const Node* object, const Node* schema);

// Paths of the fields of `object` that `schema` does not declare (what
// pruning removes; what fieldValidation=Strict rejects).
std::vector<std::string> UndeclaredFields(const Node* object, const Node* schema);

// Removes the undeclared fields from `object`.
void PruneUndeclaredFields(Node* object, const Node* schema);

// "[a: x, b: y]" for several causes, "a: x" for one.
std::string InvalidMessage(const std::vector<StatusCause>& causes);

// The schema of `res` (a custom resource) from its served CRD, parsed into
// `arena`; nullptr when the CRD declares none.
const Node* CustomResourceSchema(const ControlPlane& cp, const ApiResource& res, Arena& arena);

// Undeclared fields of a custom resource body (empty for built-in kinds).
std::vector<std::string> UndeclaredCustomFields(const ControlPlane& cp, const ApiResource& res, const Node* object);

// Prunes a custom resource about to be stored and validates it: the 422
// Invalid response when it breaks its schema, nullopt when it may be
// stored. Built-in kinds pass untouched.
std::optional<HttpResponse> AdmitCustomResource(const ControlPlane& cp, const ApiResource& res, Node* object,
                                                Arena& arena);

}  // namespace skiff::local
