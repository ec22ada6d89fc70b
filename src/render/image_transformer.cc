#include "render/image_transformer.h"

#include <re2/re2.h>

#include "render/builtin_transformers.h"
#include "render/transformer_args.h"

namespace skiff {

ImageRef SplitImage(std::string_view image) {
  size_t slash = image.find('/');
  size_t base = slash != std::string_view::npos && slash > 0 ? slash : 0;
  std::string_view search = image.substr(base);
  size_t at = search.find('@');
  size_t colon = search.find(':');
  ImageRef ref;
  if (at == std::string_view::npos && colon == std::string_view::npos) {
    ref.name = std::string(image);
  } else if (at != std::string_view::npos && (colon == std::string_view::npos || at < colon)) {
    ref.name = std::string(image.substr(0, base + at));
    ref.digest = std::string(image.substr(base + at + 1));
  } else if (at != std::string_view::npos) {
    ref.name = std::string(image.substr(0, base + colon));
    ref.tag = std::string(image.substr(base + colon + 1, at - colon - 1));
    ref.digest = std::string(image.substr(base + at + 1));
  } else {
    ref.name = std::string(image.substr(0, base + colon));
    ref.tag = std::string(image.substr(base + colon + 1));
  }
  return ref;
}

namespace {

// The name is used as a regular expression unescaped, as kustomize does.
std::unique_ptr<RE2> CompileImagePattern(const std::string& name) {
  std::string pattern = "^" + name + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$";
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) return nullptr;
  return re;
}

bool IsTagChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.' || c == '{' || c == '}' || c == '-';
}

// Names made only of these characters are regexes whose one operator is
// '.', matching any single character but a newline.
bool IsSimpleName(std::string_view name) {
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '/' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// `rest` matches (:[tag chars]*)?(@sha256:[tag chars]*)? in full.
bool IsTagAndDigest(std::string_view rest) {
  auto skip_tag_chars = [&rest] {
    size_t i = 0;
    while (i < rest.size() && IsTagChar(rest[i])) ++i;
    rest.remove_prefix(i);
  };
  if (!rest.empty() && rest[0] == ':') {
    rest.remove_prefix(1);
    skip_tag_chars();
  }
  if (rest.substr(0, 8) == "@sha256:") {
    rest.remove_prefix(8);
    skip_tag_chars();
  }
  return rest.empty();
}

// FullMatch of the image pattern for a simple name on an ASCII image.
bool MatchesSimpleName(std::string_view name, std::string_view image) {
  if (image.size() < name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    bool ok = name[i] == '.' ? image[i] != '\n' : name[i] == image[i];
    if (!ok) return false;
  }
  return IsTagAndDigest(image.substr(name.size()));
}

}  // namespace

ImageTransformer::ImageTransformer(ImageRule rule, std::vector<FieldSpec> specs)
    : rule_(std::move(rule)), specs_(std::move(specs)) {
  // kustomize's image filter never creates anything, whatever `create` says.
  for (FieldSpec& spec : specs_) spec.create = false;
  simple_name_ = IsSimpleName(rule_.name);
  if (!simple_name_) pattern_ = CompileImagePattern(rule_.name);
}

ImageTransformer::~ImageTransformer() = default;

std::optional<std::string> ImageTransformer::Rewrite(std::string_view image) const {
  bool matches = false;
  if (simple_name_ && IsAscii(image)) {
    matches = MatchesSimpleName(rule_.name, image);
  } else if (simple_name_) {
    // '.' matches a whole UTF-8 character here: leave that to RE2.
    std::unique_ptr<RE2> re = CompileImagePattern(rule_.name);
    matches = re != nullptr && RE2::FullMatch(image, *re);
  } else {
    matches = pattern_ != nullptr && RE2::FullMatch(image, *pattern_);
  }
  if (!matches) return std::nullopt;
  ImageRef ref = SplitImage(image);
  if (!rule_.new_name.empty()) ref.name = rule_.new_name;
  if (!rule_.new_tag.empty()) {
    ref.tag = rule_.new_tag;
    ref.digest = rule_.digest;
  } else if (!rule_.digest.empty()) {
    ref.tag.clear();
    ref.digest = rule_.digest;
  } else if (!rule_.tag_suffix.empty()) {
    ref.tag += rule_.tag_suffix;
  }
  std::string out = ref.name;
  if (!ref.tag.empty()) out += ":" + ref.tag;
  if (!ref.digest.empty()) out += "@" + ref.digest;
  return out;
}

Status ImageTransformer::UpdateScalar(Node* image, Arena& arena) const {
  if (image == nullptr) return Status::Ok();
  if (!image->IsScalar()) return MakeError("image: expected a string");
  if (image->IsNull()) return Status::Ok();
  std::optional<std::string> updated = Rewrite(image->scalar());
  if (updated) image->SetScalar(NodeKind::kString, arena.Str(*updated));
  return Status::Ok();
}

// Walks the whole tree: every "containers" or "initContainers" list, at any
// depth, has the "image" of each element updated.
Status ImageTransformer::UpdateContainerLists(Node* node, Arena& arena) const {
  if (node->IsSeq()) {
    for (Node* item : node->items()) SKIFF_RETURN_IF_ERROR(UpdateContainerLists(item, arena));
    return Status::Ok();
  }
  if (!node->IsMap()) return Status::Ok();
  for (const MapEntry& e : node->entries()) {
    SKIFF_RETURN_IF_ERROR(UpdateContainerLists(e.value, arena));
    if ((e.key != "containers" && e.key != "initContainers") || !e.value->IsSeq()) continue;
    for (Node* container : e.value->items()) {
      if (!container->IsMap()) {
        return MakeError(std::string(e.key) + ": expected each container to be a map");
      }
      SKIFF_RETURN_IF_ERROR(UpdateScalar(container->Get("image"), arena));
    }
  }
  return Status::Ok();
}

Status ImageTransformer::ApplyOne(Resource& r, Arena& arena) const {
  Gvk gvk = r.GetGvk();
  if (gvk.kind == "CustomResourceDefinition") return Status::Ok();
  Status s = UpdateContainerLists(r.root, arena);
  for (const FieldSpec& spec : specs_) {
    if (!s.ok()) break;
    if (!spec.Selects(gvk)) continue;
    s = VisitFields(arena, r.root, spec,
                    [&](FieldLeaf& leaf) { return UpdateScalar(leaf.value, arena); });
  }
  if (!s.ok()) return s.error().Wrap(r.origin.String() + ": " + gvk.kind + " " +
                                     std::string(r.Name()));
  return Status::Ok();
}

Status ImageTransformer::Apply(ResourceSet& set, RenderContext& ctx) {
  for (Resource& r : set) SKIFF_RETURN_IF_ERROR(ApplyOne(r, ctx.arena));
  return Status::Ok();
}

Result<TransformerPtr> MakeImageTransformer(const Node* entry, RenderContext& ctx) {
  if (entry == nullptr || !entry->IsMap()) {
    return ArgError(ctx, entry, "images", "expected each entry to be a map");
  }
  SKIFF_RETURN_IF_ERROR(CheckKnownKeys(
      entry, "images", {"name", "newName", "newTag", "digest", "tagSuffix"}, ctx));
  ImageRule rule;
  struct Part {
    const char* key;
    std::string* out;
  };
  for (Part p : {Part{"name", &rule.name}, Part{"newName", &rule.new_name},
                 Part{"newTag", &rule.new_tag}, Part{"digest", &rule.digest},
                 Part{"tagSuffix", &rule.tag_suffix}}) {
    SKIFF_ASSIGN_OR_RETURN(*p.out,
                           ReadStringArg(entry->Get(p.key), std::string("images.") + p.key, ctx));
  }
  return TransformerPtr(new ImageTransformer(std::move(rule), ctx.config.images));
}

}  // namespace skiff
