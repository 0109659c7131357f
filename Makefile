# Thin wrapper over meson. `make` builds build/nook; `make check` and `make demo` install
# what they need first (see scripts/install-deps.sh).
BUILD ?= build
SANITIZE_BUILD ?= build-asan
PREFIX ?= /usr/local
NOOK := $(abspath $(BUILD)/nook)

.PHONY: all deps check unit sanitize integration demo install bench fuzz lint clean

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX)

deps:
	@scripts/install-deps.sh

check: deps all
	meson test -C $(BUILD) --print-errorlogs
	$(MAKE) sanitize
	NOOK=$(NOOK) scripts/run-integration.sh

unit: all
	meson test -C $(BUILD) --print-errorlogs

# The unit tests again under AddressSanitizer (with LeakSanitizer) and UBSan, stopping at the
# first report.
sanitize: $(SANITIZE_BUILD)/build.ninja
	ninja -C $(SANITIZE_BUILD) unit-tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		$(SANITIZE_BUILD)/unit-tests --gtest_brief=1

$(SANITIZE_BUILD)/build.ninja:
	meson setup $(SANITIZE_BUILD) -Db_sanitize=address,undefined -Db_lundef=false

integration: all
	NOOK=$(NOOK) scripts/run-integration.sh

demo: deps all
	NOOK=$(NOOK) scripts/demo.sh

install: all
	meson configure $(BUILD) --prefix=$(PREFIX)
	meson install -C $(BUILD) --destdir "$(DESTDIR)"

bench: deps all
	NOOK=$(NOOK) integration/bench/run.sh

# libFuzzer targets, FUZZ_SECONDS (60) each, built with clang in build-fuzz.
fuzz: deps
	scripts/fuzz.sh

lint:
	clang-format --dry-run --Werror $$(git ls-files '*.cc' '*.h')
	clang-tidy -p $(BUILD) --quiet $$(git ls-files 'src/*.cc')

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) build-fuzz
