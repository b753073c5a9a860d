# Two commands do all set-up: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE ?= outputs/voorbeeld
# pytest-xdist workers for make test: one per core. Tests of one file stay in one worker (their module fixtures
# are built once); the sample and the suite's one full zgw run are shared between workers (tests/conftest.py).
TEST_WORKERS ?= auto
# Jupyter's move to platformdirs warns on every start otherwise; tests turn warnings into errors.
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: install demo test mutants lab sample bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (zgw)" >/dev/null
	touch $(STAMP)

install: $(STAMP)

sample: $(STAMP)
	$(BIN)/zgw sample --out $(SAMPLE)
	$(BIN)/zgw validate $(SAMPLE)

# The same as `zgw demo` after `pip install .` (README): the sample into outputs/voorbeeld, validated, every report.
demo: $(STAMP)
	$(BIN)/zgw demo --out outputs

# The browser test needs Debian's chromium; install it when missing and we may (root, apt).
test: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing chromium for the browser test..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium; the browser test will be skipped."; \
	  else echo "chromium is not installed (sudo apt-get install chromium); the browser test will be skipped."; fi; }
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# Mutation testing of the figure modules (not part of make test; minutes, not seconds): mutmut changes one thing
# at a time in them ([tool.mutmut] in pyproject.toml) and runs their fast unit tests; a mutant the tests do not
# notice survives. Results are kept in mutants/ so a second run only tests what changed. docs/testing.md.
mutants: $(STAMP)
	-$(BIN)/mutmut run --max-children 2
	$(BIN)/python tests/mutation_score.py

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) outputs/* .pytest_cache mutants
