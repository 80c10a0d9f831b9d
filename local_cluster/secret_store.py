"""A stand-in for the External Secrets operator on the local cluster: a thread that does what
the operator does for a store it can read, with an in-memory store of remote key -> value.

For every ExternalSecret it writes the target Secret (`spec.target.name`, one key per
`spec.data[].secretKey`, values from `remoteRef.key`), owned by the ExternalSecret as with
`creationPolicy: Owner`, and rewrites it whenever a value in the store changes (what the
operator's refresh does). Values go to the API server on kubectl's standard input only: never
into a file, an argument or a log.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from local_cluster.errors import ClusterError
from local_stack.lifecycle import StartStop

if TYPE_CHECKING:
    from local_cluster.control_plane import LocalCluster

FIELD_MANAGER = "external-secrets-stand-in"


class SecretStoreSync(StartStop):
    def __init__(
        self, cluster: LocalCluster, store: Mapping[str, str], interval: float = 0.5
    ) -> None:
        self.cluster = cluster
        self._store = dict(store)
        self._interval = interval
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._written: dict[tuple[str, str], dict[str, str]] = {}
        self.error: str | None = None  # the last sync problem, for a test's failure message

    def set(self, remote_key: str, value: str) -> None:
        """Change a value in the store (a rotation at the source); synced on the next round."""
        with self._lock:
            self._store[remote_key] = value

    def value(self, remote_key: str) -> str:
        with self._lock:
            return self._store[remote_key]

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=FIELD_MANAGER, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.sync_once()
                self.error = None
            except Exception as error:  # a passing fault must not end the loop
                self.error = f"{type(error).__name__}: {error}"

    def sync_once(self) -> None:
        listing = self.cluster.get_json("externalsecrets.external-secrets.io", "--all-namespaces")
        for external_secret in listing.get("items", []):
            self._sync(external_secret)

    def _sync(self, external_secret: dict[str, Any]) -> None:
        meta, spec = external_secret["metadata"], external_secret.get("spec", {})
        if meta.get("deletionTimestamp"):
            return
        with self._lock:
            missing = [d["remoteRef"]["key"] for d in spec.get("data", [])
                       if d["remoteRef"]["key"] not in self._store]  # fmt: skip
            data = {d["secretKey"]: self._store.get(d["remoteRef"]["key"], "")
                    for d in spec.get("data", [])}  # fmt: skip
        if missing:
            # The operator reports this on the ExternalSecret and writes nothing; so do we.
            raise ClusterError(f"{meta['name']}: no such key in the store: {', '.join(missing)}")
        target = spec.get("target", {}).get("name") or meta["name"]
        key = (meta["namespace"], target)
        if self._written.get(key) == data:
            return
        secret = {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": target,
                "namespace": meta["namespace"],
                "ownerReferences": [
                    {
                        "apiVersion": external_secret["apiVersion"],
                        "kind": "ExternalSecret",
                        "name": meta["name"],
                        "uid": meta["uid"],
                        "controller": True,
                        "blockOwnerDeletion": True,
                    }
                ],
            },
            "type": "Opaque",
            "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()},
        }
        self.cluster.kubectl(
            "apply", "--server-side", "--force-conflicts", f"--field-manager={FIELD_MANAGER}",
            "-f", "-", input_text=json.dumps(secret),
        )  # fmt: skip
        self._written[key] = data
