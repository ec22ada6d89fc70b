#include "policy/report.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "policy/rule_catalog.h"

namespace skiff::policy {
namespace {

void JsonString(std::string_view s, std::string& out) {
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

std::string Quoted(std::string_view s) {
  std::string out;
  JsonString(s, out);
  return out;
}

std::string_view SarifLevel(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "note";
  }
  return "error";
}

std::string Summary(const CheckResult& r) {
  return std::to_string(r.Count(Severity::kError)) + " error(s), " +
         std::to_string(r.Count(Severity::kWarning)) + " warning(s), " +
         std::to_string(r.Count(Severity::kInfo)) + " info in " + std::to_string(r.objects_checked) +
         " object(s); " + std::to_string(r.suppressed) + " suppressed by exceptions";
}

}  // namespace

std::string RelativePath(const std::string& root, const std::string& file) {
  if (root.empty() || file.empty()) return file;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path abs_file = fs::absolute(file, ec).lexically_normal();
  fs::path abs_root = fs::absolute(root, ec).lexically_normal();
  fs::path rel = abs_file.lexically_relative(abs_root);
  if (rel.empty() || *rel.begin() == "..") return file;
  return rel.generic_string();
}

namespace {

// RelativePath for every finding of one report: the root is made absolute
// once and each distinct file resolved once, since path math costs far more
// than the line it feeds and reports repeat the same files many times.
class RelativePaths {
 public:
  explicit RelativePaths(const std::string& root) : root_(root) {
    if (!root_.empty()) {
      std::error_code ec;
      abs_root_ = std::filesystem::absolute(root_, ec).lexically_normal();
    }
  }

  const std::string& Of(const std::string& file) {
    // Findings arrive sorted by file, so most lookups repeat the last one.
    if (last_ != nullptr && last_->first == file) return last_->second;
    auto [it, fresh] = cache_.try_emplace(file);
    if (fresh) it->second = Compute(file);
    last_ = &*it;
    return it->second;
  }

 private:
  // Mirrors RelativePath(root_, file).
  std::string Compute(const std::string& file) const {
    if (root_.empty() || file.empty()) return file;
    // Rendered origins are normally absolute and normal already: then the
    // relative path is the text after the root, without the path machinery.
    const std::string& base = abs_root_.native();
    if (IsPlainAbsolute(base) && IsPlainAbsolute(file) && file != base) {
      bool under = file.size() > base.size() + 1 && file.compare(0, base.size(), base) == 0 &&
                   file[base.size()] == '/';
      // Outside the root the relative path would start with "..": keep the file.
      return under ? file.substr(base.size() + 1) : file;
    }
    std::error_code ec;
    std::filesystem::path abs_file = std::filesystem::absolute(file, ec).lexically_normal();
    std::filesystem::path rel = abs_file.lexically_relative(abs_root_);
    if (rel.empty() || *rel.begin() == "..") return file;
    return rel.generic_string();
  }

  // Absolute, with no empty, "." or ".." component and no trailing slash, so
  // lexically_normal would leave it as it is.
  static bool IsPlainAbsolute(std::string_view p) {
    if (p.size() < 2 || p[0] != '/' || p.back() == '/') return false;
    size_t start = 1;
    while (start <= p.size()) {
      size_t end = p.find('/', start);
      if (end == std::string_view::npos) end = p.size();
      std::string_view part = p.substr(start, end - start);
      if (part.empty() || part == "." || part == "..") return false;
      start = end + 1;
    }
    return true;
  }

  const std::string& root_;
  std::filesystem::path abs_root_;
  std::unordered_map<std::string, std::string> cache_;
  const std::pair<const std::string, std::string>* last_ = nullptr;  // node pointers stay valid
};

}  // namespace

std::string ObjectLabel(const ResId& id) {
  std::string out = id.gvk.kind.empty() ? "*" : id.gvk.kind;
  if (!id.ns.empty()) out += "/" + id.ns;
  out += "/" + (id.name.empty() ? std::string("*") : id.name);
  return out;
}

std::string FormatText(const CheckResult& result, const std::string& root) {
  std::string out;
  std::string current_file;
  bool first = true;
  RelativePaths relative(root);
  for (const Finding& f : result.findings) {
    const std::string& file = relative.Of(f.origin.file);
    if (first || file != current_file) {
      if (!first) out += '\n';
      current_file = file;
      first = false;
    }
    out += file.empty() ? "(generated)" : file;
    if (f.origin.line != 0) out += ":" + std::to_string(f.origin.line);
    out += ": " + std::string(SeverityName(f.severity)) + " [" + f.rule + "] " + ObjectLabel(f.object);
    if (!f.field.empty()) out += " " + f.field;
    out += ": " + f.message;
    if (!f.fix.empty()) out += " (fix: " + f.fix + ")";
    out += '\n';
  }
  if (!result.findings.empty()) out += '\n';
  out += Summary(result) + '\n';
  return out;
}

std::string FormatJson(const CheckResult& result, const std::string& root) {
  std::string out = "{\"findings\":[";
  RelativePaths relative(root);
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const Finding& f = result.findings[i];
    if (i > 0) out += ',';
    out += "{\"rule\":" + Quoted(f.rule) + ",\"severity\":" + Quoted(SeverityName(f.severity)) +
           ",\"object\":{\"apiVersion\":" + Quoted(f.object.gvk.ApiVersion()) +
           ",\"kind\":" + Quoted(f.object.gvk.kind) + ",\"namespace\":" + Quoted(f.object.ns) +
           ",\"name\":" + Quoted(f.object.name) + "},\"file\":" + Quoted(relative.Of(f.origin.file)) +
           ",\"line\":" + std::to_string(f.origin.line) + ",\"field\":" + Quoted(f.field) +
           ",\"message\":" + Quoted(f.message) + ",\"fix\":" + Quoted(f.fix) + "}";
  }
  out += "],\"summary\":{\"errors\":" + std::to_string(result.Count(Severity::kError)) +
         ",\"warnings\":" + std::to_string(result.Count(Severity::kWarning)) +
         ",\"info\":" + std::to_string(result.Count(Severity::kInfo)) +
         ",\"objects\":" + std::to_string(result.objects_checked) +
         ",\"suppressed\":" + std::to_string(result.suppressed) + "}}\n";
  return out;
}

std::string FormatSarif(const CheckResult& result, const std::string& root) {
  // Rules that fired, in id order, with their index for results[].ruleIndex.
  std::map<std::string, size_t> rule_index;
  RelativePaths relative(root);
  for (const Finding& f : result.findings) rule_index.emplace(f.rule, 0);
  size_t next = 0;
  for (auto& [id, index] : rule_index) index = next++;

  std::string out =
      "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
      "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"skiff\",\"informationUri\":"
      "\"https://skiff.dev/docs/policy\",\"rules\":[";
  bool first = true;
  for (const auto& [id, index] : rule_index) {
    const RuleInfo* info = FindRule(id);
    std::string description = info ? std::string(info->description) : id;
    std::string help = info ? std::string(info->fix) : "";
    if (!first) out += ',';
    first = false;
    out += "{\"id\":" + Quoted(id) + ",\"shortDescription\":{\"text\":" + Quoted(description) +
           "},\"help\":{\"text\":" + Quoted(help.empty() ? description : help) +
           "},\"defaultConfiguration\":{\"level\":" + Quoted(SarifLevel(DefaultSeverity(id))) + "}}";
  }
  out += "]}},\"originalUriBaseIds\":{\"SRCROOT\":{\"description\":{\"text\":\"repository root\"}}},"
         "\"results\":[";
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const Finding& f = result.findings[i];
    if (i > 0) out += ',';
    std::string text = ObjectLabel(f.object) + (f.field.empty() ? "" : " " + f.field) + ": " + f.message;
    if (!f.fix.empty()) text += " (fix: " + f.fix + ")";
    out += "{\"ruleId\":" + Quoted(f.rule) + ",\"ruleIndex\":" + std::to_string(rule_index[f.rule]) +
           ",\"level\":" + Quoted(SarifLevel(f.severity)) + ",\"message\":{\"text\":" + Quoted(text) + "}";
    const std::string& uri = relative.Of(f.origin.file);
    if (!uri.empty()) {
      out += ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":" + Quoted(uri) +
             ",\"uriBaseId\":\"SRCROOT\"}";
      if (f.origin.line != 0) out += ",\"region\":{\"startLine\":" + std::to_string(f.origin.line) + "}";
      out += "},\"logicalLocations\":[{\"fullyQualifiedName\":" + Quoted(ObjectLabel(f.object)) +
             ",\"kind\":\"object\"}]}]";
    }
    out += ",\"properties\":{\"field\":" + Quoted(f.field) + "}}";
  }
  out += "]}]}\n";
  return out;
}

}  // namespace skiff::policy
