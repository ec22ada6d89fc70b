#include "render/replacements_parse.h"

#include <charconv>
#include <initializer_list>
#include <tuple>

#include "render/file_loader.h"
#include "yaml/yaml.h"

namespace skiff {

namespace {

// Reads one source of replacements (the kustomization, or a `path:` file).
// Errors name the node's own file and line.
class ReplacementReader {
 public:
  // `file` names the file the entries come from in messages.
  ReplacementReader(std::string file, bool strict) : file_(std::move(file)), strict_(strict) {}

  Result<Replacement> Read(const Node* entry, std::string field) {
    field_ = std::move(field);
    if (!entry->IsMap()) return Fail(entry, "", "expected a map");
    SKIFF_RETURN_IF_ERROR(Known(entry, "", {"path", "source", "targets"}));
    const Node* source = entry->Get("source");
    const Node* targets = entry->Get("targets");
    if (source == nullptr || source->IsNull() || targets == nullptr || targets->IsNull()) {
      return Fail(entry, "", "replacements must specify a source and at least one target");
    }
    Replacement rep;
    rep.where = Where(entry) + ": " + field_;
    SKIFF_RETURN_IF_ERROR(ReadSource(source, rep));
    if (!targets->IsSeq()) return Fail(targets, ".targets", "expected a list");
    for (size_t i = 0; i < targets->items().size(); ++i) {
      std::string sub = ".targets[" + std::to_string(i) + "]";
      SKIFF_ASSIGN_OR_RETURN(ReplacementTarget t, ReadTarget(targets->items()[i], sub));
      rep.targets.push_back(std::move(t));
    }
    return rep;
  }

 private:
  std::string Where(const Node* n) const {
    if (n->pos().line == 0) return file_;
    return file_ + ":" + std::to_string(n->pos().line);
  }

  Error Fail(const Node* n, std::string_view sub, std::string_view what) const {
    return MakeError(Where(n) + ": " + field_ + std::string(sub) + ": " + std::string(what));
  }

  Status Known(const Node* map, std::string_view sub, std::initializer_list<std::string_view> ok) {
    if (!strict_) return Status::Ok();
    for (const MapEntry& e : map->entries()) {
      bool known = false;
      for (std::string_view k : ok) known = known || k == e.key;
      if (!known) return Fail(map, sub, "unknown field \"" + std::string(e.key) + "\"");
    }
    return Status::Ok();
  }

  Result<std::string> String(const Node* map, std::string_view key, std::string_view sub) {
    const Node* n = map->Get(key);
    if (n == nullptr || n->IsNull()) return std::string();
    if (!n->IsScalar()) return Fail(n, std::string(sub) + "." + std::string(key),
                                    "expected a string");
    return std::string(n->scalar());
  }

  Result<ReplacementIdSelector> ReadId(const Node* map, std::string_view sub) {
    ReplacementIdSelector id;
    SKIFF_ASSIGN_OR_RETURN(id.group, String(map, "group", sub));
    SKIFF_ASSIGN_OR_RETURN(id.version, String(map, "version", sub));
    SKIFF_ASSIGN_OR_RETURN(id.kind, String(map, "kind", sub));
    SKIFF_ASSIGN_OR_RETURN(id.name, String(map, "name", sub));
    SKIFF_ASSIGN_OR_RETURN(id.ns, String(map, "namespace", sub));
    return id;
  }

  Result<FieldPath> Path(const Node* at, std::string_view text, std::string_view sub) {
    Result<FieldPath> path = FieldPath::Parse(text.empty() ? "metadata.name" : text);
    if (!path.ok()) return Fail(at, sub, path.error().message);
    return path;
  }

  Result<ReplacementOptions> ReadOptions(const Node* n, std::string sub) {
    ReplacementOptions options;
    if (n == nullptr || n->IsNull()) return options;
    if (!n->IsMap()) return Fail(n, sub, "expected a map");
    SKIFF_RETURN_IF_ERROR(Known(n, sub, {"delimiter", "index", "encoding", "create"}));
    SKIFF_ASSIGN_OR_RETURN(options.delimiter, String(n, "delimiter", sub));
    if (const Node* index = n->Get("index"); index != nullptr && !index->IsNull()) {
      std::string_view t = index->scalar();
      auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), options.index);
      if (index->kind() != NodeKind::kInt || ec != std::errc() || end != t.data() + t.size()) {
        return Fail(index, sub + ".index", "expected an integer");
      }
    }
    if (const Node* create = n->Get("create"); create != nullptr && !create->IsNull()) {
      if (create->kind() != NodeKind::kBool) {
        return Fail(create, sub + ".create", "expected true or false");
      }
      options.create = create->scalar() == "true";
    }
    return options;
  }

  Status ReadSource(const Node* source, Replacement& rep) {
    if (!source->IsMap()) return Fail(source, ".source", "expected a map");
    SKIFF_RETURN_IF_ERROR(Known(source, ".source", {"group", "version", "kind", "name",
                                                    "namespace", "fieldPath", "options"}));
    SKIFF_ASSIGN_OR_RETURN(rep.source, ReadId(source, ".source"));
    SKIFF_ASSIGN_OR_RETURN(std::string path, String(source, "fieldPath", ".source"));
    SKIFF_ASSIGN_OR_RETURN(rep.source_path, Path(source, path, ".source.fieldPath"));
    SKIFF_ASSIGN_OR_RETURN(rep.source_options,
                           ReadOptions(source->Get("options"), ".source.options"));
    return Status::Ok();
  }

  Result<ReplacementSelector> ReadSelector(const Node* n, const std::string& sub) {
    if (!n->IsMap()) return Fail(n, sub, "expected a map");
    SKIFF_RETURN_IF_ERROR(Known(n, sub, {"group", "version", "kind", "name", "namespace",
                                         "labelSelector", "annotationSelector"}));
    ReplacementSelector sel;
    SKIFF_ASSIGN_OR_RETURN(sel.id, ReadId(n, sub));
    for (auto [key, has, out] : {std::tuple{"labelSelector", &sel.has_labels, &sel.labels},
                                 std::tuple{"annotationSelector", &sel.has_annotations,
                                            &sel.annotations}}) {
      SKIFF_ASSIGN_OR_RETURN(std::string text, String(n, key, sub));
      if (text.empty()) continue;
      Result<LabelSelector> parsed = LabelSelector::Parse(text);
      if (!parsed.ok()) return Fail(n, sub + "." + key, parsed.error().message);
      *has = true;
      *out = std::move(*parsed);
    }
    return sel;
  }

  Result<ReplacementTarget> ReadTarget(const Node* n, const std::string& sub) {
    if (!n->IsMap()) return Fail(n, sub, "expected a map");
    SKIFF_RETURN_IF_ERROR(Known(n, sub, {"select", "reject", "fieldPaths", "options"}));
    const Node* select = n->Get("select");
    if (select == nullptr || select->IsNull()) {
      return Fail(n, sub, "target must specify resources to select");
    }
    ReplacementTarget t;
    SKIFF_ASSIGN_OR_RETURN(t.select, ReadSelector(select, sub + ".select"));
    if (const Node* reject = n->Get("reject"); reject != nullptr && !reject->IsNull()) {
      if (!reject->IsSeq()) return Fail(reject, sub + ".reject", "expected a list");
      for (const Node* r : reject->items()) {
        SKIFF_ASSIGN_OR_RETURN(ReplacementSelector sel, ReadSelector(r, sub + ".reject"));
        t.reject.push_back(std::move(sel));
      }
    }
    const Node* paths = n->Get("fieldPaths");
    if (paths != nullptr && !paths->IsNull()) {
      if (!paths->IsSeq()) return Fail(paths, sub + ".fieldPaths", "expected a list");
      for (const Node* p : paths->items()) {
        if (!p->IsScalar()) return Fail(p, sub + ".fieldPaths", "expected a string");
        SKIFF_ASSIGN_OR_RETURN(FieldPath path, Path(p, p->scalar(), sub + ".fieldPaths"));
        t.field_paths.push_back(std::move(path));
      }
    }
    if (t.field_paths.empty()) {
      SKIFF_ASSIGN_OR_RETURN(FieldPath path, Path(n, "", sub + ".fieldPaths"));
      t.field_paths.push_back(std::move(path));
    }
    SKIFF_ASSIGN_OR_RETURN(t.options, ReadOptions(n->Get("options"), sub + ".options"));
    return t;
  }

  std::string file_;
  bool strict_;
  std::string field_;
};

// The replacements held by the file an entry's `path` names.
Status ReadPathEntry(const Node* entry, const std::string& field, const RenderContext& ctx,
                     std::vector<Replacement>& out) {
  std::string where = ctx.kustomization_file + ":" + std::to_string(entry->pos().line) + ": " +
                      field;
  if (entry->Get("source") != nullptr || entry->Get("targets") != nullptr) {
    return MakeError(where + ": cannot specify both path and inline replacement");
  }
  const Node* path = entry->Get("path");
  if (!path->IsScalar()) return MakeError(where + ".path: expected a string");
  Result<std::string> text = ctx.loader.ReadFile(path->scalar(), field + ".path");
  if (!text.ok()) return text.error().Wrap(where);
  std::string file = ctx.loader.root() + "/" + std::string(path->scalar());
  Result<std::vector<YamlDocument>> docs = ParseYamlStream(*text, file, ctx.arena);
  if (!docs.ok()) return docs.error().Wrap(where);
  if (docs->empty() || (*docs)[0].root == nullptr) return Status::Ok();
  const Node* root = (*docs)[0].root;
  ReplacementReader reader(file, /*strict=*/false);
  std::vector<const Node*> entries;
  if (root->IsSeq()) {
    entries.assign(root->items().begin(), root->items().end());
  } else {
    entries.push_back(root);
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string sub = root->IsSeq() ? "replacement[" + std::to_string(i) + "]" : "replacement";
    SKIFF_ASSIGN_OR_RETURN(Replacement rep, reader.Read(entries[i], sub));
    rep.where = where + " (" + rep.where + ")";
    out.push_back(std::move(rep));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Replacement>> ReadReplacements(const Node* value, const RenderContext& ctx) {
  std::vector<Replacement> out;
  if (value == nullptr || value->IsNull()) return out;
  if (!value->IsSeq()) {
    return MakeError(ctx.kustomization_file + ":" + std::to_string(value->pos().line) +
                     ": replacements: expected a list");
  }
  ReplacementReader inline_reader(ctx.kustomization_file, /*strict=*/true);
  for (size_t i = 0; i < value->items().size(); ++i) {
    const Node* entry = value->items()[i];
    std::string field = "replacements[" + std::to_string(i) + "]";
    if (entry->IsMap() && entry->Get("path") != nullptr) {
      SKIFF_RETURN_IF_ERROR(ReadPathEntry(entry, field, ctx, out));
      continue;
    }
    SKIFF_ASSIGN_OR_RETURN(Replacement rep, inline_reader.Read(entry, field));
    out.push_back(std::move(rep));
  }
  return out;
}

}  // namespace skiff
