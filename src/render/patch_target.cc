#include "render/patch_target.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "model/schema.h"

namespace skiff {
namespace {

bool IsSelectorSpecial(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '=' || c == '!' ||
         c == '(' || c == ')' || c == '<' || c == '>';
}

// Splits a selector into tokens: operators, parentheses, commas and words.
std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if ((c == '=' || c == '!') && i + 1 < text.size() && text[i + 1] == '=') {
      out.emplace_back(text.substr(i, 2));
      i += 2;
    } else if (IsSelectorSpecial(c)) {
      out.emplace_back(1, c);
      ++i;
    } else {
      size_t j = i;
      while (j < text.size() && !IsSelectorSpecial(text[j])) ++j;
      out.emplace_back(text.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

bool IsWord(const std::string& t) { return !t.empty() && !IsSelectorSpecial(t[0]); }

std::optional<long long> ParseInt(std::string_view s) {
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

const Node* LabelValue(const Node* labels, std::string_view key) {
  return labels != nullptr && labels->IsMap() ? labels->Get(key) : nullptr;
}

// kustomize compares namespaces as "effective" namespaces: unset means
// "default", and cluster-scoped kinds have none at all.
std::string EffectiveNamespace(const ResId& id) {
  if (IsClusterScoped(id.gvk)) return "_non_namespaceable_";
  return id.ns.empty() ? "default" : id.ns;
}

// Compiles `pattern` once per process: the same targets (kind: Deployment)
// recur in every overlay of a tree, and compiling dominated their cost.
std::shared_ptr<const re2::RE2> CompileCached(const std::string& pattern) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const re2::RE2>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second;
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(pattern, options);
  if (cache.size() >= 4096) cache.clear();  // bounds memory on hostile trees
  cache.emplace(pattern, re);
  return re;
}

Result<std::shared_ptr<const re2::RE2>> CompileAnchored(const Node* target,
                                                        std::string_view field,
                                                        std::string_view file) {
  const Node* v = target->Get(field);
  if (v == nullptr || v->IsNull() || v->scalar().empty()) {
    return std::shared_ptr<const re2::RE2>();
  }
  auto where = [&] {
    return std::string(file) + ":" + std::to_string(v->pos().line) + ": target." +
           std::string(field);
  };
  if (!v->IsScalar()) return MakeError(where() + ": expected a string");
  auto re = CompileCached("^(?:" + std::string(v->scalar()) + ")$");
  if (!re->ok()) return MakeError(where() + ": invalid regular expression: " + re->error());
  return re;
}

bool FullMatch(const std::shared_ptr<const re2::RE2>& re, std::string_view text) {
  return re == nullptr || re2::RE2::FullMatch(text, *re);
}

}  // namespace

Result<LabelSelector> LabelSelector::Parse(std::string_view text) {
  using Op = Requirement::Op;
  LabelSelector sel;
  std::vector<std::string> toks = Tokenize(text);
  size_t i = 0;
  auto fail = [&](std::string_view why) {
    return MakeError("invalid selector \"" + std::string(text) + "\": " + std::string(why));
  };
  while (i < toks.size()) {
    Requirement req;
    if (toks[i] == "!") {
      if (++i >= toks.size() || !IsWord(toks[i])) return fail("expected a key after '!'");
      req.key = toks[i++];
      req.op = Op::kNotExists;
    } else {
      if (!IsWord(toks[i])) return fail("expected a key, found '" + toks[i] + "'");
      req.key = toks[i++];
      req.op = Op::kExists;
      if (i < toks.size() && toks[i] != ",") {
        const std::string op = toks[i++];
        if (op == "=" || op == "==" || op == "!=") {
          req.op = op == "!=" ? Op::kNotEquals : Op::kEquals;
          std::string value;
          if (i < toks.size() && IsWord(toks[i])) value = toks[i++];
          req.values.push_back(value);
        } else if (op == "in" || op == "notin") {
          req.op = op == "in" ? Op::kIn : Op::kNotIn;
          if (i >= toks.size() || toks[i] != "(") return fail("expected '(' after " + op);
          ++i;
          while (i < toks.size() && toks[i] != ")") {
            if (toks[i] == ",") {
              ++i;
              continue;
            }
            if (!IsWord(toks[i])) return fail("unexpected '" + toks[i] + "' in value list");
            req.values.push_back(toks[i++]);
          }
          if (i >= toks.size()) return fail("missing ')'");
          ++i;
          if (req.values.empty()) req.values.push_back("");
        } else if (op == ">" || op == "<") {
          req.op = op == ">" ? Op::kGt : Op::kLt;
          if (i >= toks.size() || !ParseInt(toks[i])) return fail("expected an integer");
          req.values.push_back(toks[i++]);
        } else {
          return fail("unexpected '" + op + "'");
        }
      }
    }
    sel.requirements_.push_back(std::move(req));
    if (i < toks.size()) {
      if (toks[i] != ",") return fail("expected ',' before '" + toks[i] + "'");
      if (++i >= toks.size()) return fail("trailing ','");
    }
  }
  return sel;
}

bool LabelSelector::Matches(const Node* labels) const {
  using Op = Requirement::Op;
  for (const Requirement& req : requirements_) {
    const Node* v = LabelValue(labels, req.key);
    std::string_view text = v != nullptr && v->IsScalar() ? v->scalar() : std::string_view();
    bool in_set = v != nullptr && std::find(req.values.begin(), req.values.end(), text) !=
                                      req.values.end();
    bool ok = true;
    switch (req.op) {
      case Op::kExists: ok = v != nullptr; break;
      case Op::kNotExists: ok = v == nullptr; break;
      case Op::kEquals:
      case Op::kIn: ok = in_set; break;
      case Op::kNotEquals:
      case Op::kNotIn: ok = !in_set; break;
      case Op::kGt:
      case Op::kLt: {
        auto have = v != nullptr ? ParseInt(text) : std::nullopt;
        auto want = ParseInt(req.values[0]);
        ok = have && want && (req.op == Op::kGt ? *have > *want : *have < *want);
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

PatchTarget::PatchTarget() = default;
PatchTarget::PatchTarget(PatchTarget&&) noexcept = default;
PatchTarget& PatchTarget::operator=(PatchTarget&&) noexcept = default;
PatchTarget::~PatchTarget() = default;

Result<PatchTarget> PatchTarget::Parse(const Node* target, std::string_view file) {
  std::string where = std::string(file) + ":" + std::to_string(target->pos().line) + ": target";
  if (!target->IsMap()) return MakeError(where + ": expected a map");
  static constexpr std::string_view kFields[] = {
      "group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"};
  for (const MapEntry& e : target->entries()) {
    if (std::find(std::begin(kFields), std::end(kFields), e.key) == std::end(kFields)) {
      return MakeError(where + ": unknown field \"" + std::string(e.key) + "\"");
    }
  }
  PatchTarget t;
  SKIFF_ASSIGN_OR_RETURN(t.group_, CompileAnchored(target, "group", file));
  SKIFF_ASSIGN_OR_RETURN(t.version_, CompileAnchored(target, "version", file));
  SKIFF_ASSIGN_OR_RETURN(t.kind_, CompileAnchored(target, "kind", file));
  SKIFF_ASSIGN_OR_RETURN(t.name_, CompileAnchored(target, "name", file));
  SKIFF_ASSIGN_OR_RETURN(t.namespace_, CompileAnchored(target, "namespace", file));
  for (auto [field, out] : {std::pair{"labelSelector", &t.labels_},
                            std::pair{"annotationSelector", &t.annotations_}}) {
    const Node* v = target->Get(field);
    if (v == nullptr || v->IsNull()) continue;
    auto sel = LabelSelector::Parse(v->scalar());
    if (!sel.ok()) {
      return sel.error().Wrap(std::string(file) + ":" + std::to_string(v->pos().line) +
                              ": target." + field);
    }
    *out = std::move(*sel);
  }
  return t;
}

bool PatchTarget::Matches(const Resource& r) const {
  ResId cur = r.Id();
  const ResId& org = r.previous_ids.empty() ? cur : r.previous_ids.front();
  if (namespace_ != nullptr && !FullMatch(namespace_, EffectiveNamespace(org)) &&
      !FullMatch(namespace_, EffectiveNamespace(cur))) {
    return false;
  }
  if (name_ != nullptr && !FullMatch(name_, org.name) && !FullMatch(name_, cur.name)) return false;
  if (!FullMatch(group_, cur.gvk.group) || !FullMatch(version_, cur.gvk.version) ||
      !FullMatch(kind_, cur.gvk.kind)) {
    return false;
  }
  const Node* meta = r.root->Get("metadata");
  return labels_.Matches(meta != nullptr ? meta->Get("labels") : nullptr) &&
         annotations_.Matches(meta != nullptr ? meta->Get("annotations") : nullptr);
}

}  // namespace skiff
