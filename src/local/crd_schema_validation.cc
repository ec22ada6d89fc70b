#include "local/crd_schema_validation.h"

#include <cstdlib>

#include "local/json_codec.h"
#include "local/object_meta.h"
#include "local/object_writes.h"

namespace skiff::local {
namespace {

bool IsTrue(const Node* n) { return n != nullptr && n->kind() == NodeKind::kBool && n->scalar() == "true"; }

bool Flag(const Node* schema, std::string_view key) { return IsTrue(schema->Get(key)); }

std::string Child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

// The JSON type name of a value, as the API server's validator reports it.
std::string_view TypeOf(const Node* v) {
  switch (v->kind()) {
    case NodeKind::kMap: return "object";
    case NodeKind::kSeq: return "array";
    case NodeKind::kString: return "string";
    case NodeKind::kInt: return "integer";
    case NodeKind::kFloat: return "number";
    case NodeKind::kBool: return "boolean";
    case NodeKind::kNull: return "null";
  }
  return "null";
}

bool TypeAccepts(std::string_view want, std::string_view have) {
  return want == have || (want == "number" && have == "integer");
}

// Where the root keys apiVersion, kind and metadata are the object's own
// envelope rather than schema fields.
bool HasEnvelope(const Node* schema, bool root) { return root || Flag(schema, "x-kubernetes-embedded-resource"); }

bool IsEnvelopeKey(std::string_view key) { return key == "apiVersion" || key == "kind" || key == "metadata"; }

// Value text as field errors print it: strings quoted, the rest verbatim.
std::string Printed(const Node* v) {
  if (v->IsString()) return JsonQuote(v->scalar());
  if (v->IsScalar()) return std::string(v->scalar());
  std::string out;
  EmitJsonText(v, out);
  return out;
}

bool EnumContains(const Node* allowed, const Node* v) {
  for (const Node* a : allowed->items()) {
    if (DeepEqual(a, v, false)) return true;
    // Numbers compare by value: 1 matches 1.0 in the schema and vice versa.
    bool numbers = (a->kind() == NodeKind::kInt || a->kind() == NodeKind::kFloat) &&
                   (v->kind() == NodeKind::kInt || v->kind() == NodeKind::kFloat);
    if (numbers && std::strtod(std::string(a->scalar()).c_str(), nullptr) ==
                       std::strtod(std::string(v->scalar()).c_str(), nullptr)) {
      return true;
    }
  }
  return false;
}

class Validator {
 public:
  void Check(const Node* v, const Node* schema, const std::string& path, bool root) {
    if (schema == nullptr || !schema->IsMap()) return;
    if (v->IsNull() && Flag(schema, "nullable")) return;
    if (!CheckType(v, schema, path)) return;
    if (const Node* allowed = schema->Get("enum"); allowed != nullptr && allowed->IsSeq() && !EnumContains(allowed, v)) {
      std::string supported;
      for (const Node* a : allowed->items()) {
        if (!supported.empty()) supported += ", ";
        supported += JsonQuote(a->IsScalar() ? a->scalar() : Printed(a));
      }
      Add("FieldValueNotSupported", path, "Unsupported value: " + Printed(v) + ": supported values: " + supported);
    }
    if (v->IsMap()) CheckObject(v, schema, path, HasEnvelope(schema, root));
    if (v->IsSeq()) {
      const Node* items = schema->Get("items");
      for (size_t i = 0; i < v->items().size(); ++i) Check(v->items()[i], items, Index(path, i), false);
    }
  }

  std::vector<StatusCause> causes;

 private:
  void Add(std::string reason, const std::string& path, std::string message) {
    causes.push_back(StatusCause{std::move(reason), std::move(message), path});
  }

  // False when the value has the wrong type (nothing below it is checked).
  bool CheckType(const Node* v, const Node* schema, const std::string& path) {
    std::string_view have = TypeOf(v);
    std::string want;
    if (Flag(schema, "x-kubernetes-int-or-string")) {
      if (have == "integer" || have == "string") return true;
      want = "integer,string";
    } else {
      want = std::string(schema->GetString("type"));
      if (want.empty() || TypeAccepts(want, have)) return true;
    }
    std::string where = path.empty() ? "body" : path + " in body";
    Add("FieldValueTypeInvalid", path,
        "Invalid value: " + JsonQuote(have) + ": " + where + " must be of type " + want + ": " + JsonQuote(have));
    return false;
  }

  void CheckObject(const Node* v, const Node* schema, const std::string& path, bool envelope) {
    if (const Node* required = schema->Get("required"); required != nullptr && required->IsSeq()) {
      for (const Node* r : required->items()) {
        if (v->Get(r->scalar()) == nullptr) Add("FieldValueRequired", Child(path, r->scalar()), "Required value");
      }
    }
    const Node* props = schema->Get("properties");
    const Node* additional = schema->Get("additionalProperties");
    for (const MapEntry& e : v->entries()) {
      if (envelope && IsEnvelopeKey(e.key)) continue;
      const Node* field = props != nullptr && props->IsMap() ? props->Get(e.key) : nullptr;
      if (field == nullptr && additional != nullptr && additional->IsMap()) field = additional;
      if (field != nullptr) Check(e.value, field, Child(path, e.key), false);
    }
  }
};

// Visits undeclared fields: collects their paths, and removes them when
// `prune` (the caller owns `v` then).
void WalkUndeclared(Node* v, const Node* schema, const std::string& path, bool root, bool prune,
                    std::vector<std::string>& out) {
  if (schema == nullptr || !schema->IsMap() || v == nullptr) return;
  if (v->IsSeq()) {
    const Node* items = schema->Get("items");
    for (size_t i = 0; i < v->items().size(); ++i) WalkUndeclared(v->items()[i], items, Index(path, i), false, prune, out);
    return;
  }
  if (!v->IsMap()) return;
  bool envelope = HasEnvelope(schema, root);
  bool preserve = Flag(schema, "x-kubernetes-preserve-unknown-fields");
  const Node* props = schema->Get("properties");
  const Node* additional = schema->Get("additionalProperties");
  std::vector<std::string_view> doomed;
  for (const MapEntry& e : v->entries()) {
    if (envelope && IsEnvelopeKey(e.key)) continue;
    const Node* field = props != nullptr && props->IsMap() ? props->Get(e.key) : nullptr;
    if (field == nullptr && additional != nullptr && additional->IsMap()) field = additional;
    if (field != nullptr) {
      WalkUndeclared(e.value, field, Child(path, e.key), false, prune, out);
    } else if (!preserve && !IsTrue(additional)) {
      out.push_back(Child(path, e.key));
      doomed.push_back(e.key);
    }
  }
  if (prune) {
    for (std::string_view key : doomed) v->Remove(key);
  }
}

}  // namespace

const Node* CrdVersionSchema(const Node* crd, std::string_view version) {
  if (crd == nullptr || !crd->IsMap()) return nullptr;
  const Node* versions = crd->GetPath({"spec", "versions"});
  if (versions != nullptr && versions->IsSeq()) {
    for (const Node* v : versions->items()) {
      if (v->GetString("name") != version) continue;
      if (const Node* s = v->GetPath({"schema", "openAPIV3Schema"}); s != nullptr && s->IsMap()) return s;
    }
  }
  const Node* global = crd->GetPath({"spec", "validation", "openAPIV3Schema"});
  return global != nullptr && global->IsMap() ? global : nullptr;
}

std::vector<StatusCause> SchemaViolations(const Node* object, const Node* schema) {
  Validator validator;
  if (object != nullptr) validator.Check(object, schema, "", true);
  return std::move(validator.causes);
}

std::vector<std::string> UndeclaredFields(const Node* object, const Node* schema) {
  std::vector<std::string> out;
  // Without pruning the walk only reads the object.
  WalkUndeclared(const_cast<Node*>(object), schema, "", true, false, out);
  return out;
}

void PruneUndeclaredFields(Node* object, const Node* schema) {
  std::vector<std::string> ignored;
  WalkUndeclared(object, schema, "", true, true, ignored);
}

std::string InvalidMessage(const std::vector<StatusCause>& causes) {
  std::string joined;
  for (const StatusCause& c : causes) {
    if (!joined.empty()) joined += ", ";
    joined += c.field.empty() ? c.message : c.field + ": " + c.message;
  }
  return causes.size() > 1 ? "[" + joined + "]" : joined;
}

const Node* CustomResourceSchema(const ControlPlane& cp, const ApiResource& res, Arena& arena) {
  if (!res.custom) return nullptr;
  auto crd = cp.store().Get(ObjectKey{"apiextensions.k8s.io/customresourcedefinitions", "", res.plural + "." + res.group});
  if (!crd) return nullptr;
  auto root = ParseJsonText(crd->json, arena);
  if (!root.ok()) return nullptr;
  return CrdVersionSchema(*root, res.version);
}

std::vector<std::string> UndeclaredCustomFields(const ControlPlane& cp, const ApiResource& res, const Node* object) {
  Arena arena;
  const Node* schema = CustomResourceSchema(cp, res, arena);
  if (schema == nullptr) return {};
  return UndeclaredFields(object, schema);
}

std::optional<HttpResponse> AdmitCustomResource(const ControlPlane& cp, const ApiResource& res, Node* object,
                                                Arena& arena) {
  const Node* schema = CustomResourceSchema(cp, res, arena);
  if (schema == nullptr) return std::nullopt;
  PruneUndeclaredFields(object, schema);
  std::vector<StatusCause> causes = SchemaViolations(object, schema);
  if (causes.empty()) return std::nullopt;
  std::string name(MetaString(object, "name"));
  return StatusResponse(422, "Invalid", res.kind + "." + res.group + " \"" + name + "\" is invalid: " + InvalidMessage(causes),
                        {name, res.group, res.kind, causes});
}

}  // namespace skiff::local
