#include "local/fault_injector.h"

#include <sstream>

namespace skiff::local {
namespace {

Result<FaultAction> ParseAction(const std::string& action, const std::string& arg) {
  FaultAction a;
  int n = arg.empty() ? -1 : std::atoi(arg.c_str());
  if (action == "429") {
    a.status = 429;
    a.seconds = n < 0 ? 1 : n;
  } else if (action == "500") {
    a.status = 500;
  } else if (action == "409") {
    a.status = 409;
  } else if (action == "hang") {
    a.kind = FaultAction::Kind::kHang;
    a.seconds = n < 0 ? 30 : n;
  } else if (action == "drop") {
    a.kind = FaultAction::Kind::kDrop;
  } else {
    return MakeError("unknown action \"" + action + "\" (want 429, 409, 500, hang or drop)");
  }
  return a;
}

}  // namespace

Status FaultInjector::AddRules(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::vector<Rule> parsed;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    std::istringstream fields(line);
    std::string method, path, count, action, arg;
    fields >> method;
    if (method.empty() || method[0] == '#') continue;
    fields >> path >> count >> action >> arg;
    std::string where = "fault rule line " + std::to_string(lineno);
    if (action.empty()) return MakeError(where + ": want METHOD PATH_REGEX COUNT ACTION [ARG]");
    auto a = ParseAction(action, arg);
    if (!a.ok()) return a.error().Wrap(where);
    long remaining = count == "*" ? -1 : std::atol(count.c_str());
    try {
      parsed.push_back(Rule{method, std::regex(path), remaining, *a});
    } catch (const std::regex_error& e) {
      return MakeError(where + ": bad path regex \"" + path + "\": " + e.what());
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (Rule& r : parsed) rules_.push_back(std::move(r));
  return Status::Ok();
}

void FaultInjector::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
}

std::optional<FaultAction> FaultInjector::Match(const std::string& method, const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  for (Rule& r : rules_) {
    if (r.remaining == 0) continue;
    if (r.method != "*" && r.method != method) continue;
    if (!std::regex_search(path, r.path)) continue;
    if (r.remaining > 0) --r.remaining;
    return r.action;
  }
  return std::nullopt;
}

}  // namespace skiff::local
