# Tanji: `make demo` runs the embedded default end to end; `make test` runs every check CI runs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_HOME ?= .demo-home

.PHONY: demo test install python-deps node-deps lint lint-contracts typecheck pytest contracts-test artifacts bench-anchor bench-verify web-assets clean

$(BIN)/tanji: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

python-deps: $(BIN)/tanji
node-deps: node_modules/.package-lock.json
install: python-deps node-deps

## demo: an EV battery-pack supply chain on the embedded default, then the server (needs no Node and no compiler)
demo: python-deps
	rm -rf $(DEMO_HOME)
	$(BIN)/tanji --home $(DEMO_HOME) demo --no-serve
	@echo "--- a second process re-verifies the same anchors from the persisted embedded chain ---"
	$(BIN)/tanji --home $(DEMO_HOME) demo --verify-only
	$(BIN)/tanji --home $(DEMO_HOME) demo

## test: lint, type-check, Python tests (py-evm, Hardhat node, anvil) and Hardhat contract tests
test: install lint lint-contracts typecheck pytest contracts-test

lint: python-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-contracts: node-deps
	npx solhint --max-warnings 0 'contracts/**/*.sol'

typecheck: python-deps
	$(BIN)/mypy

# one pytest-xdist worker per core, at most 4 (each worker starts its own Hardhat node, anvil and PostgreSQL
# when its tests need them); PYTEST_WORKERS=0 runs in one process. --dist loadscope keeps a module's tests on
# one worker, so each prepared CLI workspace (tests/api/conftest.py) is built once.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

pytest: install
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadscope --durations=20

contracts-test: node-deps
	npx hardhat test mocha

## artifacts: recompile contracts/ into chain_tools/artifacts/ (commit the result)
artifacts: install
	$(BIN)/python -m chain_tools.compile

bench-anchor: install
	$(BIN)/tanji bench anchor --json --out benchmarks/anchor.json

bench-verify: python-deps
	$(BIN)/tanji bench verify --json --out benchmarks/verify.json

## web-assets: copy the npm-built Apache ECharts bundle into api/web/static/vendor/ (commit the result)
web-assets: node-deps
	npm run web-assets

clean:
	rm -rf $(DEMO_HOME) artifacts cache .pytest_cache .mypy_cache .ruff_cache
