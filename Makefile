# chartcode — the two commands are `make demo` and `make test`.
# Everything a fresh machine needs is installed by scripts/setup.sh.

SHELL := /bin/bash
CARGO ?= cargo
PACKS ?= packs
PORT ?= 8080


.PHONY: pcs-titles setup packs test test-native test-wasm-build lint bench bench-criterion demo clean

## Install what is missing (idempotent).
setup:
	./scripts/setup.sh

## Build the packs from codebooks/ into $(PACKS)/.
packs:
	$(CARGO) run --release --quiet -- build --out $(PACKS)

## Every test: native unit and integration tests against the real books,
## and the reading side built for wasm32-unknown-unknown.
test: setup test-native test-wasm-build

test-native:
	$(CARGO) test --all-targets

test-wasm-build:
	$(CARGO) build --lib --no-default-features --target wasm32-unknown-unknown --release

## Formatting and lints (CI runs these too).
lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

## Pack sizes and per-keystroke latency (p50/p99), as a markdown table.
bench:
	$(CARGO) bench --bench latency

## The criterion benchmarks (lookup, type-ahead per query).
bench-criterion:
	$(CARGO) bench --bench search

## Regenerate docs/PCS_TITLES.md (composed vs official ICD-10-PCS titles).
pcs-titles:
	./scripts/fetch-reference.sh
	$(CARGO) run --release --quiet --example pcs_titles -- target/reference/icd10pcs-codes-2024.txt docs/PCS_TITLES.md

## Until the wasm module and the widget land: build the packs and show the CLI.
demo: setup packs
	@echo
	@echo '$$ chartcode lookup E11.9'
	@$(CARGO) run --release --quiet -- lookup E11.9 --packs $(PACKS) | head -n 6
	@echo
	@echo '$$ chartcode search "chf" --limit 5'
	@$(CARGO) run --release --quiet -- search chf --limit 5 --packs $(PACKS)
	@echo
	@echo '$$ chartcode search "fracture neck right femur initial" --billable --limit 3'
	@$(CARGO) run --release --quiet -- search "fracture neck right femur initial" --billable --limit 3 --packs $(PACKS)
	@echo
	@echo '$$ chartcode lookup S72.001'
	@$(CARGO) run --release --quiet -- lookup S72.001 --packs $(PACKS) | tail -n 17 | head -n 4

clean:
	$(CARGO) clean
	rm -rf $(PACKS)
