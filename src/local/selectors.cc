#include "local/selectors.h"

#include <algorithm>
#include <cctype>

namespace skiff::local {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits on commas that are not inside parentheses.
std::vector<std::string_view> SplitTerms(std::string_view text) {
  std::vector<std::string_view> terms;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      std::string_view t = Trim(text.substr(start, i - start));
      if (!t.empty()) terms.push_back(t);
      start = i + 1;
    } else if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')') {
      --depth;
    }
  }
  return terms;
}

bool ValidKey(std::string_view k) {
  if (k.empty() || k.size() > 316) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/';
  });
}

// "key in (a, b)" / "key notin (a)"; false when `term` has another shape.
bool ParseSetTerm(std::string_view term, Selector::Requirement& r, std::string& error) {
  size_t open = term.find('(');
  if (open == std::string_view::npos) return false;
  std::string_view head = Trim(term.substr(0, open));
  size_t space = head.find_last_of(" \t");
  if (space == std::string_view::npos) return false;
  std::string_view op = head.substr(space + 1);
  if (op != "in" && op != "notin") return false;
  r.key = std::string(Trim(head.substr(0, space)));
  r.op = op == "in" ? Selector::Op::kIn : Selector::Op::kNotIn;
  if (term.back() != ')') {
    error = "unterminated value set in \"" + std::string(term) + "\"";
    return true;
  }
  std::string_view inner = term.substr(open + 1, term.size() - open - 2);
  size_t start = 0;
  for (size_t i = 0; i <= inner.size(); ++i) {
    if (i == inner.size() || inner[i] == ',') {
      std::string_view v = Trim(inner.substr(start, i - start));
      if (!v.empty()) r.values.emplace_back(v);
      start = i + 1;
    }
  }
  return true;
}

Result<Selector::Requirement> ParseTerm(std::string_view term) {
  Selector::Requirement r;
  std::string error;
  if (ParseSetTerm(term, r, error)) {
    if (!error.empty()) return MakeError(error);
  } else if (size_t p = term.find("!="); p != std::string_view::npos) {
    r = {std::string(Trim(term.substr(0, p))), Selector::Op::kNotEquals, {std::string(Trim(term.substr(p + 2)))}};
  } else if (size_t q = term.find("=="); q != std::string_view::npos) {
    r = {std::string(Trim(term.substr(0, q))), Selector::Op::kEquals, {std::string(Trim(term.substr(q + 2)))}};
  } else if (size_t e = term.find('='); e != std::string_view::npos) {
    r = {std::string(Trim(term.substr(0, e))), Selector::Op::kEquals, {std::string(Trim(term.substr(e + 1)))}};
  } else if (term.front() == '!') {
    r = {std::string(Trim(term.substr(1))), Selector::Op::kNotExists, {}};
  } else {
    r = {std::string(term), Selector::Op::kExists, {}};
  }
  if (!ValidKey(r.key)) return MakeError("invalid selector key in \"" + std::string(term) + "\"");
  return r;
}

}  // namespace

Result<Selector> Selector::ParseLabels(std::string_view text) {
  Selector s;
  for (std::string_view term : SplitTerms(text)) {
    SKIFF_ASSIGN_OR_RETURN(Requirement r, ParseTerm(term));
    s.reqs_.push_back(std::move(r));
  }
  return s;
}

Result<Selector> Selector::ParseFields(std::string_view text) {
  Selector s;
  for (std::string_view term : SplitTerms(text)) {
    SKIFF_ASSIGN_OR_RETURN(Requirement r, ParseTerm(term));
    if (r.op != Op::kEquals && r.op != Op::kNotEquals) {
      return MakeError("field selector \"" + std::string(term) + "\": only =, == and != are supported");
    }
    if (r.key != "metadata.name" && r.key != "metadata.namespace") {
      return MakeError("field label not supported: " + r.key);
    }
    s.reqs_.push_back(std::move(r));
  }
  return s;
}

bool Selector::Matches(const Requirement& r, bool present, std::string_view value) const {
  auto in_values = [&] { return std::find(r.values.begin(), r.values.end(), value) != r.values.end(); };
  switch (r.op) {
    case Op::kEquals: return present && in_values();
    case Op::kNotEquals: return !present || !in_values();
    case Op::kIn: return present && in_values();
    case Op::kNotIn: return !present || !in_values();
    case Op::kExists: return present;
    case Op::kNotExists: return !present;
  }
  return false;
}

bool Selector::MatchesLabels(const Node* labels) const {
  for (const Requirement& r : reqs_) {
    const Node* v = labels != nullptr && labels->IsMap() ? labels->Get(r.key) : nullptr;
    if (!Matches(r, v != nullptr, v != nullptr ? v->scalar() : std::string_view())) return false;
  }
  return true;
}

bool Selector::MatchesFields(const Node* object) const {
  const Node* meta = object != nullptr ? object->Get("metadata") : nullptr;
  for (const Requirement& r : reqs_) {
    std::string_view field = r.key == "metadata.name" ? "name" : "namespace";
    std::string_view value = meta != nullptr ? meta->GetString(field) : std::string_view();
    // Every object has these fields; absent means empty.
    if (!Matches(r, true, value)) return false;
  }
  return true;
}

}  // namespace skiff::local
