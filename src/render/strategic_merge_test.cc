#include "render/strategic_merge.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "yaml/yaml.h"

namespace skiff {
namespace {

// Compact JSON-like text with sorted keys (kustomize writes keys sorted, so
// only list order is significant): strings quoted, other scalars bare.
void Dump(const Node* n, std::string& out) {
  if (n->IsMap()) {
    std::vector<const MapEntry*> entries;
    for (const MapEntry& e : n->entries()) entries.push_back(&e);
    std::sort(entries.begin(), entries.end(),
              [](const MapEntry* a, const MapEntry* b) { return a->key < b->key; });
    out += '{';
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out += ',';
      out += entries[i]->key;
      out += ':';
      Dump(entries[i]->value, out);
    }
    out += '}';
  } else if (n->IsSeq()) {
    out += '[';
    for (size_t i = 0; i < n->items().size(); ++i) {
      if (i > 0) out += ',';
      Dump(n->items()[i], out);
    }
    out += ']';
  } else if (n->IsString()) {
    out += '"';
    out += n->scalar();
    out += '"';
  } else if (n->IsNull()) {
    out += "null";
  } else {
    out += n->scalar();
  }
}

constexpr std::string_view kDeploymentHead =
    "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, ";

// Merges `patch` into `target` (YAML flow text) and dumps the result, or
// "error: ..." / "deleted".
std::string Merge(std::string_view target, std::string_view patch) {
  Arena arena;
  auto t = ParseYamlStream(target, "target.yaml", arena);
  auto p = ParseYamlStream(patch, "patch.yaml", arena);
  if (!t.ok()) return "target parse failure: " + t.error().message;
  if (!p.ok()) return "patch parse failure: " + p.error().message;
  auto merged = StrategicMerge(arena, t->at(0).root, p->at(0).root);
  if (!merged.ok()) return "error: " + merged.error().message;
  if (*merged == nullptr) return "deleted";
  std::string out;
  Dump(*merged, out);
  return out;
}

// Deployment pod spec helpers: the merged pod spec only.
std::string MergePodSpec(std::string_view target_spec, std::string_view patch_spec) {
  std::string t = std::string(kDeploymentHead) + "spec: {template: {spec: " +
                  std::string(target_spec) + "}}}";
  std::string p = std::string(kDeploymentHead) + "spec: {template: {spec: " +
                  std::string(patch_spec) + "}}}";
  std::string out = Merge(t, p);
  const std::string prefix =
      "{apiVersion:\"apps/v1\",kind:\"Deployment\",metadata:{name:\"web\"},spec:{template:{spec:";
  if (out.rfind(prefix, 0) != 0) return out;
  return out.substr(prefix.size(), out.size() - prefix.size() - 3);
}

std::string Ports(std::string_view target_ports, std::string_view patch_ports) {
  std::string out =
      MergePodSpec("{containers: [{name: a, ports: " + std::string(target_ports) + "}]}",
                   "{containers: [{name: a, ports: " + std::string(patch_ports) + "}]}");
  const std::string prefix = "{containers:[{name:\"a\",ports:";
  if (out.rfind(prefix, 0) != 0) return out;
  return out.substr(prefix.size(), out.size() - prefix.size() - 3);
}

// Expectations below were read from `kubectl kustomize` (kustomize v5.5.0)
// on the same inputs.

TEST(StrategicMergeTest, ContainersMergeByNamePatchElementsFirst) {
  EXPECT_EQ(MergePodSpec("{containers: [{name: a, image: a1}, {name: b, image: b1}]}",
                         "{containers: [{name: c, image: c1}, {name: a, image: a2}]}"),
            R"({containers:[{image:"c1",name:"c"},{image:"a2",name:"a"},{image:"b1",name:"b"}]})");
}

TEST(StrategicMergeTest, EnvMergesByNameAndKeepsUntouchedEntriesAfter) {
  EXPECT_EQ(MergePodSpec(R"({containers: [{name: a, env: [{name: X, value: "1"}, {name: Y, value: "2"}]}]})",
                         R"({containers: [{name: a, env: [{name: Z, value: "3"}, {name: X, value: "9"}]}]})"),
            R"({containers:[{env:[{name:"Z",value:"3"},{name:"X",value:"9"},{name:"Y",value:"2"}],name:"a"}]})");
}

TEST(StrategicMergeTest, VolumesMergeByName) {
  EXPECT_EQ(MergePodSpec("{volumes: [{name: v1, emptyDir: {}}]}",
                         "{volumes: [{name: v2, emptyDir: {}}]}"),
            R"({volumes:[{emptyDir:{},name:"v2"},{emptyDir:{},name:"v1"}]})");
}

TEST(StrategicMergeTest, VolumeMountsMergeByMountPath) {
  EXPECT_EQ(MergePodSpec("{containers: [{name: a, volumeMounts: [{name: x, mountPath: /a}]}]}",
                         "{containers: [{name: a, volumeMounts: [{name: y, mountPath: /a}]}]}"),
            R"({containers:[{name:"a",volumeMounts:[{mountPath:"/a",name:"y"}]}]})");
}

TEST(StrategicMergeTest, TolerationsHaveNoMergeStrategyAndAreReplaced) {
  EXPECT_EQ(MergePodSpec("{tolerations: [{key: k1, operator: Exists}]}",
                         "{tolerations: [{key: k2, operator: Exists}]}"),
            R"({tolerations:[{key:"k2",operator:"Exists"}]})");
}

TEST(StrategicMergeTest, ArgsAreReplaced) {
  EXPECT_EQ(MergePodSpec("{containers: [{name: a, args: [x, y]}]}",
                         "{containers: [{name: a, args: [z]}]}"),
            R"({containers:[{args:["z"],name:"a"}]})");
}

TEST(StrategicMergeTest, PortsAddedByPatchComeFirst) {
  EXPECT_EQ(Ports("[{containerPort: 80, name: http}]", "[{containerPort: 8080}]"),
            R"([{containerPort:8080},{containerPort:80,name:"http"}])");
  EXPECT_EQ(Ports("[{containerPort: 80, protocol: TCP}]", "[{containerPort: 90, name: p}]"),
            R"([{containerPort:90,name:"p"},{containerPort:80,protocol:"TCP"}])");
  EXPECT_EQ(Ports("[{containerPort: 80}]", "[{containerPort: 90, protocol: TCP, name: p}]"),
            R"([{containerPort:90,name:"p",protocol:"TCP"},{containerPort:80}])");
}

TEST(StrategicMergeTest, PortsMatchingOnBothKeysMergeInOriginalOrder) {
  EXPECT_EQ(Ports("[{containerPort: 81, protocol: UDP}]",
                  "[{containerPort: 81, protocol: UDP, name: q}]"),
            R"([{containerPort:81,name:"q",protocol:"UDP"}])");
  EXPECT_EQ(Ports("[{containerPort: 80}, {containerPort: 81, protocol: UDP}, "
                  "{containerPort: 82, protocol: TCP}]",
                  "[{containerPort: 82, protocol: TCP, name: r}]"),
            R"([{containerPort:80},{containerPort:81,protocol:"UDP"},)"
            R"({containerPort:82,name:"r",protocol:"TCP"}])");
  EXPECT_EQ(Ports("[{containerPort: 80}, {containerPort: 81, protocol: UDP}]",
                  "[{containerPort: 80, name: p}]"),
            R"([{containerPort:80,name:"p"},{containerPort:81,protocol:"UDP"}])");
}

// kustomize quirk: a port matched on containerPort but not on protocol keeps
// the original element and loses the patch's fields.
TEST(StrategicMergeTest, PortsMatchingOnPartialKeyKeepTheOriginal) {
  EXPECT_EQ(Ports("[{containerPort: 81, protocol: UDP}]", "[{containerPort: 81, name: q}]"),
            R"([{containerPort:81,protocol:"UDP"}])");
  EXPECT_EQ(Ports("[{containerPort: 80}]", "[{containerPort: 80, protocol: TCP, name: p}]"),
            R"([{containerPort:80}])");
  EXPECT_EQ(Ports("[{containerPort: 80, protocol: TCP}]", "[{containerPort: 80, name: p}]"),
            R"([{containerPort:80,protocol:"TCP"}])");
  EXPECT_EQ(Ports("[{containerPort: 80}, {containerPort: 81, protocol: UDP}, "
                  "{containerPort: 82, protocol: TCP}]",
                  "[{containerPort: 80, protocol: TCP, name: p}, {containerPort: 81, name: q}, "
                  "{containerPort: 82, name: r}]"),
            R"([{containerPort:80},{containerPort:81,protocol:"UDP"},)"
            R"({containerPort:82,protocol:"TCP"}])");
}

TEST(StrategicMergeTest, ServicePortsMergeOnPortAndProtocol) {
  std::string out = Merge(
      "{apiVersion: v1, kind: Service, metadata: {name: s}, spec: {ports: [{port: 80, name: "
      "http}]}}",
      "{apiVersion: v1, kind: Service, metadata: {name: s}, spec: {ports: [{port: 443, name: "
      "https}]}}");
  EXPECT_EQ(out,
            R"({apiVersion:"v1",kind:"Service",metadata:{name:"s"},)"
            R"(spec:{ports:[{name:"https",port:443},{name:"http",port:80}]}})");
}

TEST(StrategicMergeTest, FinalizersMergeAsASetPatchFirst) {
  std::string out = Merge(
      "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, finalizers: [a, b]}}",
      "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, finalizers: [b, c]}}");
  EXPECT_EQ(out,
            R"({apiVersion:"apps/v1",kind:"Deployment",metadata:{finalizers:["b","c","a"],)"
            R"(name:"web"}})");
}

TEST(StrategicMergeTest, NullDeletesFieldsAndIsDroppedWhenAbsent) {
  std::string out = Merge(
      "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, labels: {app: web}}, "
      "spec: {replicas: 2}}",
      "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, labels: {app: null, "
      "nothere: null, new: x}, annotations: null}, spec: {replicas: null, strategy: ~}}");
  EXPECT_EQ(out,
            R"({apiVersion:"apps/v1",kind:"Deployment",metadata:{labels:{new:"x"},)"
            R"(name:"web"},spec:{}})");
}

TEST(StrategicMergeTest, DeleteDirectiveOnListElementAndMap) {
  EXPECT_EQ(MergePodSpec("{containers: [{name: a, image: a1}, {name: b, image: b1}]}",
                         "{containers: [{name: b, $patch: delete}]}"),
            R"({containers:[{image:"a1",name:"a"}]})");
  EXPECT_EQ(MergePodSpec("{securityContext: {runAsUser: 1}, hostNetwork: true}",
                         "{securityContext: {$patch: delete}}"),
            R"({hostNetwork:true})");
}

TEST(StrategicMergeTest, ReplaceDirectiveOnListAndMap) {
  EXPECT_EQ(MergePodSpec("{containers: [{name: a, ports: [{containerPort: 80}]}]}",
                         "{containers: [{name: a, ports: [{$patch: replace}]}]}"),
            R"({containers:[{name:"a",ports:[]}]})");
  EXPECT_EQ(MergePodSpec("{volumes: [{name: v1, emptyDir: {}}]}",
                         "{volumes: [{$patch: replace}, {name: v3, emptyDir: {}}]}"),
            R"({volumes:[{emptyDir:{},name:"v3"}]})");
  EXPECT_EQ(MergePodSpec("{nodeSelector: {a: b, c: d}}",
                         "{nodeSelector: {$patch: replace, e: f}}"),
            R"({nodeSelector:{e:"f"}})");
}

TEST(StrategicMergeTest, DeleteDirectiveAtTopDeletesTheObject) {
  EXPECT_EQ(Merge("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: b}}",
                  "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, $patch: delete}"),
            "deleted");
}

TEST(StrategicMergeTest, UnknownDirectiveIsAnError) {
  std::string out = MergePodSpec("{nodeSelector: {a: b}}", "{nodeSelector: {$patch: frobnicate}}");
  EXPECT_NE(out.find("unknown patch strategy 'frobnicate'"), std::string::npos) << out;
}

TEST(StrategicMergeTest, SetElementOrderIsAPlainKey) {
  EXPECT_EQ(MergePodSpec("{containers: [{name: a}]}",
                         "{$setElementOrder/containers: [{name: a}], containers: [{name: a}]}"),
            R"({$setElementOrder/containers:[{name:"a"}],containers:[{name:"a"}]})");
}

TEST(StrategicMergeTest, CustomResourceListsAreReplaced) {
  std::string out = Merge(
      "{apiVersion: example.com/v1, kind: Widget, metadata: {name: w}, spec: {items: [{name: a, "
      "v: 1}, {name: b}], m: {x: 1}}}",
      "{apiVersion: example.com/v1, kind: Widget, metadata: {name: w}, spec: {items: [{name: a, "
      "v: 2}], m: {y: 2}}}");
  EXPECT_EQ(out,
            R"({apiVersion:"example.com/v1",kind:"Widget",metadata:{name:"w"},)"
            R"(spec:{items:[{name:"a",v:2}],m:{x:1,y:2}}})");
}

TEST(StrategicMergeTest, ScalarsTakeThePatchType) {
  std::string out = Merge(
      "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: \"1\"}}",
      "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: 2}}");
  EXPECT_EQ(out, R"({apiVersion:"v1",data:{a:2},kind:"ConfigMap",metadata:{name:"c"}})");
}

TEST(StrategicMergeTest, KindMismatchIsAnError) {
  std::string out = Merge("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, "
                          "spec: {replicas: 1}}",
                          "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, "
                          "spec: {replicas: [1]}}");
  EXPECT_NE(out.find("spec.replicas: wrong node kind: expected ScalarNode but got SequenceNode"),
            std::string::npos)
      << out;
}

// kustomize quirk: an element without its merge key (here an empty map)
// makes every keyed original element not named by the patch disappear.
TEST(StrategicMergeTest, ElementWithoutMergeKeyDropsUnpatchedOriginals) {
  EXPECT_EQ(MergePodSpec("{containers: [{name: a}, {}, {name: b}]}",
                         "{containers: [{name: a, image: x}]}"),
            R"({containers:[{image:"x",name:"a"}]})");
}

TEST(StrategicMergeTest, NewMapsFromThePatchHaveDirectivesApplied) {
  EXPECT_EQ(MergePodSpec("{hostNetwork: true}", "{affinity: {nodeAffinity: {$patch: delete}, "
                                                "podAffinity: {x: 1}}}"),
            R"({affinity:{podAffinity:{x:1}},hostNetwork:true})");
}

}  // namespace
}  // namespace skiff

namespace skiff {
namespace {

// Merges with and without skipping the untouched parts of the target.
std::pair<std::string, std::string> MergeBothWays(std::string_view target,
                                                  std::string_view patch) {
  SetStrategicMergeShortcut(false);
  std::string full = Merge(target, patch);
  SetStrategicMergeShortcut(true);
  return {Merge(target, patch), full};
}

TEST(StrategicMergeShortcutTest, UntouchedPartsMergeAsTheFullWalkDoes) {
  // Each target has something outside the patch that the walk changes (a
  // null field, an empty or null element, repeated or missing merge keys,
  // multi-key and set lists, embedded objects) or leaves alone.
  const std::string patch = std::string(kDeploymentHead) +
                            "spec: {template: {metadata: {annotations: {a: b}}}}}";
  const std::string targets[] = {
      "spec: {replicas: null, template: {spec: {containers: [{name: a, image: x}]}}}}",
      "spec: {template: {spec: {containers: [{name: a, image: null}]}}}}",
      "spec: {template: {spec: {containers: [{name: a}, {}]}}}}",
      "spec: {template: {spec: {containers: [{name: a}, null]}}}}",
      "spec: {template: {spec: {containers: [{name: a, image: x}, {name: a, image: y}]}}}}",
      "spec: {template: {spec: {containers: [{image: x}, {image: y}, {name: c}]}}}}",
      "spec: {template: {spec: {containers: [{name: 1}, {name: '1'}]}}}}",
      "spec: {template: {spec: {containers: [{name: a, ports: [{containerPort: 80}, "
      "{containerPort: 80, protocol: UDP}, {containerPort: 81}]}]}}}}",
      "spec: {template: {spec: {containers: [{name: a, env: [{name: X, value: null}]}]}}}}",
      "spec: {template: {spec: {tolerations: [{key: k}, {key: k}], "
      "containers: [{name: a, args: [x, x, null]}]}}}}",
      "metadata: {finalizers: [x, x, y], name: web}, spec: {}}",
      "spec: {template: {spec: {containers: [{name: a}]}}, extra: {apiVersion: v1, kind: Pod, "
      "spec: {containers: [{name: b}, {name: b}]}}}}",
      "spec: {template: {spec: {volumes: [{name: v, configMap: {name: c, items: null}}]}}}}",
      "spec: {template: {spec: {containers: [{name: a, ports: [{containerPort: 80, protocol: TCP}, "
      "{containerPort: 80, protocol: UDP}]}]}}}}",
      "spec: {template: {spec: {containers: [{name: a, ports: [{containerPort: 80}, "
      "{containerPort: 80}, {containerPort: 81}]}]}}}}",
      "spec: {template: {spec: {containers: [{name: a, ports: [{name: x}, {name: y}]}]}}}}",
      "spec: {template: {spec: {containers: [{name: a, ports: [{containerPort: 80, protocol: ''}, "
      "{containerPort: 81, protocol: UDP}]}]}}}}",
      "metadata: {finalizers: [x, y, z], name: web}, spec: {}}",
      "metadata: {finalizers: [x, '', z], name: web}, spec: {}}",
      "metadata: {finalizers: [1, '1'], name: web}, spec: {}}",
      "metadata: {finalizers: [x, [y]], name: web}, spec: {}}",
  };
  for (const std::string& tail : targets) {
    auto [shortcut, full] = MergeBothWays(std::string(kDeploymentHead) + tail, patch);
    EXPECT_EQ(shortcut, full) << tail;
  }
}

TEST(StrategicMergeTest, KeepsNullsThePatchDoesNotMention) {
  // Read from kubectl kustomize: a null in the target survives a patch that
  // does not name it, in walked maps and in merged list elements alike.
  std::string out = Merge(std::string(kDeploymentHead) +
                              "spec: {replicas: null, template: {metadata: {labels: null}, "
                              "spec: {containers: [{name: a, image: null}]}}}}",
                          std::string(kDeploymentHead) +
                              "spec: {paused: true, template: {spec: {containers: "
                              "[{name: a, args: [x]}]}}}}");
  EXPECT_EQ(out,
            "{apiVersion:\"apps/v1\",kind:\"Deployment\",metadata:{name:\"web\"},spec:{paused:true,"
            "replicas:null,template:{metadata:{labels:null},spec:{containers:[{args:[\"x\"],"
            "image:null,name:\"a\"}]}}}}");
  // A null in the patch still deletes.
  EXPECT_EQ(Merge(std::string(kDeploymentHead) + "spec: {replicas: 2, paused: true}}",
                  std::string(kDeploymentHead) + "spec: {replicas: null}}"),
            "{apiVersion:\"apps/v1\",kind:\"Deployment\",metadata:{name:\"web\"},"
            "spec:{paused:true}}");
}

}  // namespace
}  // namespace skiff
