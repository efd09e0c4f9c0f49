# Staffroom: `make run` to try it, `make test` to check it. See README.md.
BUILD_DIR ?= build
SAN_DIR ?= build-san
BUILD_TYPE ?= RelWithDebInfo

.PHONY: all deps build web run test bench fuzz lint format clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD_DIR)/build.ninja
	ninja -C $(BUILD_DIR)
	npm run --silent build:web

web: deps
	npm run --silent build:web

run: build
	@scripts/run.sh

test: build
	@scripts/test.sh

bench: deps
	@bench/run.sh
	@bench/catalog.sh
	@bench/xapi.sh
	@bench/credit.sh
	@bench/credentials.sh

# A longer fuzzing session than the one in `make test` (FUZZ_SECONDS, default 600).
fuzz: deps
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-600} scripts/fuzz.sh

lint: deps $(BUILD_DIR)/build.ninja
	@scripts/lint.sh

format:
	@find src bench fuzz -name node_modules -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(SAN_DIR) build-bench web/dist
