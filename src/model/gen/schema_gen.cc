// Build-time tool: reads the gzipped Kubernetes OpenAPI definitions and writes
// schema_tables.cc, the static tables behind model/schema.h.
//
// Usage: skiff_schema_gen INPUT.json.gz OUTPUT.cc
//
// Input shape: {"definitions": {NAME: {properties, x-kubernetes-group-version-
// kind, ...}}, "resources": [{apiVersion, kind, definition?, scope?}]}.
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <simdjson.h>

namespace {

namespace dom = simdjson::dom;

struct FieldRow {
  std::string name;
  std::string shape = "kScalar";
  std::string list_type = "kUnspecified";
  bool merge = false;
  bool replace = false;
  bool retain_keys = false;
  std::string type_ref;  // definition name, resolved to an index later
  std::string merge_key;
  std::vector<std::string> list_map_keys;
};

struct TypeRow {
  std::string name;
  bool object_like = false;  // has properties or says type: object
  std::vector<FieldRow> fields;
};

struct GvkRow {
  std::string definition;
  bool cluster_scoped = false;
};

using GvkKey = std::tuple<std::string, std::string, std::string>;

bool ReadGzip(const char* path, std::string& out) {
  gzFile f = gzopen(path, "rb");
  if (f == nullptr) return false;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  bool ok = n == 0;
  gzclose(f);
  return ok;
}

std::string RefName(std::string_view ref) {
  constexpr std::string_view kPrefix = "#/definitions/";
  if (ref.substr(0, kPrefix.size()) == kPrefix) ref.remove_prefix(kPrefix.size());
  return std::string(ref);
}

std::string StringOr(dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

// The referenced definition of a property or of its items /
// additionalProperties, or empty.
std::string RefOf(dom::element e) { return RefName(StringOr(e, "$ref")); }

FieldRow ReadField(std::string_view name, dom::element prop) {
  FieldRow f;
  f.name = std::string(name);
  std::string type = StringOr(prop, "type");
  if (std::string ref = RefOf(prop); !ref.empty()) {
    f.shape = "kObject";  // may become kScalar once the target is known
    f.type_ref = ref;
  } else if (type == "array") {
    f.shape = "kList";
    dom::element items;
    if (prop["items"].get(items) == simdjson::SUCCESS) f.type_ref = RefOf(items);
  } else if (type == "object") {
    f.shape = "kMap";
    dom::element values;
    if (prop["additionalProperties"].get(values) == simdjson::SUCCESS &&
        values.is_object()) {
      f.type_ref = RefOf(values);
    }
  }
  std::string strategy = StringOr(prop, "x-kubernetes-patch-strategy");
  std::stringstream parts(strategy);
  for (std::string part; std::getline(parts, part, ',');) {
    if (part == "merge") f.merge = true;
    if (part == "replace") f.replace = true;
    if (part == "retainKeys") f.retain_keys = true;
  }
  f.merge_key = StringOr(prop, "x-kubernetes-patch-merge-key");
  std::string list_type = StringOr(prop, "x-kubernetes-list-type");
  if (list_type == "atomic") f.list_type = "kAtomic";
  if (list_type == "set") f.list_type = "kSet";
  if (list_type == "map") f.list_type = "kMap";
  dom::array keys;
  if (prop["x-kubernetes-list-map-keys"].get(keys) == simdjson::SUCCESS) {
    for (dom::element k : keys) {
      std::string_view s;
      if (k.get(s) == simdjson::SUCCESS) f.list_map_keys.emplace_back(s);
    }
  }
  return f;
}

void SplitApiVersion(std::string_view api_version, std::string& group, std::string& version) {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) {
    group.clear();
    version = std::string(api_version);
  } else {
    group = std::string(api_version.substr(0, slash));
    version = std::string(api_version.substr(slash + 1));
  }
}

// C++ string literal for `s`.
std::string Lit(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

struct Tables {
  std::vector<TypeRow> types;  // sorted by name
  std::map<GvkKey, GvkRow> gvks;

  int IndexOf(const std::string& name) const {
    auto it = std::lower_bound(types.begin(), types.end(), name,
                               [](const TypeRow& t, const std::string& n) { return t.name < n; });
    return it != types.end() && it->name == name ? static_cast<int>(it - types.begin()) : -1;
  }
};

bool Load(dom::element doc, Tables& t) {
  dom::object defs;
  if (doc["definitions"].get(defs) != simdjson::SUCCESS) return false;
  for (auto [name, def] : defs) {
    TypeRow row;
    row.name = std::string(name);
    dom::object props;
    if (def["properties"].get(props) == simdjson::SUCCESS) {
      for (auto [pname, prop] : props) row.fields.push_back(ReadField(pname, prop));
    }
    row.object_like = !row.fields.empty() || StringOr(def, "type") == "object";
    std::sort(row.fields.begin(), row.fields.end(),
              [](const FieldRow& a, const FieldRow& b) { return a.name < b.name; });
    dom::array gvks;
    if (def["x-kubernetes-group-version-kind"].get(gvks) == simdjson::SUCCESS) {
      for (dom::element g : gvks) {
        GvkKey key{StringOr(g, "group"), StringOr(g, "version"), StringOr(g, "kind")};
        t.gvks[key].definition = row.name;
      }
    }
    t.types.push_back(std::move(row));
  }
  std::sort(t.types.begin(), t.types.end(),
            [](const TypeRow& a, const TypeRow& b) { return a.name < b.name; });
  dom::array resources;
  if (doc["resources"].get(resources) == simdjson::SUCCESS) {
    for (dom::element r : resources) {
      std::string group, version;
      SplitApiVersion(StringOr(r, "apiVersion"), group, version);
      GvkRow& row = t.gvks[GvkKey{group, version, StringOr(r, "kind")}];
      if (std::string def = StringOr(r, "definition"); !def.empty()) row.definition = def;
      row.cluster_scoped = StringOr(r, "scope") == "Cluster";
    }
  }
  return true;
}

// A field whose target definition is not object-like is a scalar (Quantity,
// Time, IntOrString); list and map elements of that kind get no type.
void ResolveRefs(Tables& t) {
  for (TypeRow& type : t.types) {
    for (FieldRow& f : type.fields) {
      if (f.type_ref.empty()) continue;
      int idx = t.IndexOf(f.type_ref);
      bool object_like = idx >= 0 && t.types[static_cast<size_t>(idx)].object_like;
      if (!object_like) {
        if (f.shape == "kObject") f.shape = "kScalar";
        f.type_ref.clear();
      }
    }
  }
}

std::string Emit(const Tables& t) {
  std::ostringstream out;
  out << std::boolalpha;
  out << "// Generated by skiff_schema_gen from the Kubernetes OpenAPI definitions. Do not edit.\n"
      << "#include \"model/schema.h\"\n\n"
      << "namespace skiff::schema_tables {\n\n";
  std::vector<std::string> map_keys;
  std::ostringstream fields;
  fields << std::boolalpha;
  uint32_t field_count = 0;
  out << "constexpr SchemaType kTypes[] = {\n";
  for (const TypeRow& type : t.types) {
    out << "  {" << Lit(type.name) << ", " << field_count << ", " << type.fields.size() << "},\n";
    for (const FieldRow& f : type.fields) {
      int idx = f.type_ref.empty() ? -1 : t.IndexOf(f.type_ref);
      fields << "  {" << Lit(f.name) << ", SchemaShape::" << f.shape << ", ListType::"
             << f.list_type << ", " << f.merge << ", " << f.replace << ", " << f.retain_keys
             << ", " << idx << ", " << Lit(f.merge_key) << ", " << map_keys.size() << ", "
             << f.list_map_keys.size() << "},\n";
      map_keys.insert(map_keys.end(), f.list_map_keys.begin(), f.list_map_keys.end());
      ++field_count;
    }
  }
  out << "};\nconst uint32_t kTypeCount = " << t.types.size() << ";\n\n";
  out << "constexpr SchemaField kFields[] = {\n"
      << fields.str() << "};\nconst uint32_t kFieldCount = " << field_count << ";\n\n";
  out << "constexpr std::string_view kListMapKeys[] = {\n";
  for (const std::string& k : map_keys) out << "  " << Lit(k) << ",\n";
  out << "  \"\",\n};\n\n";  // never empty: a zero-length array is ill-formed
  out << "constexpr GvkEntry kGvks[] = {\n";
  for (const auto& [key, row] : t.gvks) {
    const auto& [group, version, kind] = key;
    int idx = row.definition.empty() ? -1 : t.IndexOf(row.definition);
    out << "  {" << Lit(group) << ", " << Lit(version) << ", " << Lit(kind) << ", " << idx << ", "
        << (row.cluster_scoped ? "true" : "false") << "},\n";
  }
  out << "};\nconst uint32_t kGvkCount = " << t.gvks.size() << ";\n\n"
      << "}  // namespace skiff::schema_tables\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s INPUT.json.gz OUTPUT.cc\n", argv[0]);
    return 2;
  }
  std::string json;
  if (!ReadGzip(argv[1], json)) {
    std::fprintf(stderr, "%s: cannot read gzip input\n", argv[1]);
    return 1;
  }
  dom::parser parser;
  dom::element doc;
  if (auto err = parser.parse(json).get(doc); err != simdjson::SUCCESS) {
    std::fprintf(stderr, "%s: %s\n", argv[1], simdjson::error_message(err));
    return 1;
  }
  Tables tables;
  if (!Load(doc, tables)) {
    std::fprintf(stderr, "%s: no \"definitions\" object\n", argv[1]);
    return 1;
  }
  ResolveRefs(tables);
  std::string text = Emit(tables);
  // Write then rename, so an interrupted build never leaves half a file.
  std::string tmp = std::string(argv[2]) + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    if (!f) {
      std::fprintf(stderr, "%s: cannot write\n", tmp.c_str());
      return 1;
    }
  }
  if (std::rename(tmp.c_str(), argv[2]) != 0) {
    std::perror(argv[2]);
    return 1;
  }
  return 0;
}
