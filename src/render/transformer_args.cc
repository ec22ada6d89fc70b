#include "render/transformer_args.h"

#include <algorithm>

namespace skiff {

namespace {

bool IsStringLike(const Node* n) { return n->IsString() || n->IsNull(); }

std::string Text(const Node* n) { return n->IsNull() ? std::string() : std::string(n->scalar()); }

}  // namespace

Error ArgError(const RenderContext& ctx, const Node* node, std::string_view field,
               std::string_view what) {
  std::string m = ctx.kustomization_file;
  if (node != nullptr && node->pos().line > 0) m += ":" + std::to_string(node->pos().line);
  m += ": ";
  m += field;
  m += ": ";
  m += what;
  return MakeError(std::move(m));
}

Result<std::string> ReadStringArg(const Node* value, std::string_view field,
                                  const RenderContext& ctx) {
  if (value == nullptr) return std::string();
  if (!IsStringLike(value)) return ArgError(ctx, value, field, "expected a string");
  return Text(value);
}

Result<StringPairs> ReadStringMapArg(const Node* value, std::string_view field,
                                     const RenderContext& ctx) {
  StringPairs out;
  if (value == nullptr || value->IsNull()) return out;
  if (!value->IsMap()) return ArgError(ctx, value, field, "expected a map of strings");
  for (const MapEntry& e : value->entries()) {
    if (!IsStringLike(e.value)) {
      return ArgError(ctx, e.value, std::string(field) + "." + std::string(e.key),
                      "expected a string value (quote numbers and booleans)");
    }
    auto same_key = [&](const auto& p) { return p.first == e.key; };
    auto it = std::find_if(out.begin(), out.end(), same_key);
    if (it != out.end()) {
      it->second = Text(e.value);
    } else {
      out.emplace_back(std::string(e.key), Text(e.value));
    }
  }
  return out;
}

Status CheckKnownKeys(const Node* map, std::string_view field,
                      std::initializer_list<std::string_view> allowed, const RenderContext& ctx) {
  for (const MapEntry& e : map->entries()) {
    if (std::find(allowed.begin(), allowed.end(), e.key) == allowed.end()) {
      return ArgError(ctx, e.value, field, "unknown field \"" + std::string(e.key) + "\"");
    }
  }
  return Status::Ok();
}

namespace {

Result<FieldSpec> ReadFieldSpec(const Node* entry, std::string_view field,
                                const RenderContext& ctx) {
  if (!entry->IsMap()) return ArgError(ctx, entry, field, "expected a field spec map");
  SKIFF_RETURN_IF_ERROR(
      CheckKnownKeys(entry, field, {"group", "version", "kind", "path", "create"}, ctx));
  std::string parts[4];
  const char* names[4] = {"group", "version", "kind", "path"};
  for (int i = 0; i < 4; ++i) {
    SKIFF_ASSIGN_OR_RETURN(parts[i], ReadStringArg(entry->Get(names[i]), std::string(field) +
                                                                             "." + names[i],
                                                   ctx));
  }
  bool create = false;
  if (const Node* c = entry->Get("create"); c != nullptr && !c->IsNull()) {
    if (c->kind() != NodeKind::kBool) {
      return ArgError(ctx, c, std::string(field) + ".create", "expected true or false");
    }
    create = c->scalar() == "true";
  }
  return FieldSpec::Make(parts[0], parts[1], parts[2], parts[3], create);
}

}  // namespace

Result<std::vector<FieldSpec>> ReadFieldSpecsArg(const Node* value, std::string_view field,
                                                 const RenderContext& ctx) {
  std::vector<FieldSpec> out;
  if (value == nullptr || value->IsNull()) return out;
  if (!value->IsSeq()) return ArgError(ctx, value, field, "expected a list of field specs");
  for (const Node* item : value->items()) {
    SKIFF_ASSIGN_OR_RETURN(FieldSpec spec, ReadFieldSpec(item, field, ctx));
    out.push_back(std::move(spec));
  }
  return out;
}

Status MergeFieldSpec(std::vector<FieldSpec>& specs, const FieldSpec& spec) {
  for (const FieldSpec& have : specs) {
    if (have.group != spec.group || have.version != spec.version || have.kind != spec.kind ||
        have.path != spec.path) {
      continue;
    }
    if (have.create != spec.create) {
      return MakeError("conflicting field specs for path " + spec.PathString() +
                       (spec.kind.empty() ? std::string() : " of kind " + spec.kind) +
                       ": create is both true and false");
    }
    return Status::Ok();
  }
  specs.push_back(spec);
  return Status::Ok();
}

}  // namespace skiff
