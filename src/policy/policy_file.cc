#include "policy/policy_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/node.h"
#include "yaml/yaml.h"

namespace skiff::policy {
namespace {

namespace fs = std::filesystem;

// Builds "file:line: field: problem" errors for one document.
class Reader {
 public:
  explicit Reader(std::string_view file) : file_(file) {}

  Error Fail(const Node* at, std::string_view field, std::string_view problem) const {
    std::string where = file_;
    if (at != nullptr && at->pos().line != 0) where += ":" + std::to_string(at->pos().line);
    return MakeError(where + ": " + std::string(field) + ": " + std::string(problem));
  }

  Result<std::string> String(const Node* n, std::string_view field) const {
    if (n == nullptr || !n->IsScalar() || n->IsNull()) return Fail(n, field, "expected a string");
    return std::string(n->scalar());
  }

  Result<std::vector<std::string>> Strings(const Node* n, std::string_view field) const {
    if (n == nullptr || !n->IsSeq()) return Fail(n, field, "expected a list of strings");
    std::vector<std::string> out;
    for (size_t i = 0; i < n->items().size(); ++i) {
      SKIFF_ASSIGN_OR_RETURN(std::string s, String(n->items()[i], std::string(field) + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(s));
    }
    return out;
  }

  Result<bool> Bool(const Node* n, std::string_view field) const {
    if (n == nullptr || n->kind() != NodeKind::kBool) return Fail(n, field, "expected true or false");
    return n->scalar() == "true" || n->scalar() == "True" || n->scalar() == "TRUE";
  }

  Result<Severity> SeverityOf(const Node* n, std::string_view field) const {
    std::string_view t = n != nullptr && n->IsScalar() ? n->scalar() : std::string_view();
    if (t == "error") return Severity::kError;
    if (t == "warning") return Severity::kWarning;
    if (t == "info") return Severity::kInfo;
    return Fail(n, field, "expected error, warning or info, got \"" + std::string(t) + "\"");
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

bool IsIsoDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  int month = (d[5] - '0') * 10 + (d[6] - '0');
  int day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Reads the settings keys shared by the top level and each rule set; any
// other key must be one the caller handles (`known`).
Status ReadRuleSet(const Reader& rd, const Node* map, std::string_view prefix,
                   std::initializer_list<std::string_view> known, RuleSet& out) {
  out.line = map->pos().line;
  for (const MapEntry& e : map->entries()) {
    std::string field = std::string(prefix) + std::string(e.key);
    if (e.key == "paths") {
      SKIFF_ASSIGN_OR_RETURN(out.paths, rd.Strings(e.value, field));
    } else if (e.key == "namespaces") {
      SKIFF_ASSIGN_OR_RETURN(out.namespaces, rd.Strings(e.value, field));
    } else if (e.key == "pss") {
      std::optional<PssLevel> level = ParsePssLevel(e.value ? e.value->scalar() : "");
      if (!level) return rd.Fail(e.value, field, "expected privileged, baseline or restricted");
      out.pss = level;
    } else if (e.key == "platform") {
      SKIFF_ASSIGN_OR_RETURN(bool on, rd.Bool(e.value, field));
      out.platform = on;
    } else if (e.key == "disabled") {
      SKIFF_ASSIGN_OR_RETURN(out.disabled, rd.Strings(e.value, field));
    } else if (e.key == "severities") {
      if (e.value == nullptr || !e.value->IsMap()) return rd.Fail(e.value, field, "expected a map of rule id to severity");
      for (const MapEntry& s : e.value->entries()) {
        SKIFF_ASSIGN_OR_RETURN(Severity sev, rd.SeverityOf(s.value, field + "." + std::string(s.key)));
        out.severities[std::string(s.key)] = sev;
      }
    } else if (std::find(known.begin(), known.end(), e.key) == known.end()) {
      return rd.Fail(e.value, field, "unknown field");
    }
  }
  return Status::Ok();
}

Result<PolicyException> ReadException(const Reader& rd, const Node* map, std::string_view prefix) {
  if (map == nullptr || !map->IsMap()) return rd.Fail(map, prefix, "expected a map");
  PolicyException ex;
  ex.line = map->pos().line;
  std::string p(prefix);
  for (const MapEntry& e : map->entries()) {
    std::string field = p + "." + std::string(e.key);
    if (e.key == "rule") {
      SKIFF_ASSIGN_OR_RETURN(ex.rule, rd.String(e.value, field));
    } else if (e.key == "reason") {
      SKIFF_ASSIGN_OR_RETURN(ex.reason, rd.String(e.value, field));
    } else if (e.key == "expires") {
      SKIFF_ASSIGN_OR_RETURN(ex.expires, rd.String(e.value, field));
      // An unquoted date reads as a YAML timestamp; its text may carry a time.
      if (ex.expires.size() > 10 && (ex.expires[10] == 'T' || ex.expires[10] == ' ')) ex.expires.resize(10);
      if (!IsIsoDate(ex.expires)) return rd.Fail(e.value, field, "expected an ISO date YYYY-MM-DD");
    } else if (e.key == "object") {
      if (e.value == nullptr || !e.value->IsMap()) return rd.Fail(e.value, field, "expected a map with kind, namespace, name");
      for (const MapEntry& o : e.value->entries()) {
        std::string of = field + "." + std::string(o.key);
        std::string* slot = o.key == "kind" ? &ex.kind : o.key == "namespace" ? &ex.ns
                          : o.key == "name" ? &ex.name : nullptr;
        if (slot == nullptr) return rd.Fail(o.value, of, "unknown field");
        SKIFF_ASSIGN_OR_RETURN(*slot, rd.String(o.value, of));
      }
    } else {
      return rd.Fail(e.value, field, "unknown field");
    }
  }
  if (ex.rule.empty()) return rd.Fail(map, p + ".rule", "required");
  if (ex.reason.empty()) return rd.Fail(map, p + ".reason", "required: say why the exception is safe");
  return ex;
}

bool MatchImpl(std::string_view p, std::string_view t, bool star_crosses) {
  while (!p.empty()) {
    if (p[0] == '*') {
      bool dbl = p.size() > 1 && p[1] == '*';
      std::string_view rest = p.substr(dbl ? 2 : 1);
      if (dbl && !rest.empty() && rest[0] == '/') {
        // "**/" also matches zero segments.
        if (MatchImpl(rest.substr(1), t, star_crosses)) return true;
      }
      bool crosses = dbl || star_crosses;
      for (size_t i = 0; i <= t.size(); ++i) {
        if (MatchImpl(rest, t.substr(i), star_crosses)) return true;
        if (i < t.size() && t[i] == '/' && !crosses) return false;
      }
      return false;
    }
    if (t.empty()) return false;
    if (p[0] != '?' && p[0] != t[0]) return false;
    if (p[0] == '?' && t[0] == '/' && !star_crosses) return false;
    p.remove_prefix(1);
    t.remove_prefix(1);
  }
  return t.empty();
}

}  // namespace

std::string_view PssLevelName(PssLevel level) {
  switch (level) {
    case PssLevel::kPrivileged: return "privileged";
    case PssLevel::kBaseline: return "baseline";
    case PssLevel::kRestricted: return "restricted";
  }
  return "baseline";
}

std::optional<PssLevel> ParsePssLevel(std::string_view text) {
  if (text == "privileged") return PssLevel::kPrivileged;
  if (text == "baseline") return PssLevel::kBaseline;
  if (text == "restricted") return PssLevel::kRestricted;
  return std::nullopt;
}

bool PathGlobMatch(std::string_view pattern, std::string_view text) {
  return MatchImpl(pattern, text, false);
}

bool NameMatch(std::string_view pattern, std::string_view text) {
  return MatchImpl(pattern, text, true);
}

PolicyFile DefaultPolicy(std::string root) {
  PolicyFile p;
  p.root = std::move(root);
  p.defaults.pss = PssLevel::kBaseline;
  p.defaults.platform = true;
  return p;
}

Result<PolicyFile> ParsePolicyFile(std::string_view text, std::string_view file) {
  Arena arena;
  SKIFF_ASSIGN_OR_RETURN(std::vector<YamlDocument> docs, ParseYamlStream(text, file, arena));
  Reader rd(file);
  PolicyFile out = DefaultPolicy(fs::path(std::string(file)).parent_path().string());
  out.path = std::string(file);
  if (docs.empty() || docs[0].root == nullptr) return out;
  const Node* root = docs[0].root;
  if (!root->IsMap()) return rd.Fail(root, "(document)", "expected a map");
  SKIFF_RETURN_IF_ERROR(ReadRuleSet(rd, root, "", {"apiVersion", "kind", "projects", "allowedRegistries",
                                                   "requiredLabels", "ruleSets", "exceptions"},
                                    out.defaults));
  if (!out.defaults.paths.empty() || !out.defaults.namespaces.empty()) {
    return rd.Fail(root, "paths", "top-level settings apply everywhere; put paths/namespaces in a ruleSets entry");
  }
  if (!out.defaults.pss) out.defaults.pss = PssLevel::kBaseline;
  if (!out.defaults.platform) out.defaults.platform = true;
  if (const Node* v = root->Get("kind"); v != nullptr && v->scalar() != "Policy") {
    return rd.Fail(v, "kind", "expected Policy");
  }
  if (const Node* v = root->Get("projects")) {
    SKIFF_ASSIGN_OR_RETURN(out.projects_dir, rd.String(v, "projects"));
  }
  if (const Node* v = root->Get("allowedRegistries")) {
    SKIFF_ASSIGN_OR_RETURN(out.platform.allowed_registries, rd.Strings(v, "allowedRegistries"));
  }
  if (const Node* v = root->Get("requiredLabels")) {
    SKIFF_ASSIGN_OR_RETURN(out.platform.required_labels, rd.Strings(v, "requiredLabels"));
  }
  if (const Node* v = root->Get("ruleSets")) {
    if (!v->IsSeq()) return rd.Fail(v, "ruleSets", "expected a list");
    for (size_t i = 0; i < v->items().size(); ++i) {
      const Node* item = v->items()[i];
      std::string prefix = "ruleSets[" + std::to_string(i) + "].";
      if (item == nullptr || !item->IsMap()) return rd.Fail(item ? item : v, prefix, "expected a map");
      RuleSet rs;
      SKIFF_RETURN_IF_ERROR(ReadRuleSet(rd, item, prefix, {"name"}, rs));
      out.rule_sets.push_back(std::move(rs));
    }
  }
  if (const Node* v = root->Get("exceptions")) {
    if (!v->IsSeq()) return rd.Fail(v, "exceptions", "expected a list");
    for (size_t i = 0; i < v->items().size(); ++i) {
      SKIFF_ASSIGN_OR_RETURN(PolicyException ex,
                             ReadException(rd, v->items()[i], "exceptions[" + std::to_string(i) + "]"));
      out.exceptions.push_back(std::move(ex));
    }
  }
  return out;
}

Result<PolicyFile> LoadPolicyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(path + ": cannot read policy file");
  std::stringstream buf;
  buf << in.rdbuf();
  return ParsePolicyFile(buf.str(), path);
}

std::string FindPolicyFile(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec);
  if (ec) return {};
  p = p.lexically_normal();
  while (true) {
    fs::path candidate = p / "skiff-policy.yaml";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (!p.has_parent_path() || p.parent_path() == p) return {};
    p = p.parent_path();
  }
}

}  // namespace skiff::policy
