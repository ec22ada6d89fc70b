#!/usr/bin/env python3
"""Writes tests/policy/fixtures/<rule>/{pass,fail}.yaml.

Each pair differs only in what the rule is about: the failing file breaks the
rule, the passing file is the nearest compliant variant. Everything else is a
workload that satisfies Pod Security "restricted" and every platform rule, so a
test can assert that the failing file adds exactly the expected findings.
Kinds rotate across fixtures so every pod-bearing kind's pod spec is walked.
"""
import copy
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE = "registry.example.com/shop/app:1.2.3"


def container():
    return {
        "name": "app",
        "image": IMAGE,
        "ports": [{"name": "http", "containerPort": 8080}],
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "resources": {
            "requests": {"cpu": "100m", "memory": "64Mi"},
            "limits": {"cpu": "200m", "memory": "128Mi"},
        },
        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
    }


def pod_spec(kind):
    spec = {
        "automountServiceAccountToken": False,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": 10001,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "containers": [container()],
    }
    if kind in ("Job", "CronJob"):
        spec["restartPolicy"] = "Never"
    return spec


def meta(name="web"):
    return {"name": name, "namespace": "shop", "labels": {"app.kubernetes.io/name": name}}


def workload(kind):
    """A compliant object of `kind` and a function returning its pod spec."""
    tmpl = {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec(kind)}
    api = {"Pod": "v1", "PodTemplate": "v1", "ReplicationController": "v1",
           "Job": "batch/v1", "CronJob": "batch/v1"}.get(kind, "apps/v1")
    obj = {"apiVersion": api, "kind": kind, "metadata": meta()}
    if kind == "Pod":
        obj["metadata"]["labels"]["app"] = "web"
        obj["spec"] = pod_spec(kind)
        return obj, lambda o: o["spec"], lambda o: o["metadata"]
    if kind == "PodTemplate":
        obj["template"] = tmpl
        return obj, lambda o: o["template"]["spec"], lambda o: o["template"]["metadata"]
    if kind == "CronJob":
        obj["spec"] = {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": tmpl}}}
        get = lambda o: o["spec"]["jobTemplate"]["spec"]["template"]
        return obj, lambda o: get(o)["spec"], lambda o: get(o)["metadata"]
    spec = {"template": tmpl}
    if kind in ("Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"):
        spec["selector"] = {"matchLabels": {"app": "web"}}
    if kind == "ReplicationController":
        spec["selector"] = {"app": "web"}
    if kind in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"):
        spec = {"replicas": 1, **spec}
    if kind == "StatefulSet":
        spec["serviceName"] = "web"
    obj["spec"] = spec
    return obj, lambda o: o["spec"]["template"]["spec"], lambda o: o["spec"]["template"]["metadata"]


NETPOL = {
    "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
    "metadata": {"name": "default-deny", "namespace": "shop"},
    "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
}


def c0(spec):
    return spec["containers"][0]


def sc(spec):
    return c0(spec)["securityContext"]


# name -> (kind, pass mutation, fail mutation); mutations get (docs, podspec, podmeta).
def m_init_caps(add):
    def f(docs, s, m):
        init = copy.deepcopy(c0(s))
        init["name"] = "init"
        for k in ("readinessProbe", "livenessProbe", "ports"):
            init.pop(k)
        init["securityContext"]["capabilities"]["add"] = add
        s["initContainers"] = [init]
    return f


def m_set(path_fn, key, value):
    def f(docs, s, m):
        path_fn(s)[key] = value
    return f


def m_pop(path_fn, key):
    def f(docs, s, m):
        path_fn(s).pop(key)
    return f


def m_volume(vol):
    def f(docs, s, m):
        s["volumes"] = [vol]
    return f


def m_ephemeral(ape):
    def f(docs, s, m):
        s["ephemeralContainers"] = [{
            "name": "debug", "image": IMAGE,
            "securityContext": {"allowPrivilegeEscalation": ape, "capabilities": {"drop": ["ALL"]}},
        }]
    return f


def m_docs(extra, drop_netpol=False):
    def f(docs, s, m):
        if drop_netpol:
            docs[:] = [d for d in docs if d["kind"] != "NetworkPolicy"]
        docs.extend(copy.deepcopy(extra))
    return f


def both(*fs):
    def f(docs, s, m):
        for g in fs:
            g(docs, s, m)
    return f


def m_workload_meta(fn):
    def f(docs, s, m):
        fn(docs[0])
    return f


def m_replicas(n, pdb=False):
    def f(docs, s, m):
        docs[0]["spec"]["replicas"] = n
        if pdb:
            docs.append({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                         "metadata": {"name": "web", "namespace": "shop"},
                         "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}})
    return f


def service(**spec):
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta(),
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}], **spec}}


def role(verbs):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": "web", "namespace": "shop"},
            "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": verbs}]}


def binding(role_name):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": "web", "namespace": "shop"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role_name},
            "subjects": [{"kind": "ServiceAccount", "name": "web", "namespace": "shop"}]}


def hpa(api):
    return {"apiVersion": api, "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                     "minReplicas": 1, "maxReplicas": 3}}


def configmap(ns):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": ns},
            "data": {"mode": "fast"}}


psc = lambda s: s["securityContext"]
DIGEST = "sha256:" + "ab" * 32

FIXTURES = {
    "pss-baseline-host-process": ("Pod", None, m_set(psc, "windowsOptions", {"hostProcess": True})),
    "pss-baseline-host-namespaces": ("Deployment", m_set(lambda s: s, "hostNetwork", False),
                                     m_set(lambda s: s, "hostNetwork", True)),
    "pss-baseline-privileged": ("StatefulSet", m_set(sc, "privileged", False), m_set(sc, "privileged", True)),
    "pss-baseline-capabilities": ("DaemonSet", m_init_caps(["CHOWN"]), m_init_caps(["SYS_ADMIN"])),
    "pss-baseline-host-path-volumes": ("ReplicaSet", m_volume({"name": "host", "emptyDir": {}}),
                                       m_volume({"name": "host", "hostPath": {"path": "/var/log"}})),
    "pss-baseline-host-ports": ("Job", m_set(lambda s: c0(s)["ports"][0], "hostPort", 0),
                                m_set(lambda s: c0(s)["ports"][0], "hostPort", 8080)),
    "pss-baseline-apparmor": ("CronJob", m_set(sc, "appArmorProfile", {"type": "RuntimeDefault"}),
                              m_set(sc, "appArmorProfile", {"type": "Unconfined"})),
    "pss-baseline-apparmor-annotation": (
        "Pod",
        lambda d, s, m: m.setdefault("annotations", {}).update(
            {"container.apparmor.security.beta.kubernetes.io/app": "runtime/default"}),
        lambda d, s, m: m.setdefault("annotations", {}).update(
            {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"})),
    "pss-baseline-selinux": ("PodTemplate", m_set(psc, "seLinuxOptions", {"type": "container_init_t"}),
                             m_set(psc, "seLinuxOptions", {"type": "spc_t"})),
    "pss-baseline-selinux-role": ("Deployment", m_set(sc, "seLinuxOptions", {"level": "s0:c123,c456"}),
                                  m_set(sc, "seLinuxOptions", {"role": "sysadm_r"})),
    "pss-baseline-proc-mount": ("ReplicationController", m_set(sc, "procMount", "Default"),
                                m_set(sc, "procMount", "Unmasked")),
    "pss-baseline-seccomp": ("Pod", m_set(psc, "seccompProfile", {"type": "Localhost", "localhostProfile": "p.json"}),
                             m_set(psc, "seccompProfile", {"type": "Unconfined"})),
    "pss-baseline-sysctls": ("Deployment",
                             m_set(psc, "sysctls", [{"name": "net.ipv4.tcp_keepalive_time", "value": "600"}]),
                             m_set(psc, "sysctls", [{"name": "kernel.msgmax", "value": "65536"}])),
    "pss-restricted-volume-types": ("StatefulSet",
                                    m_volume({"name": "data", "persistentVolumeClaim": {"claimName": "data"}}),
                                    m_volume({"name": "data", "nfs": {"server": "nfs.local", "path": "/"}})),
    "pss-restricted-privilege-escalation": ("Pod", m_ephemeral(False), m_ephemeral(True)),
    "pss-restricted-run-as-non-root": ("Deployment",
                                       both(m_pop(psc, "runAsNonRoot"), m_set(sc, "runAsNonRoot", True)),
                                       m_pop(psc, "runAsNonRoot")),
    "pss-restricted-run-as-user": ("DaemonSet", m_set(sc, "runAsUser", 1000), m_set(sc, "runAsUser", 0)),
    "pss-restricted-seccomp": ("CronJob",
                               both(m_pop(psc, "seccompProfile"),
                                    m_set(sc, "seccompProfile", {"type": "RuntimeDefault"})),
                               m_pop(psc, "seccompProfile")),
    "pss-restricted-capabilities": ("ReplicaSet",
                                    m_set(sc, "capabilities", {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}),
                                    m_set(sc, "capabilities", {"drop": ["NET_RAW"]})),
    "platform-resources": ("Deployment", None, m_pop(lambda s: c0(s)["resources"], "limits")),
    "platform-image-tag": ("Deployment", m_set(c0, "image", "registry.example.com/shop/app@" + DIGEST),
                           m_set(c0, "image", "registry.example.com/shop/app:latest")),
    "platform-image-registry": ("Deployment", None,
                                m_set(c0, "image", "registry.example.com.evil.io/shop/app:1.2.3")),
    "platform-probes": ("Deployment", None, m_pop(c0, "readinessProbe")),
    "platform-read-only-root-fs": ("Deployment", None, m_set(sc, "readOnlyRootFilesystem", False)),
    "platform-default-namespace": ("Deployment", m_docs([configmap("shop")]), m_docs([configmap("default")])),
    "platform-automount-token": (
        "Deployment",
        both(m_pop(lambda s: s, "automountServiceAccountToken"),
             m_docs([{"apiVersion": "v1", "kind": "ServiceAccount",
                      "metadata": {"name": "default", "namespace": "shop"},
                      "automountServiceAccountToken": False}])),
        m_pop(lambda s: s, "automountServiceAccountToken")),
    "platform-service-type": ("Deployment", m_docs([service(type="ClusterIP")]),
                              m_docs([service(type="LoadBalancer")])),
    "platform-external-ips": ("Deployment", m_docs([service()]), m_docs([service(externalIPs=["203.0.113.7"])])),
    "platform-network-policy": ("Deployment", None, m_docs([], drop_netpol=True)),
    "platform-pod-disruption-budget": ("Deployment", m_replicas(3, pdb=True), m_replicas(3)),
    "platform-required-labels": ("Deployment", None,
                                 m_workload_meta(lambda o: o["metadata"]["labels"].pop("app.kubernetes.io/name"))),
    "platform-deprecated-api": ("Deployment", m_docs([hpa("autoscaling/v2")]), m_docs([hpa("autoscaling/v2beta2")])),
    "platform-rbac-wildcard": ("Deployment", m_docs([role(["get", "list"])]), m_docs([role(["*"])])),
    "platform-cluster-admin-binding": ("Deployment", m_docs([binding("view")]), m_docs([binding("cluster-admin")])),
    "platform-secret-in-env": (
        "Deployment",
        m_set(c0, "env", [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                          {"name": "LOG_LEVEL", "value": "debug"}]),
        m_set(c0, "env", [{"name": "DB_PASSWORD", "value": "hunter2"}])),
}


def build(kind, mutation):
    obj, get_spec, get_meta = workload(kind)
    docs = [obj, copy.deepcopy(NETPOL)]
    if mutation:
        mutation(docs, get_spec(obj), get_meta(obj))
    return yaml.safe_dump_all(docs, sort_keys=False, default_flow_style=False)


def main():
    out_dir = os.path.join(HERE, "fixtures")
    for name, (kind, passing, failing) in FIXTURES.items():
        d = os.path.join(out_dir, name)
        os.makedirs(d, exist_ok=True)
        for fname, mutation in (("pass.yaml", passing), ("fail.yaml", failing)):
            with open(os.path.join(d, fname), "w") as f:
                f.write(build(kind, mutation))
    print(f"{len(FIXTURES)} fixture pairs in {out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
