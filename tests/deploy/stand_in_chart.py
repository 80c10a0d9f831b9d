"""A tiny chart of our own, written for the deploy tier when the Ory chart is not available.

It is NOT the Ory chart and proves nothing about it: the Ory chart cannot be had from the
registries here, so CI installs this instead to exercise what does not depend on the chart —
the real engine's create/update/no-change/destroy cycle of a Helm release, Helm's waits through
kwok, integers reaching the API server as integers, and every other resource of the stack.
It reads the same value paths for what it models (replicaCount, the env Secret, the config) and
names its Deployment, public Service and courier StatefulSet (container, metrics port) as the Ory
chart does, so routing and the courier's probe patch stay consistent.
"""

from __future__ import annotations

from pathlib import Path

from stack_settings.model import CHART_NAME
from stacks.chart import COURIER_CONTAINER, COURIER_METRICS_PORT_NAME

CHART_YAML = f"""apiVersion: v2
name: {CHART_NAME}
version: {{version}}
appVersion: {{app_version}}
description: Stand-in for the deploy tier's CI run (not the Ory chart).
"""

# The Ory chart's naming: the release name when it contains the chart name.
HELPERS = """{{- define "standin.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}{{ .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{ end }}
{{- end }}
"""

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "standin.fullname" . }}
  namespace: {{ .Release.Namespace }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .Chart.Name }}
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ .Chart.Name }}
        app.kubernetes.io/instance: {{ .Release.Name }}
      annotations:
        checksum/kratos-config: {{ toJson .Values.kratos.config | sha256sum }}
    spec:
      containers:
        - name: kratos
          image: "oryd/kratos:{{ .Values.image.tag }}"
          envFrom:
            - secretRef:
                name: {{ .Values.deployment.environmentSecretsName }}
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {{ include "standin.fullname" . }}-public
  namespace: {{ .Release.Namespace }}
spec:
  selector:
    app.kubernetes.io/name: {{ .Chart.Name }}
    app.kubernetes.io/instance: {{ .Release.Name }}
  ports:
    - name: http
      port: 80
      targetPort: 4433
"""


COURIER = f"""apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{{{ include "standin.fullname" . }}}}-courier
  namespace: {{{{ .Release.Namespace }}}}
spec:
  serviceName: {{{{ include "standin.fullname" . }}}}-courier
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {{{{ include "standin.fullname" . }}}}-courier
      app.kubernetes.io/instance: {{{{ .Release.Name }}}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{{{ include "standin.fullname" . }}}}-courier
        app.kubernetes.io/instance: {{{{ .Release.Name }}}}
      annotations:
        checksum/kratos-config: {{{{ toJson .Values.kratos.config | sha256sum }}}}
    spec:
      containers:
        - name: {COURIER_CONTAINER}
          image: "oryd/kratos:{{{{ .Values.image.tag }}}}"
          args: ["courier", "watch", "--expose-metrics-port", "4434"]
          ports:
            - name: {COURIER_METRICS_PORT_NAME}
              containerPort: 4434
"""


def write_stand_in_chart(folder: Path, version: str, app_version: str) -> Path:
    chart = folder / CHART_NAME
    (chart / "templates").mkdir(parents=True, exist_ok=True)
    (chart / "Chart.yaml").write_text(CHART_YAML.format(version=version, app_version=app_version))
    (chart / "values.yaml").write_text("replicaCount: 1\n")
    (chart / "templates" / "_helpers.tpl").write_text(HELPERS)
    (chart / "templates" / "deployment.yaml").write_text(DEPLOYMENT)
    (chart / "templates" / "service.yaml").write_text(SERVICE)
    (chart / "templates" / "courier.yaml").write_text(COURIER)
    return chart
