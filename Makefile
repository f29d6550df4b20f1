# chartcode — the two commands are `make demo` and `make test`.
# Everything a fresh machine needs is installed by scripts/setup.sh.

SHELL := /bin/bash
CARGO ?= cargo
PACKS ?= packs
PORT ?= 8080
# Tools that `cargo install` puts here (wasm-bindgen) must be found.
export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

# What the packs and the npm package are made from.
PACK_INPUTS := $(shell find codebooks src -type f) Cargo.toml Cargo.lock build.rs
PKG_INPUTS := $(PACK_INPUTS) $(shell find pkg-config -type f) scripts/build-wasm.sh scripts/package-wasm.mjs \
	www/chartcode-picker.js www/chartcode-picker.d.ts www/chartcode-suggest.js www/chartcode-suggest.d.ts www/chartcode-suggest-worker.js

# wasm-bindgen-test: node by default, Chromium with WASM_BINDGEN_USE_BROWSER.
WASM_TEST := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	CHARTCODE_EMBED_PACKS=$(abspath $(PACKS)) \
	WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(abspath www/tests/webdriver.json) \
	$(CARGO) test --target wasm32-unknown-unknown --no-default-features --features wasm --test wasm

.PHONY: setup packs wasm test test-native test-wasm-build test-wasm test-js lint eval eval-suggest bench bench-criterion bench-wasm pcs-titles demo screenshot fuzz fuzz-regress clean

## Install what is missing (idempotent).
setup:
	./scripts/setup.sh

## Build the packs from codebooks/ into $(PACKS)/.
packs: $(PACKS)/.built
$(PACKS)/.built: $(PACK_INPUTS)
	$(CARGO) run --release --quiet -- build --out $(PACKS)
	@touch $@

## The WebAssembly module and the npm package in pkg/.
wasm: pkg/.built
pkg/.built: $(PKG_INPUTS) $(PACKS)/.built
	PACKS=$(PACKS) ./scripts/build-wasm.sh
	@touch $@

## Every test: native tests against the real books, the JS API compiled to
## wasm in node and in headless Chromium, the npm package in node, and the
## browser tests (Playwright driving Debian's Chromium).
test: setup test-native test-wasm-build test-wasm test-js

test-native:
	$(CARGO) test --all-targets

test-wasm-build:
	$(CARGO) build --lib --no-default-features --target wasm32-unknown-unknown --release

test-wasm: packs
	$(WASM_TEST)
	WASM_BINDGEN_USE_BROWSER=1 $(WASM_TEST)

test-js: wasm
	cd www && node --test tests/node/
	cd www && npx playwright test

## Formatting and lints (CI runs these too).
lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --lib --test wasm --no-default-features --features wasm --target wasm32-unknown-unknown -- -D warnings

## Search quality on query sets (recall@1, recall@10, MRR): the evaluation
## sets in $(EVAL_DIR) (not in the repo; skipped when missing) and our own in
## eval/. ICD-10-CM, billable codes, judged on the last day of FY2026 (the
## sets' codes were checked against FY2026). Not part of `make test`.
EVAL_DIR ?= ../shared/data/eval
EVAL_FLAGS ?= --system icd10cm --billable --limit 10 --today 2026-09-30
eval:
	@$(CARGO) build --release --quiet
	@if [ -d "$(EVAL_DIR)/nlm_conditions" ]; then \
		./target/release/chartcode eval $(EVAL_DIR)/nlm_conditions/*.tsv eval/*.tsv $(EVAL_FLAGS) $(EVAL_ARGS); \
		echo; echo "With one typo in each query (--typos):"; \
		./target/release/chartcode eval $(EVAL_DIR)/nlm_conditions/*.tsv $(EVAL_FLAGS) --typos; \
	else \
		echo "make eval: $(EVAL_DIR)/nlm_conditions not found (set EVAL_DIR); our own sets only:"; \
		./target/release/chartcode eval eval/*.tsv $(EVAL_FLAGS) $(EVAL_ARGS); \
	fi

## Suggestion quality: CodiEsp-D mean average precision (train and dev;
## develop on train, report dev) and the assertion step's negation
## precision/recall on the NegEx test set. Reads $(EVAL_DIR) (skipped when
## missing); not part of `make test`.
CODIESP := $(EVAL_DIR)/codiesp/final_dataset_v4_to_publish
eval-suggest:
	@$(CARGO) build --release --quiet
	@if [ -d "$(CODIESP)" ] && [ -f "$(EVAL_DIR)/negex/rsAnnotations-1-120-random.txt" ]; then \
		./target/release/chartcode eval-suggest --codiesp $(CODIESP)/train --codiesp $(CODIESP)/dev \
			--negex $(EVAL_DIR)/negex/rsAnnotations-1-120-random.txt --today 2026-09-30 $(EVAL_ARGS); \
	else \
		echo "make eval-suggest: $(CODIESP) or $(EVAL_DIR)/negex not found (set EVAL_DIR); nothing to measure"; \
	fi

## Pack sizes and per-keystroke latency (p50/p99), as a markdown table.
bench:
	$(CARGO) bench --bench latency

## The criterion benchmarks (lookup, type-ahead per query).
bench-criterion:
	$(CARGO) bench --bench search

## Sizes of the wasm builds and, in Chromium, init-to-first-result,
## per-keystroke search latency and the picker's keystroke-to-rendered
## latency, as markdown tables.
bench-wasm: wasm
	cd www && node bench/run.mjs

## Regenerate docs/PCS_TITLES.md (composed vs official ICD-10-PCS titles).
pcs-titles:
	./scripts/fetch-reference.sh
	$(CARGO) run --release --quiet --example pcs_titles -- target/reference/icd10pcs-codes-2024.txt docs/PCS_TITLES.md

## The demo EHR page with the picker, served at http://127.0.0.1:$(PORT)/
## (PORT=9000 make demo for another port).
demo: setup packs wasm
	@echo
	@echo "chartcode demo: open http://127.0.0.1:$(PORT)/ (the picker test page: /tests/pages/picker.html)"
	node www/serve.mjs --port $(PORT) --quiet

## Re-take docs/demo.png and docs/demo-suggest.png (the screenshots in the README)
## with the browser tests.
screenshot: wasm
	cd www && CHARTCODE_SCREENSHOT=1 npx playwright test -g "demo EHR page"

## Fuzzing (local only, not part of `make test` or CI; nightly + cargo-fuzz,
## installed on first use): builds the packs, seeds fuzz/corpus/, then runs
## each target for FUZZ_SECONDS (default 60) seconds, one fuzzer process at
## a time; crashes land in fuzz/artifacts/<target>/ and fail the target.
## `FUZZ_TARGETS=query_search FUZZ_SECONDS=600 make fuzz` for one, longer.
## `make fuzz-regress` replays the reproducers in fuzz/regressions/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= pack_open pack_resealed query_search args_parsers
fuzz: packs
	PACKS=$(PACKS) FUZZ_SECONDS=$(FUZZ_SECONDS) ./scripts/fuzz.sh run $(FUZZ_TARGETS)

fuzz-regress: packs
	PACKS=$(PACKS) ./scripts/fuzz.sh regress $(FUZZ_TARGETS)

clean:
	$(CARGO) clean
	rm -rf $(PACKS) pkg pkg.tmp www/tests/dist
