// Output formats: the text line shape, JSON that parses, and a SARIF log
// carrying every property the SARIF 2.1.0 schema requires.
#include "policy/report.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff::policy {
namespace {

CheckResult Sample() {
  CheckResult r;
  r.objects_checked = 3;
  Finding a;
  a.rule = "pss-baseline/privileged";
  a.severity = Severity::kError;
  a.object = ResId{Gvk{"apps", "v1", "Deployment"}, "shop", "web"};
  a.origin = Origin{"/repo/apps/web.yaml", 14};
  a.field = "spec.template.spec.containers[name=web].securityContext.privileged";
  a.message = "container web is \"privileged\"";
  a.fix = "remove securityContext.privileged or set it to false";
  Finding b = a;
  b.rule = "platform/probes";
  b.severity = Severity::kWarning;
  b.origin.line = 9;
  Finding c = a;
  c.rule = "tenancy/custom";  // not in the catalog: SARIF still needs a rule entry
  c.severity = Severity::kInfo;
  c.origin = Origin{};
  r.findings = {a, b, c};
  return r;
}

TEST(Report, TextLinesNameFileLineSeverityRuleObjectFieldAndFix) {
  std::string text = FormatText(Sample(), "/repo");
  EXPECT_NE(text.find("apps/web.yaml:14: error [pss-baseline/privileged] Deployment/shop/web "
                      "spec.template.spec.containers[name=web].securityContext.privileged: container web "
                      "is \"privileged\" (fix: remove securityContext.privileged or set it to false)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("1 error(s), 1 warning(s), 1 info in 3 object(s)"), std::string::npos) << text;
}

TEST(Report, JsonParsesAndCarriesEveryField) {
  Arena arena;
  Result<Node*> doc = ParseJson(FormatJson(Sample(), "/repo"), arena);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const Node* findings = (*doc)->Get("findings");
  ASSERT_TRUE(findings && findings->IsSeq());
  ASSERT_EQ(findings->items().size(), 3u);
  const Node* first = findings->items()[0];
  EXPECT_EQ(first->GetString("file"), "apps/web.yaml");
  EXPECT_EQ(first->Get("line")->scalar(), "14");
  EXPECT_EQ(first->GetString("message"), "container web is \"privileged\"");
  EXPECT_EQ(first->Get("object")->GetString("namespace"), "shop");
  EXPECT_EQ((*doc)->GetPath({"summary", "errors"})->scalar(), "1");
}

// The properties SARIF 2.1.0 marks required, plus what code scanning needs.
void ValidateSarif(const Node* log) {
  ASSERT_TRUE(log && log->IsMap());
  EXPECT_EQ(log->GetString("version"), "2.1.0");
  const Node* runs = log->Get("runs");
  ASSERT_TRUE(runs && runs->IsSeq() && !runs->items().empty());
  for (const Node* run : runs->items()) {
    const Node* driver = run->GetPath({"tool", "driver"});
    ASSERT_TRUE(driver && driver->IsMap());
    EXPECT_FALSE(driver->GetString("name").empty());
    const Node* rules = driver->Get("rules");
    ASSERT_TRUE(rules && rules->IsSeq());
    for (const Node* rule : rules->items()) {
      EXPECT_FALSE(rule->GetString("id").empty());
      ASSERT_NE(rule->GetPath({"shortDescription", "text"}), nullptr);
      ASSERT_NE(rule->GetPath({"help", "text"}), nullptr);
    }
    const Node* results = run->Get("results");
    ASSERT_TRUE(results && results->IsSeq());
    for (const Node* res : results->items()) {
      ASSERT_NE(res->GetPath({"message", "text"}), nullptr);
      std::string_view level = res->GetString("level");
      EXPECT_TRUE(level == "error" || level == "warning" || level == "note" || level == "none") << level;
      std::string_view rule_id = res->GetString("ruleId");
      const Node* index = res->Get("ruleIndex");
      ASSERT_NE(index, nullptr);
      size_t i = std::stoul(std::string(index->scalar()));
      ASSERT_LT(i, rules->items().size());
      EXPECT_EQ(rules->items()[i]->GetString("id"), rule_id);
      const Node* locations = res->Get("locations");
      if (locations == nullptr) continue;
      for (const Node* loc : locations->items()) {
        const Node* art = loc->GetPath({"physicalLocation", "artifactLocation"});
        ASSERT_NE(art, nullptr);
        std::string_view uri = art->GetString("uri");
        EXPECT_FALSE(uri.empty());
        EXPECT_FALSE(uri.starts_with("/")) << "uri must be relative to the repository root: " << uri;
        if (const Node* line = loc->GetPath({"physicalLocation", "region", "startLine"})) {
          EXPECT_GE(std::stol(std::string(line->scalar())), 1);
        }
      }
    }
  }
}

TEST(Report, SarifHasTheRequiredStructure) {
  Arena arena;
  Result<Node*> doc = ParseJson(FormatSarif(Sample(), "/repo"), arena);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  ValidateSarif(*doc);
  const Node* results = (*doc)->GetPath({"runs"})->items()[0]->Get("results");
  ASSERT_EQ(results->items().size(), 3u);
  const Node* first = results->items()[0];
  EXPECT_EQ(first->GetString("level"), "error");
  EXPECT_EQ(first->items().size(), 0u);
  const Node* loc = first->Get("locations")->items()[0]->Get("physicalLocation");
  EXPECT_EQ(loc->Get("artifactLocation")->GetString("uri"), "apps/web.yaml");
  EXPECT_EQ(loc->GetPath({"region", "startLine"})->scalar(), "14");
  EXPECT_EQ(results->items()[1]->GetString("level"), "warning");
  EXPECT_EQ(results->items()[2]->GetString("level"), "note");
  EXPECT_EQ(results->items()[2]->Get("locations"), nullptr);  // no file: no location
}

TEST(Report, EmptyResultIsStillAValidSarifLog) {
  Arena arena;
  CheckResult empty;
  Result<Node*> doc = ParseJson(FormatSarif(empty, "/repo"), arena);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  ValidateSarif(*doc);
}

TEST(Report, PathsOutsideTheRootStayAsGiven) {
  EXPECT_EQ(RelativePath("/repo", "/elsewhere/x.yaml"), "/elsewhere/x.yaml");
  EXPECT_EQ(RelativePath("/repo", "/repo/a/../b/x.yaml"), "b/x.yaml");
  EXPECT_EQ(ObjectLabel(ResId{Gvk{"", "v1", "Namespace"}, "", "shop"}), "Namespace/shop");
}

}  // namespace
}  // namespace skiff::policy
