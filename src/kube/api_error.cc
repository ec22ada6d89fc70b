#include "kube/api_error.h"

#include <algorithm>
#include <cctype>

#include "model/node.h"
#include "yaml/yaml.h"

namespace skiff::kube {

namespace {

constexpr size_t kMaxBodyInMessage = 512;
constexpr std::string_view kRedacted = "[redacted]";

bool StartsWithNoCase(std::string_view text, size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != prefix[i]) return false;
  }
  return true;
}

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
         c == '~' || c == '+' || c == '/' || c == '=';
}

// "Bearer abc" -> "Bearer [redacted]".
std::string RedactBearer(std::string_view in) {
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    if (StartsWithNoCase(in, i, "bearer ")) {
      out.append(in.substr(i, 7));
      i += 7;
      size_t j = i;
      while (j < in.size() && IsTokenChar(in[j])) ++j;
      if (j > i) out.append(kRedacted);
      i = j;
      continue;
    }
    out.push_back(in[i++]);
  }
  return out;
}

// "token": "abc" (JSON) or token: abc (YAML) -> value redacted.
std::string RedactKeyedValues(std::string_view in) {
  static constexpr std::string_view kKeys[] = {"token", "password", "clientkeydata",
                                               "client-key-data", "secret"};
  std::string out;
  size_t i = 0;
  while (i < in.size()) {
    bool matched = false;
    for (std::string_view key : kKeys) {
      if (!StartsWithNoCase(in, i, key)) continue;
      bool word_start = i == 0 || !std::isalnum(static_cast<unsigned char>(in[i - 1]));
      if (!word_start) continue;
      size_t j = i + key.size();
      if (j < in.size() && in[j] == '"') ++j;
      if (j >= in.size() || in[j] != ':') continue;
      ++j;
      while (j < in.size() && in[j] == ' ') ++j;
      bool quoted = j < in.size() && in[j] == '"';
      size_t k = quoted ? j + 1 : j;
      while (k < in.size() && (quoted ? in[k] != '"' : IsTokenChar(in[k]))) ++k;
      out.append(in.substr(i, (quoted ? j + 1 : j) - i));
      out.append(kRedacted);
      i = k;
      matched = true;
      break;
    }
    if (!matched) out.push_back(in[i++]);
  }
  return out;
}

// PEM private key blocks.
std::string RedactPrivateKeys(std::string_view in) {
  std::string out;
  size_t i = 0;
  while (true) {
    size_t begin = in.find("-----BEGIN", i);
    if (begin == std::string_view::npos) break;
    size_t header_end = in.find("-----", begin + 10);
    if (header_end == std::string_view::npos) break;
    std::string_view header = in.substr(begin, header_end - begin);
    if (header.find("PRIVATE KEY") == std::string_view::npos) {
      out.append(in.substr(i, header_end + 5 - i));
      i = header_end + 5;
      continue;
    }
    out.append(in.substr(i, begin - i));
    out.append(kRedacted);
    size_t end = in.find("-----END", header_end);
    size_t end_tail = end == std::string_view::npos ? std::string_view::npos
                                                     : in.find("-----", end + 8);
    i = end_tail == std::string_view::npos ? in.size() : end_tail + 5;
  }
  out.append(in.substr(std::min(i, in.size())));
  return out;
}

// scheme://user:pass@host -> scheme://[redacted]@host.
std::string RedactUrlUserinfo(std::string_view in) {
  std::string out;
  size_t i = 0;
  while (true) {
    size_t scheme = in.find("://", i);
    if (scheme == std::string_view::npos) break;
    size_t start = scheme + 3;
    size_t k = start;
    while (k < in.size() && in[k] != '/' && in[k] != '@' && in[k] != ' ' && in[k] != '"') ++k;
    out.append(in.substr(i, start - i));
    if (k < in.size() && in[k] == '@') {
      out.append(kRedacted);
      i = k;
    } else {
      i = start;
    }
  }
  out.append(in.substr(i));
  return out;
}

std::string Str(const Node* n, std::string_view key) {
  if (n == nullptr || !n->IsMap()) return {};
  const Node* v = n->Get(key);
  return v != nullptr && v->IsScalar() ? std::string(v->scalar()) : std::string();
}

std::string ReasonForCode(int code) {
  switch (code) {
    case 400: return "BadRequest";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 409: return "Conflict";
    case 410: return "Expired";
    case 415: return "UnsupportedMediaType";
    case 422: return "Invalid";
    case 429: return "TooManyRequests";
    case 500: return "InternalError";
    case 503: return "ServiceUnavailable";
    case 504: return "Timeout";
    default: return code >= 500 ? "InternalError" : "Unknown";
  }
}

}  // namespace

std::string RedactSecrets(std::string_view text) {
  return RedactUrlUserinfo(RedactPrivateKeys(RedactKeyedValues(RedactBearer(text))));
}

std::string ApiError::String() const {
  std::string s;
  if (code != 0) s += std::to_string(code) + " ";
  if (!reason.empty()) s += reason + ": ";
  s += message;
  for (const StatusCause& c : causes) {
    s += "\n  ";
    if (!c.field.empty()) s += c.field + ": ";
    s += c.message.empty() ? c.reason : c.message;
  }
  return s;
}

ApiError LocalError(std::string message) {
  ApiError e;
  e.message = RedactSecrets(message);
  return e;
}

ApiError TransportError(std::string message) {
  ApiError e;
  e.message = RedactSecrets(message);
  e.transport_failure = true;
  return e;
}

ApiError ErrorFromResponse(int http_code, std::string_view body) {
  ApiError e;
  e.code = http_code;
  Arena arena(4096);
  auto parsed = ParseJson(body, arena);
  const Node* status = parsed.ok() ? *parsed : nullptr;
  if (status != nullptr && status->IsMap() && status->GetString("kind") == "Status") {
    e.reason = Str(status, "reason");
    e.message = RedactSecrets(Str(status, "message"));
    const Node* causes = status->GetPath({"details", "causes"});
    if (causes != nullptr && causes->IsSeq()) {
      for (const Node* c : causes->items()) {
        e.causes.push_back(StatusCause{Str(c, "reason"), RedactSecrets(Str(c, "message")),
                                       Str(c, "field")});
      }
    }
    const Node* code = status->Get("code");
    if (code != nullptr && code->kind() == NodeKind::kInt) e.code = std::stoi(std::string(code->scalar()));
  } else {
    e.message = RedactSecrets(body.substr(0, kMaxBodyInMessage));
  }
  if (e.reason.empty()) e.reason = ReasonForCode(e.code);
  if (e.message.empty()) e.message = "the server returned HTTP " + std::to_string(http_code);
  return e;
}

bool IsNotFound(const ApiError& e) { return e.code == 404; }
bool IsAlreadyExists(const ApiError& e) { return e.code == 409 && e.reason == "AlreadyExists"; }
bool IsConflict(const ApiError& e) { return e.code == 409; }
bool IsInvalid(const ApiError& e) { return e.code == 422; }
bool IsGone(const ApiError& e) { return e.code == 410; }
bool IsTooManyRequests(const ApiError& e) { return e.code == 429; }
bool IsUnauthorized(const ApiError& e) { return e.code == 401; }
bool IsForbidden(const ApiError& e) { return e.code == 403; }
bool IsServerError(const ApiError& e) { return e.code >= 500 && e.code <= 599; }
bool IsTransportFailure(const ApiError& e) { return e.transport_failure; }
bool IsRetryable(const ApiError& e) {
  return IsTooManyRequests(e) || IsServerError(e) || IsTransportFailure(e);
}

}  // namespace skiff::kube
