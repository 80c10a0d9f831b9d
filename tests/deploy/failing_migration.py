"""A kwok stage that fails the migration pods of one namespace and image, as a kubelet would.

kwok completes every Job pod ("fast" stages), so a failed migration cannot happen on its own.
This stage, with a weight (the fast stages have none, so kwok always picks it when both match),
ends the matching pods the way a real kubelet ends a container that exited 1 under
`terminationMessagePolicy: FallbackToLogsOnError`: terminated, reason Error, the log tail as its
message, the pod Failed. Everything after that is real: the Job controller's retries and
BackoffLimitExceeded, the provider's Job awaiter, the engine's error.
"""

from __future__ import annotations

import json

from stacks.migration import migration_selector

NAMESPACE = "auth-migration"
# The image whose migration "fails": the -distroless variant, a tag settings accept.
FAILING_IMAGE_TAG = "v1.3.1-distroless"
RELEASE_NAME = "kratos"
# The tail of a migration that could not reach its database, as Kratos logs it.
LOG_TAIL = (
    "time=2026-12-06T20:01:50Z level=warning msg=Unable to ping database, retrying.\n"
    "time=2026-12-06T20:02:39Z level=error msg=Could not apply migrations: "
    "migration-log-marker-7f3a: relation identities is locked\n"
)
LOG_MARKER = "migration-log-marker-7f3a"

STAGE = """apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: test-migration-fails
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  weight: 100
  selector:
    matchLabels: {labels}
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.metadata.namespace'
      operator: 'In'
      values: [{namespace}]
    - key: '.status.phase'
      operator: 'In'
      values: ['Running']
  next:
    statusTemplate: |
      {{{{ $now := Now }}}}
      conditions:
      - lastTransitionTime: {{{{ $now | Quote }}}}
        status: "False"
        type: Ready
        reason: PodFailed
      - lastTransitionTime: {{{{ $now | Quote }}}}
        status: "False"
        type: ContainersReady
        reason: PodFailed
      containerStatuses:
      {{{{ range .spec.containers }}}}
      - image: {{{{ .image | Quote }}}}
        name: {{{{ .name | Quote }}}}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: 1
            reason: Error
            message: {message}
            startedAt: {{{{ $now | Quote }}}}
            finishedAt: {{{{ $now | Quote }}}}
      {{{{ end }}}}
      phase: Failed
"""


def failing_migration_stage() -> str:
    labels = {**migration_selector(RELEASE_NAME), "app.kubernetes.io/version": FAILING_IMAGE_TAG}
    # JSON is YAML: quoted strings that survive the template and the YAML parser unchanged.
    return STAGE.format(
        labels=json.dumps(labels),
        namespace=json.dumps(NAMESPACE),
        message=json.dumps(LOG_TAIL),
    )
