# Two entry points for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test setup system-deps benchmarks clean

demo: setup
	$(BIN)/gongkai demo

# pytest's exit code 5 means it collected no tests: that is a failure here. Tests run in one
# worker per core (pytest-xdist), grouped by module so a module's fixtures are built once.
PYTEST_ARGS ?= -n auto --dist loadscope
test: setup
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

setup: system-deps $(INSTALLED)

system-deps:
	@scripts/install-system-deps.sh

# constraints.txt pins the libraries whose internals we use to the versions tests pass with;
# the install builds extract/_glyphs.c.
$(INSTALLED): pyproject.toml constraints.txt extract/_glyphs.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(INSTALLED)

benchmarks: setup
	for bench in benchmarks/*.py; do $(BIN)/python $$bench || exit 1; done

clean:
	rm -rf $(VENV) archive.db archive.db-* archive-files test-artifacts
