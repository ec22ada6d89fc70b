// One entry of the `images` field (or of the deprecated `imageTags`).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "render/transformer.h"

namespace re2 {
class RE2;
}

namespace skiff {

// What one `images` entry asks for.
struct ImageRule {
  std::string name;  // a regular expression, unescaped, as kustomize uses it
  std::string new_name;
  std::string new_tag;
  std::string digest;
  std::string tag_suffix;
};

// An image reference split as kustomize splits it: a ":" before the first
// "/" belongs to the registry host, "@" starts the digest.
struct ImageRef {
  std::string name;
  std::string tag;
  std::string digest;
};
ImageRef SplitImage(std::string_view image);

// Rewrites matching image references in every object but
// CustomResourceDefinitions: first in each `containers` / `initContainers`
// list found at any depth, then again at the image field specs. A reference
// matches when it is `^NAME(:tag)?(@sha256:digest)?$`. newTag and digest
// replace both tag and digest; tagSuffix (only when neither is given) is
// appended to the tag, once per pass, as in kustomize.
class ImageTransformer : public Transformer {
 public:
  ImageTransformer(ImageRule rule, std::vector<FieldSpec> specs);
  ~ImageTransformer() override;

  Status Apply(ResourceSet& set, RenderContext& ctx) override;

  // The rewritten reference, or nullopt when `image` does not match.
  std::optional<std::string> Rewrite(std::string_view image) const;

 private:
  Status UpdateScalar(Node* image, Arena& arena) const;
  Status UpdateContainerLists(Node* node, Arena& arena) const;
  Status ApplyOne(Resource& r, Arena& arena) const;

  ImageRule rule_;
  std::vector<FieldSpec> specs_;
  std::unique_ptr<re2::RE2> pattern_;  // nullptr when the name is not a valid regex
  // The name uses no regex syntax but '.', so it is matched by hand and
  // never compiled (compiling one RE2 per images entry dominated renders).
  bool simple_name_ = false;
};

}  // namespace skiff
