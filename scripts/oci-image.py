#!/usr/bin/env python3
"""Packs static binaries into a one-layer OCI image archive that `ctr images import` reads.

usage: oci-image.py OUT.tar NAME:TAG USER ENTRYPOINT FILE[:PATH]...

The local cluster's own images (the pod sandbox, CoreDNS, Traefik) are single
static Go binaries; no registry and no Docker are needed to make them.
"""
import hashlib
import io
import json
import sys
import tarfile


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def layer(files):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for spec in files:
            source, _, target = spec.partition(":")
            info = tar.gettarinfo(source, arcname=(target or "/" + source.rsplit("/", 1)[-1]).lstrip("/"))
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            with open(source, "rb") as f:
                tar.addfile(info, f)
        tmp = tarfile.TarInfo("tmp")
        tmp.type, tmp.mode = tarfile.DIRTYPE, 0o1777
        tar.addfile(tmp)
    return buffer.getvalue()


def main():
    out, name, user, entrypoint, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    blob = layer(files)
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z",
        "config": {"Entrypoint": [entrypoint], "User": user, "Env": ["PATH=/"]},
        "rootfs": {"type": "layers", "diff_ids": [digest(blob)]},
    }, sort_keys=True).encode()
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": digest(config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": digest(blob), "size": len(blob)}],
    }, sort_keys=True).encode()
    index = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest(manifest), "size": len(manifest),
        "platform": {"architecture": "amd64", "os": "linux"},
        "annotations": {"io.containerd.image.name": name, "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]},
    }]}).encode()
    with tarfile.open(out, "w") as tar:
        def add(path, data):
            info = tarfile.TarInfo(path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        for data in (blob, config, manifest):
            add("blobs/sha256/" + digest(data)[7:], data)
        add("index.json", index)


if __name__ == "__main__":
    main()
