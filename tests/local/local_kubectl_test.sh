#!/usr/bin/env bash
# kubectl against `skiff local`: one scenario per invocation (argument 1).
# Each scenario starts a server on port 0 in a fresh temp dir and stops it
# with SIGTERM, checking that it exits cleanly.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../support/local_server.sh" skiff-local-test

# kubectl's typed generators (they send protobuf bodies).
mkns() { k create namespace "$1" "${@:2}"; }
mkcm() {  # name key=value [kubectl flags...]
  local name=$1 kv=$2; shift 2
  k create configmap "$name" --from-literal="$kv" "$@"
}

manifests() {
  cat >"$WORK/app.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {app: web, tier: frontend}
data:
  mode: blue
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
      - name: sidecar
        image: busybox:1.36
YAML
}

case_discovery() {
  start_server
  local out
  out=$(k api-resources)
  expect_contains "$out" "deployments" "api-resources"
  echo "$out" | grep -E '^deployments +deploy +apps/v1 +true +Deployment' >/dev/null || fail "deployments row: $out"
  echo "$out" | grep -E '^namespaces +ns +v1 +false +Namespace' >/dev/null || fail "namespaces row"
  echo "$out" | grep -E '^customresourcedefinitions +crd,crds +apiextensions.k8s.io/v1 +false' >/dev/null || fail "crd row"
  echo "$out" | grep -E '^clusterroles +rbac.authorization.k8s.io/v1 +false +ClusterRole' >/dev/null || fail "clusterroles row"
  echo "$out" | grep -E '^roles +rbac.authorization.k8s.io/v1 +true +Role' >/dev/null || fail "roles row"
  out=$(k get ns -o name)
  expect_contains "$out" "namespace/default" "seeded namespaces"
  expect_contains "$out" "namespace/kube-system" "seeded namespaces"
  out=$(k version -o json)
  expect_contains "$out" '"gitVersion": "v1.21.2"' "server version"
  stop_server
}

case_crud() {
  start_server
  manifests
  mkns team >/dev/null
  k -n team create -f "$WORK/app.yaml" >/dev/null
  local y
  y=$(k -n team get deploy web -o yaml)
  expect_contains "$y" "uid: " "server uid"
  expect_contains "$y" "resourceVersion: " "server rv"
  expect_contains "$y" "generation: 1" "generation on create"
  expect_contains "$y" "creationTimestamp: " "creationTimestamp"
  expect_contains "$(k -n team get cm -l 'tier in (frontend,backend)' -o name)" "configmap/settings" "set selector"
  [[ -z "$(k -n team get cm -l 'app!=web' -o name)" ]] || fail "!= selector matched"
  expect_contains "$(k -n team get cm --field-selector metadata.name=settings -o name)" "configmap/settings" "field selector"
  # Label changes metadata only: generation stays.
  k -n team label deploy web stage=prod >/dev/null
  y=$(k -n team get deploy web -o yaml)
  expect_contains "$y" "stage: prod" "label"
  expect_contains "$y" "generation: 1" "generation after label"
  # Paging: kubectl asks for chunks of --chunk-size and follows continue.
  for i in 1 2 3 4 5; do mkcm "page-$i" i=$i -n team >/dev/null; done
  [[ $(k -n team get cm --chunk-size=2 -o name | wc -l) -eq 6 ]] || fail "paged list lost items"
  k -n team delete deploy web >/dev/null
  expect_fails_with "NotFound" k -n team get deploy web
  stop_server
}

case_apply_patch() {
  start_server
  manifests
  k apply -f "$WORK/app.yaml" >/dev/null
  # Client-side apply of a change: strategic merge patch keyed by container name.
  sed -i 's/busybox:1.36/busybox:1.37/; s/mode: blue/mode: green/' "$WORK/app.yaml"
  local out
  out=$(k apply -f "$WORK/app.yaml")
  expect_contains "$out" "deployment.apps/web configured" "apply configured"
  local images
  images=$(k get deploy web -o jsonpath='{.spec.template.spec.containers[*].image}')
  [[ "$images" == "nginx:1.25 busybox:1.37" ]] || fail "containers after apply: $images"
  [[ $(k get deploy web -o jsonpath='{.metadata.generation}') == 2 ]] || fail "generation after spec change"
  [[ $(k get cm settings -o jsonpath='{.data.mode}') == green ]] || fail "configmap after apply"
  out=$(k apply -f "$WORK/app.yaml")
  expect_contains "$out" "deployment.apps/web unchanged" "re-apply"
  # Merge patch and JSON patch.
  k patch cm settings --type merge -p '{"data":{"extra":"1","mode":null}}' >/dev/null
  [[ $(k get cm settings -o jsonpath='{.data}') == '{"extra":"1"}' ]] || fail "merge patch: $(k get cm settings -o jsonpath='{.data}')"
  k patch deploy web --type json -p '[{"op":"replace","path":"/spec/replicas","value":5},{"op":"remove","path":"/spec/template/spec/containers/1"}]' >/dev/null
  [[ $(k get deploy web -o jsonpath='{.spec.replicas}:{.spec.template.spec.containers[*].name}') == "5:web" ]] || fail "json patch"
  expect_fails_with "test failed" k patch deploy web --type json -p '[{"op":"test","path":"/spec/replicas","value":9}]'
  # Strategic patch of one container by name keeps the others.
  k patch deploy web -p '{"spec":{"template":{"spec":{"containers":[{"name":"extra","image":"x:1"}]}}}}' >/dev/null
  [[ $(k get deploy web -o jsonpath='{.spec.template.spec.containers[*].name}') == "web extra" ]] || fail "strategic patch"
  # Server-side apply creates and updates.
  mkns ssa >/dev/null
  k -n ssa apply --server-side -f "$WORK/app.yaml" >/dev/null
  [[ $(k -n ssa get cm settings -o jsonpath='{.data.mode}') == green ]] || fail "server-side apply create"
  stop_server
}

case_watch() {
  start_server
  k get cm -w -o name --request-timeout=6s >"$WORK/watch.out" 2>"$WORK/watch.err" &
  local watcher=$!
  sleep 1.5
  mkcm watched a=b >/dev/null
  k label cm watched x=y >/dev/null
  wait "$watcher" || true
  grep -q "configmap/watched" "$WORK/watch.out" || fail "watch saw nothing: $(cat "$WORK/watch.out" "$WORK/watch.err")"
  [[ $(grep -c "configmap/watched" "$WORK/watch.out") -ge 2 ]] || fail "watch missed the update"
  # Raw watch resuming from a resourceVersion, with bookmarks.
  local rv
  rv=$(k get cm watched -o jsonpath='{.metadata.resourceVersion}')
  k label cm watched z=1 >/dev/null
  local out
  out=$(k get --raw "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=2")
  expect_contains "$out" '"type":"MODIFIED"' "resumed watch"
  expect_contains "$out" '"z":"1"' "resumed watch content"
  expect_contains "$out" '"type":"BOOKMARK"' "bookmark"
  [[ "$out" != *'"type":"ADDED"'* ]] || fail "resumed watch replayed old events"
  # kubectl wait watches a single object.
  mkns waiting >/dev/null
  k wait --for=jsonpath='{.status.phase}'=Active ns/waiting --timeout=10s >/dev/null
  stop_server
}

case_crd() {
  start_server
  cat >"$WORK/crd.yaml" <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
YAML
  cat >"$WORK/widget.yaml" <<'YAML'
apiVersion: example.com/v1
kind: Widget
metadata: {name: w1}
spec: {size: 3}
YAML
  k apply -f "$WORK/crd.yaml" >/dev/null
  k wait --for=condition=Established crd/widgets.example.com --timeout=10s >/dev/null
  k apply -f "$WORK/widget.yaml" >/dev/null
  [[ $(k get wd w1 -o jsonpath='{.spec.size}') == 3 ]] || fail "custom resource"
  sed -i 's/size: 3/size: 4/' "$WORK/widget.yaml"
  k apply -f "$WORK/widget.yaml" >/dev/null
  [[ $(k get widgets.example.com w1 -o jsonpath='{.spec.size}') == 4 ]] || fail "custom resource apply (merge patch)"
  # Served CRDs survive a restart.
  stop_server
  start_server
  [[ $(k get wd w1 -o jsonpath='{.spec.size}') == 4 ]] || fail "custom resource after restart"
  k delete crd widgets.example.com >/dev/null
  expect_fails_with "the server doesn't have a resource type" k get widgets.example.com
  stop_server
}

case_errors() {
  start_server
  local out
  expect_fails_with 'is invalid' mkcm Bad_Name k=v
  out=$(k get --raw /api/v1/namespaces/default/configmaps/nope 2>&1 || true)
  expect_fails_with 'namespaces "nowhere" not found' mkcm x k=v -n nowhere
  mkcm once k=v >/dev/null
  expect_fails_with 'configmaps "once" already exists' mkcm once k=v
  # Stale resourceVersion: 409 Conflict.
  k get cm once -o json >"$WORK/once.json"
  k label cm once bump=1 >/dev/null
  expect_fails_with 'the object has been modified' k replace -f "$WORK/once.json"
  # metav1.Status body of a 404.
  out=$(k get --raw /api/v1/namespaces/default/configmaps/nope 2>&1 || true)
  expect_contains "$out" 'NotFound' "404 status"
  stop_server
}

case_restart() {
  start_server
  mkcm durable k=v >/dev/null
  local rv1
  rv1=$(k get cm durable -o jsonpath='{.metadata.resourceVersion}')
  stop_server
  start_server
  [[ $(k get cm durable -o jsonpath='{.data.k}') == v ]] || fail "object lost on restart"
  k label cm durable again=1 >/dev/null
  local rv2
  rv2=$(k get cm durable -o jsonpath='{.metadata.resourceVersion}')
  (( rv2 > rv1 )) || fail "resourceVersion went backwards: $rv1 -> $rv2"
  stop_server
}

case_faults() {
  printf 'GET /api/v1/namespaces/default/configmaps$ 1 429 1\nGET /api/v1/namespaces/default/secrets$ * 500\n' >"$WORK/faults.txt"
  start_server --faults "$WORK/faults.txt"
  # client-go retries a 429 after Retry-After.
  k get cm -o name >/dev/null || fail "kubectl did not retry the 429"
  expect_fails_with "" k get secrets
  # Rules can be added at run time over the API.
  local pki="$WORK/data/pki" port
  port=$(sed -n 's#.*server: https://127.0.0.1:\([0-9]*\).*#\1#p' "$KUBECONFIG")
  curl -sf --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" -X POST \
    --data-binary 'GET /api/v1/namespaces/default/services$ 1 drop' "https://127.0.0.1:$port/skiff/faults" >/dev/null
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
    "https://127.0.0.1:$port/api/v1/namespaces/default/services" || true)
  [[ "$code" == "000" ]] || fail "drop rule answered $code"
  # Without a client certificate the TLS handshake fails.
  curl -s --cacert "$pki/ca.crt" "https://127.0.0.1:$port/version" >/dev/null && fail "anonymous request served"
  stop_server
}

case_lifecycle() {
  start_server
  mkns doomed >/dev/null
  mkcm inside k=v -n doomed >/dev/null
  # Finalizers hold deletion until they are removed.
  mkcm held k=v -n doomed >/dev/null
  k -n doomed patch cm held --type merge -p '{"metadata":{"finalizers":["example.com/hold"]}}' >/dev/null
  k -n doomed delete cm held --wait=false >/dev/null
  [[ -n $(k -n doomed get cm held -o jsonpath='{.metadata.deletionTimestamp}') ]] || fail "no deletionTimestamp"
  k -n doomed patch cm held --type json -p '[{"op":"remove","path":"/metadata/finalizers"}]' >/dev/null
  expect_fails_with "NotFound" k -n doomed get cm held
  # Owner references: deleting the owner collects the dependent.
  local uid
  uid=$(k -n doomed get cm inside -o jsonpath='{.metadata.uid}')
  k -n doomed create -f - >/dev/null <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: dependent
  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: inside, uid: "$uid"}]
YAML
  k -n doomed delete cm inside >/dev/null
  for _ in $(seq 1 40); do k -n doomed get cm dependent >/dev/null 2>&1 || break; sleep 0.1; done
  expect_fails_with "NotFound" k -n doomed get cm dependent
  # Namespace deletion removes its contents, then the namespace.
  mkcm last k=v -n doomed >/dev/null
  k delete ns doomed --timeout=20s >/dev/null
  expect_fails_with "NotFound" k get ns doomed
  stop_server
}

case_dry_run() {
  start_server
  mkcm ghost a=b --dry-run=server -o name >/dev/null
  expect_fails_with "NotFound" k get cm ghost
  mkcm real a=b >/dev/null
  k label cm real x=y --dry-run=server >/dev/null
  [[ -z $(k get cm real -o jsonpath='{.metadata.labels.x}') ]] || fail "dry-run label was stored"
  k delete cm real --dry-run=server >/dev/null
  k get cm real >/dev/null || fail "dry-run delete deleted"
  stop_server
}

# Server-side field validation: kubectl finds the fieldValidation parameter
# in /openapi/v3 and leaves unknown fields to the server.
case_validation() {
  start_server
  cat >"$WORK/bogus.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: bogus, colour: red}
spec:
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec:
      containers: [{name: c, image: nginx, bogus: true}]
YAML
  local out
  out=$(k create -f "$WORK/bogus.yaml" 2>&1) && fail "strict create accepted unknown fields"
  expect_contains "$out" 'strict decoding error: unknown field "metadata.colour", unknown field "spec.template.spec.containers[0].bogus"' "strict create"
  expect_contains "$out" "BadRequest" "strict create reason"
  out=$(k apply -f "$WORK/bogus.yaml" 2>&1) && fail "strict apply accepted unknown fields"
  expect_contains "$out" 'unknown field "spec.template.spec.containers[0].bogus"' "strict apply"
  out=$(k apply --validate=warn -f "$WORK/bogus.yaml" 2>&1)
  expect_contains "$out" 'Warning: unknown field "metadata.colour"' "warn apply"
  expect_contains "$out" "deployment.apps/bogus created" "warn apply result"
  k delete deploy bogus >/dev/null
  k create --validate=false -f "$WORK/bogus.yaml" >/dev/null
  # Typed generators send protobuf.
  mkns typed >/dev/null
  k -n typed create secret generic creds --from-literal=user=admin >/dev/null
  [[ $(k -n typed get secret creds -o jsonpath='{.data.user}') == "YWRtaW4=" ]] || fail "secret data"
  k -n typed create serviceaccount robot >/dev/null
  mkcm settings a=b -n typed --dry-run=server >/dev/null
  expect_fails_with "NotFound" k -n typed get cm settings
  expect_fails_with "not apps/v1 Deployment; send JSON" k -n typed create deployment web --image=nginx
  out=$(k explain deployment.spec.replicas)
  expect_contains "$out" "replicas" "explain from /openapi/v3"
  stop_server
}

"case_$1"
echo "PASS: $1"
