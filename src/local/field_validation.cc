#include "local/field_validation.h"

namespace skiff::local {
namespace {

const Node* ResolveRef(const Node* schema, const Node* definitions) {
  for (int hops = 0; schema != nullptr && schema->IsMap() && hops < 8; ++hops) {
    std::string_view ref = schema->GetString("$ref");
    if (ref.empty()) return schema;
    constexpr std::string_view kPrefix = "#/definitions/";
    if (ref.substr(0, kPrefix.size()) != kPrefix || definitions == nullptr) return nullptr;
    schema = definitions->Get(ref.substr(kPrefix.size()));
  }
  return schema != nullptr && schema->IsMap() ? schema : nullptr;
}

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

void Walk(const Node* value, const Node* schema, const Node* definitions, const std::string& path,
          std::vector<std::string>& unknown) {
  schema = ResolveRef(schema, definitions);
  if (schema == nullptr || value == nullptr) return;
  if (value->IsSeq()) {
    const Node* items = schema->Get("items");
    for (size_t i = 0; items != nullptr && i < value->items().size(); ++i) {
      Walk(value->items()[i], items, definitions, path + "[" + std::to_string(i) + "]", unknown);
    }
    return;
  }
  if (!value->IsMap()) return;
  const Node* props = schema->Get("properties");
  if (props != nullptr && props->IsMap()) {
    for (const MapEntry& e : value->entries()) {
      const Node* field = props->Get(e.key);
      if (field == nullptr) {
        unknown.push_back(Join(path, e.key));
      } else {
        Walk(e.value, field, definitions, Join(path, e.key), unknown);
      }
    }
    return;
  }
  const Node* additional = schema->Get("additionalProperties");
  if (additional == nullptr || !additional->IsMap()) return;
  for (const MapEntry& e : value->entries()) Walk(e.value, additional, definitions, Join(path, e.key), unknown);
}

}  // namespace

FieldValidation ParseFieldValidation(std::string_view param) {
  if (param == "Strict") return FieldValidation::kStrict;
  if (param == "Warn") return FieldValidation::kWarn;
  return FieldValidation::kIgnore;
}

std::vector<std::string> UnknownFields(const Node* object, const Node* definition, const Node* definitions) {
  std::vector<std::string> unknown;
  Walk(object, definition, definitions, "", unknown);
  return unknown;
}

std::string StrictDecodingMessage(const std::vector<std::string>& unknown) {
  std::string message = "strict decoding error: ";
  for (size_t i = 0; i < unknown.size(); ++i) {
    if (i > 0) message += ", ";
    message += "unknown field \"" + unknown[i] + "\"";
  }
  return message;
}

}  // namespace skiff::local
