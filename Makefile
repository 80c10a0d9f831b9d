# Entry points shared by people, .ci/run and the GitHub workflows.
PY := .venv/bin/python
PYTEST := .venv/bin/pytest
STACK ?= dev
OUT ?= frontend_site/dist
# `make local UI_PORT=5455 ...`: each set variable becomes the matching `local_stack up` option.
LOCAL_OPTIONS := $(strip $(if $(UI_PORT),--ui-port $(UI_PORT)) $(if $(KRATOS_PORT),--kratos-port $(KRATOS_PORT)) \
	$(if $(ADMIN_PORT),--admin-port $(ADMIN_PORT)) $(if $(SMTP_PORT),--smtp-port $(SMTP_PORT)) \
	$(if $(FLOW_LIFESPAN),--flow-lifespan $(FLOW_LIFESPAN)))

.PHONY: setup setup-product lint test test-unit test-e2e test-deploy test-pods test-node local local-postgres cluster cluster-pods deploy-local deploy-pods site render reference bench

setup:
	scripts/setup

# Only what running the product needs (no CRD schemas, actionlint or chromium).
setup-product:
	scripts/setup --product

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy $(wildcard stack_settings kratos_config stacks local_stack local_cluster ci_tools)

test-node: setup
	@if [ -f frontend_site/package.json ]; then npm --prefix frontend_site test; fi

# Fast layers: settings/config, the Pulumi program under mocks, the CI workflows.
test-unit: setup
	$(PYTEST) -m "not e2e and not browser and not deploy and not pods"

# The real Pulumi engine and kubernetes provider against a local control plane (kwok nodes).
# KRATOS_CHART_DIR=<a copy of the Ory kratos chart> adds the tests that need the chart itself.
test-deploy: setup
	$(PYTEST) -m deploy

# Real pods: the control plane with a real node (containerd, kubelet, kube-proxy; needs root).
# Without KRATOS_CHART_DIR only the node itself is proven (the project's Kratos image in pods).
test-pods: setup
	$(PYTEST) -m pods

# Real Kratos, real SMTP, real chromium.
test-e2e: setup
	$(PYTEST) -m "e2e or browser"

# Everything, pytest last so its summary is the closing line.
test: setup lint test-node
	$(PYTEST)

local: setup-product
	$(PY) -m local_stack up $(LOCAL_OPTIONS)

local-postgres: setup-product
	$(PY) -m local_stack up --postgres $(strip $(LOCAL_OPTIONS) $(if $(PG_PORT),--postgres-port $(PG_PORT)))

# A real control plane on 127.0.0.1 (etcd, kube-apiserver, controller-manager, scheduler, kwok).
cluster: setup
	$(PY) -m local_cluster up

# The same control plane with a real node: pods really run (root; containerd, runc from Debian).
cluster-pods: setup
	$(PY) -m local_cluster up --real-pods

# The same cluster, then `pulumi up` of STACK into it by the real engine (DNS left out).
# CHART_DIR=<dir> installs a local copy of the Ory chart instead of the stack's chart source.
deploy-local: setup
	$(PY) -m local_cluster deploy --stack $(STACK) $(if $(CHART_DIR),--chart-dir $(CHART_DIR))

# STACK on real pods with PostgreSQL, SMTP and a secret store beside it; prints how to sign in.
deploy-pods: setup
	$(PY) -m local_cluster deploy --real-pods --stack $(STACK) --chart-dir $(CHART_DIR)

site: setup
	scripts/build-site --stack $(STACK) --out $(OUT)

render: setup
	$(PY) -m kratos_config render --stack $(STACK) --out $(OUT)

reference:
	$(PY) -m stack_settings.reference

bench: setup
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script; done
