#include "local/openapi_v3.h"

#include <gtest/gtest.h>

#include <functional>

#include "local/json_codec.h"
#include "local/openapi_blob.h"

namespace skiff::local {
namespace {

class OpenApiV3Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    static Arena arena(1 << 20);
    spec_ = *ParseJsonText(OpenApiJson(), arena);
    auto catalog = ApiCatalog::FromOpenApi(spec_);
    ASSERT_TRUE(catalog.ok());
    v3_ = new OpenApiV3(OpenApiV3::Build(spec_, *catalog));
  }
  static void TearDownTestSuite() { delete v3_; }

  static const Node* spec_;
  static OpenApiV3* v3_;
  Arena arena_;
};
const Node* OpenApiV3Test::spec_ = nullptr;
OpenApiV3* OpenApiV3Test::v3_ = nullptr;

TEST_F(OpenApiV3Test, IndexPointsAtEachGroupVersionWithItsHash) {
  auto index = ParseJsonText(v3_->IndexJson(), arena_);
  ASSERT_TRUE(index.ok());
  const Node* paths = (*index)->Get("paths");
  ASSERT_NE(paths, nullptr);
  for (std::string_view gv : {"api/v1", "apis/apps/v1", "apis/batch/v1", "apis/rbac.authorization.k8s.io/v1"}) {
    const Node* entry = paths->Get(gv);
    ASSERT_NE(entry, nullptr) << gv;
    std::string url(entry->GetString("serverRelativeURL"));
    EXPECT_EQ(url.rfind("/openapi/v3/" + std::string(gv) + "?hash=", 0), 0u) << url;
    EXPECT_NE(v3_->Document(gv), nullptr);
  }
  EXPECT_EQ(v3_->Document("apis/nonexistent/v1"), nullptr);
}

// kubectl skips client-side validation for a kind when the PATCH operation
// tagged with its group-version-kind declares the fieldValidation parameter.
TEST_F(OpenApiV3Test, PatchOperationsDeclareFieldValidation) {
  auto doc = ParseJsonText(*v3_->Document("apis/apps/v1"), arena_);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)->GetString("openapi"), "3.0.0");
  const Node* patch =
      (*doc)->GetPath({"paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "patch"});
  ASSERT_NE(patch, nullptr);
  const Node* gvk = patch->Get("x-kubernetes-group-version-kind");
  ASSERT_NE(gvk, nullptr);
  EXPECT_EQ(gvk->GetString("group"), "apps");
  EXPECT_EQ(gvk->GetString("version"), "v1");
  EXPECT_EQ(gvk->GetString("kind"), "Deployment");
  bool declared = false;
  for (const Node* p : patch->Get("parameters")->items()) {
    declared = declared || (p->GetString("name") == "fieldValidation" && p->GetString("in") == "query");
  }
  EXPECT_TRUE(declared);
}

// Every $ref points into components.schemas and resolves there.
TEST_F(OpenApiV3Test, SchemasAreClosedUnderReferences) {
  for (std::string_view gv : {"api/v1", "apis/apps/v1"}) {
    const std::string& text = *v3_->Document(gv);
    EXPECT_EQ(text.find("#/definitions/"), std::string::npos);
    auto doc = ParseJsonText(text, arena_);
    ASSERT_TRUE(doc.ok());
    const Node* schemas = (*doc)->GetPath({"components", "schemas"});
    ASSERT_NE(schemas, nullptr);
    EXPECT_NE(schemas->Get(gv == "api/v1" ? "io.k8s.api.core.v1.ConfigMap" : "io.k8s.api.apps.v1.Deployment"),
              nullptr);
    size_t refs = 0;
    std::function<void(const Node*)> check = [&](const Node* n) {
      if (n->IsSeq()) {
        for (const Node* i : n->items()) check(i);
      } else if (n->IsMap()) {
        for (const MapEntry& e : n->entries()) {
          if (e.key == "$ref") {
            ++refs;
            std::string_view ref = e.value->scalar();
            ASSERT_EQ(ref.rfind("#/components/schemas/", 0), 0u) << ref;
            EXPECT_NE(schemas->Get(ref.substr(21)), nullptr) << ref;
          } else {
            check(e.value);
          }
        }
      }
    };
    check(*doc);
    EXPECT_GT(refs, 10u);
  }
}

}  // namespace
}  // namespace skiff::local
