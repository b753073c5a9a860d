# Two commands do all set-up: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE ?= outputs/voorbeeld
# Jupyter's move to platformdirs warns on every start otherwise; tests turn warnings into errors.
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: install demo test lab sample bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (zgw)" >/dev/null
	touch $(STAMP)

install: $(STAMP)

sample: $(STAMP)
	$(BIN)/zgw sample --out $(SAMPLE)
	$(BIN)/zgw validate $(SAMPLE)

demo: sample
	@echo "Sample municipality: $(SAMPLE) (validated)."

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) outputs/* .pytest_cache
