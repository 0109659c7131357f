# Thin wrapper over meson. `make` builds build/nook; `make check` and `make demo` install
# what they need first (see scripts/install-deps.sh).
BUILD ?= build
PREFIX ?= /usr/local
NOOK := $(abspath $(BUILD)/nook)

.PHONY: all deps check unit integration demo install bench lint clean

all: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --prefix=$(PREFIX)

deps:
	@scripts/install-deps.sh

check: deps all
	meson test -C $(BUILD) --print-errorlogs
	NOOK=$(NOOK) scripts/run-integration.sh

unit: all
	meson test -C $(BUILD) --print-errorlogs

integration: all
	NOOK=$(NOOK) scripts/run-integration.sh

demo: deps all
	NOOK=$(NOOK) scripts/demo.sh

install: all
	meson configure $(BUILD) --prefix=$(PREFIX)
	meson install -C $(BUILD) --destdir "$(DESTDIR)"

bench: deps all
	NOOK=$(NOOK) integration/bench/run.sh

lint:
	clang-format --dry-run --Werror $$(git ls-files '*.cc' '*.h')
	clang-tidy -p $(BUILD) --quiet $$(git ls-files 'src/*.cc')

clean:
	rm -rf $(BUILD)
