# Two entry points, each doing its own set-up on a fresh machine:
#   make map   installs gravemap and renders data/sites.geojson to maps/index.html
#   make test  installs gravemap with its test extras and runs the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DATA   ?= data/sites.geojson
MAP    ?= maps/index.html

.PHONY: map test test-lowest install install-test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

map: install
	$(BIN)/gravemap --data $(DATA) validate
	$(BIN)/gravemap --data $(DATA) render -o $(MAP)

test: install-test
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory test-lowest

# pyproject pins folium, branca and msgspec to a tested range: the suite above runs the newest
# the range allows; this runs the tests that touch them again with the lowest, installed beside
# (not over) the others and put first on the path.
LOWEST_PINS := folium==0.17.0 branca==0.7.2 msgspec==0.18.0
LOWEST      := $(VENV)/lowest
test-lowest: install-test
	$(BIN)/python -m pip install --quiet --no-deps --upgrade --target $(LOWEST) $(LOWEST_PINS)
	PYTHONPATH=$(LOWEST) $(BIN)/python -c "import folium, branca, msgspec; print('lowest:', 'folium', folium.__version__, 'branca', branca.__version__, 'msgspec', msgspec.__version__)"
	PYTHONPATH=$(LOWEST) $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_render.py \
		tests/test_cli_render.py tests/browser/test_sites_layer.py tests/browser/test_map.py \
		tests/test_validation_fast.py tests/test_store.py

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: install-test
	$(BIN)/python benchmarks/startup_bench.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache test-artifacts
