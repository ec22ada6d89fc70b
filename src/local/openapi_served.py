#!/usr/bin/env python3
"""Writes the OpenAPI document `skiff local` serves: the Kubernetes v1.21.2
definitions plus API versions that graduated later with an unchanged schema.

Platform repositories written today use autoscaling/v2 (GA in Kubernetes
1.23, the same types as autoscaling/v2beta2); a control plane that serves
only the 1.21 versions would refuse them. Each graduation copies the beta
definitions under the stable version's names, rewrites their references and
group-version-kind tags, and adds the stable resources.

usage: openapi_served.py IN.json.gz OUT.json.gz
"""
import gzip
import json
import sys

# (group, served beta version, stable version with the same schema)
GRADUATIONS = [("autoscaling", "v2beta2", "v2")]


def rewrite(value, old_prefix, new_prefix, group, old_version, new_version):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                item = item.replace(old_prefix, new_prefix)
            elif key == "x-kubernetes-group-version-kind":
                item = [dict(gvk, version=new_version)
                        if gvk.get("group") == group and gvk.get("version") == old_version
                        else gvk for gvk in item]
            else:
                item = rewrite(item, old_prefix, new_prefix, group, old_version, new_version)
            out[key] = item
        return out
    if isinstance(value, list):
        return [rewrite(v, old_prefix, new_prefix, group, old_version, new_version) for v in value]
    return value


def graduate(doc, group, old_version, new_version):
    old_prefix = f"io.k8s.api.{group}.{old_version}."
    new_prefix = f"io.k8s.api.{group}.{new_version}."
    definitions = doc["definitions"]
    for name in [n for n in definitions if n.startswith(old_prefix)]:
        new_name = new_prefix + name[len(old_prefix):]
        if new_name not in definitions:
            definitions[new_name] = rewrite(definitions[name], old_prefix, new_prefix,
                                            group, old_version, new_version)
    old_api, new_api = f"{group}/{old_version}", f"{group}/{new_version}"
    have = {(r["apiVersion"], r["kind"]) for r in doc["resources"]}
    for entry in [r for r in doc["resources"] if r["apiVersion"] == old_api]:
        if (new_api, entry["kind"]) in have:
            continue
        added = dict(entry, apiVersion=new_api)
        added["definition"] = entry["definition"].replace(old_prefix, new_prefix)
        doc["resources"].append(added)


def main():
    source, target = sys.argv[1], sys.argv[2]
    with gzip.open(source, "rt", encoding="utf-8") as f:
        doc = json.load(f)
    for group, old_version, new_version in GRADUATIONS:
        graduate(doc, group, old_version, new_version)
    data = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    with open(target, "wb") as f:
        # mtime=0: the same input always gives the same bytes.
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
            gz.write(data)


if __name__ == "__main__":
    main()
