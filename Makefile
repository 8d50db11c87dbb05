# Entry points for people and CI. Quick start: `make run` (local network), `make test` (every test).
PRESET ?= release
BUILD_DIR := build/$(PRESET)
ICN := $(BUILD_DIR)/cmd/icn/icn

.PHONY: all setup configure build test run bench fuzz format clean

all: build

# Debian packages and the pinned EVM toolchain (idempotent, fast when already done).
setup:
	@scripts/bootstrap

configure: setup
	@test -f $(BUILD_DIR)/build.ninja || cmake --preset $(PRESET)

build: configure
	@cmake --build $(BUILD_DIR)

# Every test: C++ unit, conformance and integration tests, forge tests, format check.
test: build
	@ctest --test-dir $(BUILD_DIR) -j2 --output-on-failure

# The local network: chain, contracts, satellites, HyperNodes, daemons, indexer (docs/devnet.md).
# A second `make run` resumes it; `make run DEVNET_ARGS=--fresh` starts over.
DEVNET_ARGS ?=
run: build
	@$(ICN) devnet --dir .devnet $(DEVNET_ARGS)

# Every benchmark; build/bench/report.md (+ .json, SVG plots): figure, budget, reference, ratio
# (docs/benchmarks.md).
bench: build
	@scripts/bench $(BUILD_DIR)

# libFuzzer targets (clang, ASan+UBSan), each run briefly: `make fuzz FUZZ_SECONDS=600` to dig.
FUZZ_SECONDS ?= 20
fuzz: setup
	@test -f build/fuzz/build.ninja || cmake --preset fuzz
	@cmake --build build/fuzz
	@scripts/fuzz build/fuzz $(FUZZ_SECONDS)

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
