# Entry points shared by people, .ci/run and the GitHub workflows.
PY := .venv/bin/python
PYTEST := .venv/bin/pytest
STACK ?= dev
OUT ?= frontend_site/dist
# `make local UI_PORT=5455 ...`: each set variable becomes the matching `local_stack up` option.
LOCAL_OPTIONS := $(strip $(if $(UI_PORT),--ui-port $(UI_PORT)) $(if $(KRATOS_PORT),--kratos-port $(KRATOS_PORT)) \
	$(if $(ADMIN_PORT),--admin-port $(ADMIN_PORT)) $(if $(SMTP_PORT),--smtp-port $(SMTP_PORT)) \
	$(if $(FLOW_LIFESPAN),--flow-lifespan $(FLOW_LIFESPAN)))

.PHONY: setup setup-product lint test test-unit test-e2e test-node local local-postgres site render reference bench

setup:
	scripts/setup

# Only what running the product needs (no CRD schemas, actionlint or chromium).
setup-product:
	scripts/setup --product

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy $(wildcard stack_settings kratos_config stacks local_stack ci_tools)

test-node: setup
	@if [ -f frontend_site/package.json ]; then npm --prefix frontend_site test; fi

# Fast layers: settings/config, the Pulumi program under mocks, the CI workflows.
test-unit: setup
	$(PYTEST) -m "not e2e and not browser"

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

site: setup
	scripts/build-site --stack $(STACK) --out $(OUT)

render: setup
	$(PY) -m kratos_config render --stack $(STACK) --out $(OUT)

reference:
	$(PY) -m stack_settings.reference

bench: setup
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script; done
