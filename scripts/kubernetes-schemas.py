#!/usr/bin/env python3
"""Writes kubeconform's offline schemas from the kubernetes-validate package.

usage: kubernetes-schemas.py KUBERNETES_VERSION OUT_DIR
gives  OUT_DIR/v<version>-standalone[-strict]/<kind>-<group>-<apiversion>.json

kubernetes-validate's per-kind schemas refer into one shared _definitions.json
("/api/_definitions.json#/$defs/..."), which kubeconform cannot resolve; each kind
is rewritten to carry the definitions it reaches under its own "$defs".
"""
import json
import os
import re
import sys

import kubernetes_validate

REF = re.compile(r'"(?:/api/_definitions\.json)?#/\$defs/([^"]+)"')


def local_refs(text):
    return REF.sub(lambda m: '"#/$defs/%s"' % m.group(1), text)


def reachable(text, definitions):
    seen, pending = set(), set(REF.findall(text))
    while pending:
        name = pending.pop()
        if name in seen or name not in definitions:
            continue
        seen.add(name)
        pending |= set(REF.findall(json.dumps(definitions[name])))
    return seen


def convert(source, target):
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(source, "_definitions.json")) as f:
        definitions = json.load(f)["$defs"]
    written = 0
    for name in sorted(os.listdir(source)):
        if name.startswith("_") or name == "all.json" or not name.endswith(".json"):
            continue
        with open(os.path.join(source, name)) as f:
            text = f.read()
        schema = json.loads(local_refs(text))
        schema["$defs"] = {
            d: json.loads(local_refs(json.dumps(definitions[d]))) for d in sorted(reachable(text, definitions))
        }
        with open(os.path.join(target, name), "w") as f:
            json.dump(schema, f)
        written += 1
    return written


def main():
    version, out = sys.argv[1], sys.argv[2]
    base = os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema")
    for suffix in ("-strict", ""):
        source = os.path.join(base, f"v{version}-local{suffix}")
        if not os.path.isdir(source):
            sys.exit(f"kubernetes-validate has no schemas for Kubernetes {version} ({source})")
        count = convert(source, os.path.join(out, f"v{version}-standalone{suffix}"))
        print(f"{count} schemas in {out}/v{version}-standalone{suffix}")


if __name__ == "__main__":
    main()
