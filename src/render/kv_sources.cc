#include "render/kv_sources.h"

#include <cstdint>

#include "render/file_loader.h"
#include "yaml/utf8.h"

namespace skiff {

namespace {

// Length of the white space rune (Go's unicode.IsSpace) at the start of `s`,
// or 0.
size_t SpaceRuneLength(std::string_view s) {
  if (s.empty()) return 0;
  auto c = static_cast<unsigned char>(s[0]);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (s.size() >= 2 && c == 0xC2) {
    auto d = static_cast<unsigned char>(s[1]);
    if (d == 0x85 || d == 0xA0) return 2;
  }
  if (s.size() < 3) return 0;
  auto b1 = static_cast<unsigned char>(s[1]);
  auto b2 = static_cast<unsigned char>(s[2]);
  uint32_t cp = ((c & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
  if ((c & 0xF0) != 0xE0) return 0;
  bool space = cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
               cp == 0x202F || cp == 0x205F || cp == 0x3000;
  return space ? 3 : 0;
}

std::string_view TrimLeadingSpace(std::string_view s) {
  while (size_t n = SpaceRuneLength(s)) s.remove_prefix(n);
  return s;
}

}  // namespace

Result<std::vector<KvPair>> ParseEnvFile(std::string_view content, std::string_view file) {
  std::vector<KvPair> pairs;
  size_t line_no = 0;
  while (!content.empty()) {
    size_t nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content.remove_prefix(nl == std::string_view::npos ? content.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!IsValidUtf8(line)) {
      return MakeError(std::string(file) + ":" + std::to_string(line_no) +
                       ": line has invalid UTF-8 bytes");
    }
    if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    line = TrimLeadingSpace(line);
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    KvPair kv;
    kv.key = std::string(line.substr(0, eq));
    if (eq != std::string_view::npos) kv.value = std::string(line.substr(eq + 1));
    // kustomize treats an empty key like a blank line.
    if (kv.key.empty()) continue;
    pairs.push_back(std::move(kv));
  }
  return pairs;
}

namespace {

std::string_view RemoveQuotes(std::string_view s) {
  if (s.size() < 2 || s.front() != s.back()) return s;
  if (s.front() == '"' || s.front() == '\'') return s.substr(1, s.size() - 2);
  return s;
}

// Go's path.Base: last slash-separated element, trailing slashes ignored.
std::string_view PathBase(std::string_view p) {
  if (p.empty()) return ".";
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  if (p == "/") return "/";
  size_t slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

}  // namespace

Result<KvPair> ParseLiteralSource(std::string_view source) {
  size_t eq = source.find('=');
  if (eq == 0 || eq == std::string_view::npos) {
    return MakeError("invalid literal source \"" + std::string(source) + "\", expected key=value");
  }
  return KvPair{std::string(source.substr(0, eq)), std::string(RemoveQuotes(source.substr(eq + 1)))};
}

Result<KvPair> ParseFileSource(std::string_view source) {
  size_t eq = source.find('=');
  if (eq == std::string_view::npos) {
    return KvPair{std::string(PathBase(source)), std::string(source)};
  }
  if (source.find('=', eq + 1) != std::string_view::npos) {
    return MakeError("file source \"" + std::string(source) +
                     "\": key names or file paths cannot contain '='");
  }
  if (eq == 0) {
    return MakeError("file source \"" + std::string(source) + "\": missing key name");
  }
  if (eq + 1 == source.size()) {
    return MakeError("file source \"" + std::string(source) + "\": missing file path");
  }
  return KvPair{std::string(source.substr(0, eq)), std::string(source.substr(eq + 1))};
}

Result<std::vector<KvPair>> LoadKvPairs(const KvSources& sources, const FileLoader& loader) {
  std::vector<KvPair> all;
  for (const std::string& path : sources.env_files) {
    SKIFF_ASSIGN_OR_RETURN(std::string content, loader.ReadFile(path, "envs"));
    SKIFF_ASSIGN_OR_RETURN(std::vector<KvPair> pairs, ParseEnvFile(content, path));
    for (KvPair& kv : pairs) all.push_back(std::move(kv));
  }
  for (const std::string& literal : sources.literals) {
    SKIFF_ASSIGN_OR_RETURN(KvPair kv, ParseLiteralSource(literal));
    all.push_back(std::move(kv));
  }
  for (const std::string& source : sources.files) {
    SKIFF_ASSIGN_OR_RETURN(KvPair kv, ParseFileSource(source));
    SKIFF_ASSIGN_OR_RETURN(std::string content, loader.ReadFile(kv.value, "files"));
    kv.value = std::move(content);
    all.push_back(std::move(kv));
  }
  return all;
}

}  // namespace skiff
