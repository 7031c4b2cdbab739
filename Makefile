# Dagloon build.
#
#   make            build build/dagloon
#   make demo       install what is missing, build, run the sample (README's first command)
#   make test       install what is missing, build, run every test, then again under the
#                   sanitizers (README's second command)
#   make test SAN=1 only the sanitizer pass (AddressSanitizer + UndefinedBehaviorSanitizer, in build-san/)
#   make test-run   only the plain pass, without the dependency check
#   make bench      the herstel benchmark: rules VM against a native C baseline (N=1,000,000), and
#                   dagloon serve under build/loadgen beside run (requests/s, p50/p99, batches)
#   make bench-pg   the PostgreSQL extension (as root): bereken over 1,000,000 rows serial and with
#                   parallel workers, bereken_alle, beside run; each rule set's per-connection load time
#   make voorstellen  the example proposals compared with rules/wia over 10,000 generated dossiers
#   make herstel    the generated repair population (130,000 dossiers) through rules/herstel with the
#                   population summary per herstelactie and its page, timed
#   make test-faults  the fault-injection loop (tests/faults/run.sh) on build-fault/ (FAULT=1)
#   make fuzz       libFuzzer (clang) on the rule front end, bundles, dossier files, receipts and the
#                   native loader, FUZZ_SECONDS each
#   make editors    the VS Code extension as build/editors/dagloon-VERSION.vsix (npm ci + vsce;
#                   tools/editors/README.md)
#   make install    PREFIX=/usr/local DESTDIR=: the command, libdagloon, dagloon.h, dagloon.pc, the
#                   catalogs, man pages, bash completion, the example rule sets; make uninstall
#   make deb        the Debian packages in build/deb (tools/deb/README.md), lintian, unpacked and run
#   make clean
#
# Generated sources (re2c lexer, Lemon parser) go to $(BUILD)/gen and are
# never committed. Lemon exits non-zero on grammar conflicts, which fails
# the build.

SAN     ?= 0
FUZZ    ?= 0
FAULT   ?= 0
BUILD   ?= $(if $(filter 1,$(FUZZ)),build-fuzz,$(if $(filter 1,$(FAULT)),build-fault,$(if $(filter 1,$(SAN)),build-san,build)))
GEN     := $(BUILD)/gen
OBJ     := $(BUILD)/obj

CC      ?= cc
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wvla -Wformat=2 -Wno-format-nonliteral
OPT     ?= -O2 -g
CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) -Werror=implicit-function-declaration \
           -I. -I$(GEN) $(shell pkg-config --cflags jansson libffi yaml-0.1 nettle zlib 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs jansson libffi yaml-0.1 nettle zlib 2>/dev/null || echo -ljansson -lffi -lyaml -lnettle -lz) -pthread
ifeq ($(FUZZ),1)
CC      := clang
OPT     := -O1 -g
CFLAGS  += -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
endif
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif
# The fault-injection build: the sanitizers, and every allocation, write and read of ours
# through tests/faults/fault.c (DAGLOON_FAULT=alloc:N etc.; see there).
FAULT_WRAPS := malloc calloc realloc strdup strndup open_memstream fopen open mkstemp rename \
               fread fgets getc fgetc __uflow read \
               fwrite fputs fputc putc puts fprintf printf vfprintf fflush fclose write
ifeq ($(FAULT),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined -rdynamic $(FAULT_WRAPS:%=-Wl,--wrap=%)
FAULT_OBJ := $(OBJ)/tests/faults/fault.o
endif

RUNTIME_SRC := $(wildcard runtime/*.c)
LANG_SRC    := $(wildcard lang/*.c)
GEN_SRC     := $(GEN)/grammar.c $(GEN)/lexer.c
TOOL_SRC    := $(wildcard tools/*.c tools/lsp/*.c tools/serve/*.c tools/api/*.c)
UNIT_SRC    := $(wildcard tests/unit/*.c)

RUNTIME_OBJ := $(RUNTIME_SRC:%.c=$(OBJ)/%.o)
LANG_OBJ    := $(LANG_SRC:%.c=$(OBJ)/%.o) $(GEN)/grammar.o $(GEN)/lexer.o
TOOL_OBJ    := $(TOOL_SRC:%.c=$(OBJ)/%.o)
UNIT_OBJ    := $(UNIT_SRC:%.c=$(OBJ)/%.o)

DAGLOON     := $(BUILD)/dagloon
# ---- message catalogs (tools/po/README.md) ----
# The template is generated, never committed: xgettext over the sources, with the diagnostic
# functions of lang/diag.h as keywords (they translate their format themselves). nl.po is committed;
# each .mo lands in $(BUILD)/locale, where $(BUILD)/dagloon looks first (runtime/i18n.c).
PREFIX      ?= /usr/local
LOCALEDIR   ?= $(PREFIX)/share/locale
LINGUAS     := $(basename $(notdir $(wildcard tools/po/*.po)))
POT         := $(BUILD)/po/dagloon.pot
MO          := $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/dagloon.mo)
XGETTEXT_KEYWORDS := -k_ -kN_ -kngettext:1,2 -kcase_error:3 -kcommand_usage_error:2 -kwfail:2 -kload_fail:4 -kdiag_error:4 -kdiag_warn:4 -kdiag_report:5 -kdiag_note:2 -kdiag_note_at:3 \
  --flag=diag_error:4:c-format --flag=diag_warn:4:c-format --flag=diag_report:5:c-format \
  --flag=diag_note:2:c-format --flag=diag_note_at:3:c-format --flag=case_error:3:c-format \
  --flag=wfail:2:c-format --flag=load_fail:4:c-format
PO_SOURCES  := $(sort $(wildcard lang/*.c lang/*.h lang/lexer.re tools/*.c tools/*/*.c runtime/*.c))
# libdagloon (tools/api/dagloon.h): the engine as a library, from -fPIC objects of its own
API_SRC     := $(wildcard tools/api/*.c)
API_TOOL_SRC := tools/explain.c tools/explain_tree.c tools/explain_html.c tools/nl_html.c tools/markup.c tools/suggest.c \
                tools/unverified.c tools/explain_eval.c tools/tracefile.c
PIC         := $(BUILD)/pic
LIB_OBJ     := $(patsubst %.c,$(PIC)/%.o,$(RUNTIME_SRC) $(LANG_SRC) $(API_TOOL_SRC) $(API_SRC)) \
               $(PIC)/gen/grammar.o $(PIC)/gen/lexer.o
LIBDAGLOON  := $(BUILD)/libdagloon.so.0
API_TESTS   := $(BUILD)/api-tests
API_EXAMPLE := $(BUILD)/dagloon-example
UNIT        := $(BUILD)/unit-tests
# (prerequisite lists expand when read: what rules below name is defined up here)
FUZZ_TARGETS := rules bundle records receipt native trace
REPLAYS     := $(FUZZ_TARGETS:%=$(BUILD)/replay-%)
NATIVES     := $(patsubst rules/kalender/%.c,build/natives/lib%.so,$(wildcard rules/kalender/*.c)) \
               $(patsubst tests/native/%.c,build/natives/lib%.so,$(wildcard tests/native/*.c))

.PHONY: pg pg-install deb lib test-api install uninstall docs-gen test-install FORCE all demo test test-run test-faults editors bench bench-pg perf-frontend unit golden deps check-layout clean voorstellen herstel fuzz fuzz-run pot
all: $(DAGLOON) $(NATIVES) $(MO) lib

$(DAGLOON): $(TOOL_OBJ) $(LANG_OBJ) $(RUNTIME_OBJ) $(FAULT_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(SERVE_LIBS)

# dagloon serve (tools/serve/): the engine through dagloon.h only (-Itools/api; tests/serve checks the
# includes), with the API's objects linked into the command, and libmicrohttpd for it alone
SERVE_LIBS  := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)
SERVE_CFLAGS := -Itools/api $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
$(OBJ)/tools/serve/%.o: CFLAGS += $(SERVE_CFLAGS)
$(OBJ)/tools/serve_cmd.o: CFLAGS += $(SERVE_CFLAGS)
# the load generator of tests/serve and make bench: an HTTP/1.1 client, C11 and POSIX sockets only
LOADGEN     := $(BUILD)/loadgen
$(LOADGEN): $(OBJ)/tests/serve/loadgen.o
	$(CC) $(LDFLAGS) -o $@ $^

# (tools/options.o and the language queries of tools/lsp/ are unit-tested; they need nothing else of tools/ but check_report.o, whose message and text the published diagnostics share)
LSP_FEAT_OBJ := $(patsubst %,$(OBJ)/tools/lsp/%.o,position analysis xref feature_util casefiles links hover navigate complete actions symbols)
$(UNIT): $(UNIT_OBJ) $(OBJ)/tools/options.o $(OBJ)/tools/check_report.o $(LSP_FEAT_OBJ) $(LANG_OBJ) $(RUNTIME_OBJ) | $(NATIVES) $(MO)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LDLIBS) $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

$(POT): $(PO_SOURCES)
	@mkdir -p $(dir $@)
	xgettext --from-code=UTF-8 --language=C $(XGETTEXT_KEYWORDS) --add-comments=TRANSLATORS: \
	  --package-name=dagloon --msgid-bugs-address=tools/po/README.md --sort-by-file -o $@ $(PO_SOURCES)

pot: $(POT)

$(BUILD)/locale/%/LC_MESSAGES/dagloon.mo: tools/po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# ---- libdagloon ----
# Only the dagloon_* functions are exported: every object is built with hidden visibility (dagloon.h marks
# the API default) and the version script says the same. The static library is one relocatable object
# whose hidden symbols are made local, so the engine's internals cannot clash with a program's own.
lib: $(LIBDAGLOON) $(BUILD)/libdagloon.so $(BUILD)/libdagloon.a $(BUILD)/dagloon.pc

$(LIBDAGLOON): $(LIB_OBJ) tools/api/libdagloon.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,libdagloon.so.0 -Wl,--version-script=tools/api/libdagloon.map \
	  -Wl,--no-undefined -o $@ $(LIB_OBJ) $(LDLIBS)

$(BUILD)/libdagloon.so: $(LIBDAGLOON)
	ln -sf libdagloon.so.0 $@

$(BUILD)/libdagloon.a: $(LIB_OBJ)
	$(LD) -r -o $(PIC)/libdagloon-all.o $(LIB_OBJ)
	objcopy --localize-hidden $(PIC)/libdagloon-all.o
	rm -f $@ && ar rcs $@ $(PIC)/libdagloon-all.o

$(BUILD)/dagloon.pc: tools/api/dagloon.pc.in tools/version.h
	sed -e 's|@PREFIX@|$(or $(PREFIX),/usr/local)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e "s|@VERSION@|$$(sed -n 's/^#define DAGLOON_VERSION "\(.*\)"/\1/p' tools/version.h)|" $< > $@

$(PIC)/gen/%.o: $(GEN)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -fvisibility=hidden -Ilang -Wno-unused-parameter -Wno-missing-prototypes -Wno-unused-variable \
	  -MMD -MP -c -o $@ $<

$(PIC)/%.o: %.c | $(GEN)/grammar.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CFLAGS_$(notdir $*)) -fPIC -fvisibility=hidden -MMD -MP -c -o $@ $<

# The API's tests and example see only dagloon.h (-Itools/api, not -I.) and link only libdagloon.
API_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) -Werror=implicit-function-declaration -Itools/api \
              $(filter -fsanitize=% -fno-omit-frame-pointer -fno-sanitize-recover=%,$(CFLAGS))
# (-ldagloon must find the .so link: with only libdagloon.a there yet, -j2 linked the archive)
$(API_TESTS): $(wildcard tests/api/*.c) tools/api/dagloon.h $(LIBDAGLOON) $(BUILD)/libdagloon.so
	$(CC) $(API_CFLAGS) $(LDFLAGS) -o $@ $(wildcard tests/api/*.c) -L$(BUILD) -ldagloon \
	  -Wl,-rpath,'$$ORIGIN' -pthread $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)
$(API_EXAMPLE): tools/api/examples/example.c tools/api/dagloon.h $(LIBDAGLOON) $(BUILD)/libdagloon.so
	$(CC) $(API_CFLAGS) $(LDFLAGS) -o $@ $< -L$(BUILD) -ldagloon -Wl,-rpath,'$$ORIGIN'

# the same example linked with the static library (and what it needs: pkg-config's Libs.private)
$(API_EXAMPLE)-static: tools/api/examples/example.c tools/api/dagloon.h $(BUILD)/libdagloon.a
	$(CC) $(API_CFLAGS) -DDAGLOON_STATIC_BUILD $(LDFLAGS) -o $@ $< $(BUILD)/libdagloon.a $(LDLIBS)

test-api: $(API_TESTS) $(API_EXAMPLE) $(API_EXAMPLE)-static $(DAGLOON)
	sh tests/api/run.sh $(BUILD)

# ---- native libraries that rules may call (examples; see runtime/dagloon_native.h) ----
# Built plainly, without the sanitizers, always into build/natives (rule files name that path):
# they stand for an agency's own library.
build/natives/lib%.so: rules/kalender/%.c runtime/dagloon_native.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -I. -fPIC -shared -o $@ $<
# test libraries for the loader (tests/native: what it must refuse, what the fuzzer may call)
build/natives/lib%.so: tests/native/%.c runtime/dagloon_native.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -I. -fPIC -shared -o $@ $<
$(OBJ)/tests/unit/test_native.o $(OBJ)/tests/unit/test_bundle.o: CFLAGS += -DNATIVE_DIR='"build/natives"'
$(OBJ)/tests/unit/test_i18n.o: CFLAGS += -DTEST_LOCALEDIR='"$(BUILD)/locale"'
$(OBJ)/runtime/i18n.o $(PIC)/runtime/i18n.o: CFLAGS += -DDAGLOON_LOCALEDIR='"$(LOCALEDIR)"'
# (built again when PREFIX or LOCALEDIR changes: the stamp's bytes change only then)
$(OBJ)/runtime/i18n.o $(PIC)/runtime/i18n.o $(BUILD)/dagloon.pc: $(BUILD)/prefix.stamp
$(BUILD)/prefix.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(PREFIX) $(LOCALEDIR) $(LIBDIR)' | cmp -s - $@ || echo '$(PREFIX) $(LOCALEDIR) $(LIBDIR)' > $@
FORCE:

# ---- install (tools/man/, tools/completion/, tools/systemd/, tools/deb/) ----
# The man pages and the bash completion are generated from the command tables (tools/commands.c), the
# ones --help is made of, by two small programs; never committed. make install PREFIX=... DESTDIR=...
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DATADIR     ?= $(PREFIX)/share/dagloon
# the example rule sets that stand alone (kalender needs a native library built here; bench and
# herstel are the benchmarks' and the repair population's)
INSTALL_RULES := wia wia_uitkering ww zw voorbeeld tables voorstellen
DOCGEN_OBJ  := $(OBJ)/tools/commands.o $(OBJ)/tools/options.o $(LANG_OBJ) $(RUNTIME_OBJ) $(FAULT_OBJ)
$(BUILD)/manpage: tools/man/manpage.c $(DOCGEN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(DOCGEN_OBJ) $(LDLIBS)
$(BUILD)/completion: tools/completion/completion.c $(DOCGEN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(DOCGEN_OBJ) $(LDLIBS)
$(BUILD)/man/dagloon.1: $(BUILD)/manpage
	@rm -rf $(BUILD)/man && mkdir -p $(BUILD)/man
	$(BUILD)/manpage $(BUILD)/man
$(BUILD)/dagloon.bash: $(BUILD)/completion
	$(BUILD)/completion > $@.tmp && mv $@.tmp $@

docs-gen: $(BUILD)/man/dagloon.1 $(BUILD)/dagloon.bash

install: all docs-gen
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DATADIR)/rules
	install -m 755 $(DAGLOON) $(DESTDIR)$(BINDIR)/dagloon
	install -m 644 $(LIBDAGLOON) $(DESTDIR)$(LIBDIR)/libdagloon.so.0
	ln -sf libdagloon.so.0 $(DESTDIR)$(LIBDIR)/libdagloon.so
	install -m 644 $(BUILD)/libdagloon.a $(DESTDIR)$(LIBDIR)/libdagloon.a
	install -m 644 tools/api/dagloon.h $(DESTDIR)$(INCLUDEDIR)/dagloon.h
	install -m 644 $(BUILD)/dagloon.pc $(DESTDIR)$(LIBDIR)/pkgconfig/dagloon.pc
	for l in $(LINGUAS); do install -D -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/dagloon.mo \
	  $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/dagloon.mo || exit 1; done
	install -m 644 $(BUILD)/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(BUILD)/dagloon.bash $(DESTDIR)$(BASHCOMPDIR)/dagloon
	cp -R $(INSTALL_RULES:%=rules/%) $(DESTDIR)$(DATADIR)/rules/
	install -m 644 rules/.dagloon-root $(DESTDIR)$(DATADIR)/rules/.dagloon-root   # the rule-set tree's mark

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dagloon $(DESTDIR)$(LIBDIR)/libdagloon.so.0 $(DESTDIR)$(LIBDIR)/libdagloon.so \
	  $(DESTDIR)$(LIBDIR)/libdagloon.a $(DESTDIR)$(INCLUDEDIR)/dagloon.h $(DESTDIR)$(LIBDIR)/pkgconfig/dagloon.pc \
	  $(DESTDIR)$(BASHCOMPDIR)/dagloon $(DESTDIR)$(MANDIR)/man1/dagloon.1 $(DESTDIR)$(MANDIR)/man1/dagloon-*.1 \
	  $(LINGUAS:%=$(DESTDIR)$(LOCALEDIR)/%/LC_MESSAGES/dagloon.mo)
	rm -rf $(DESTDIR)$(DATADIR)

# The PostgreSQL extension (tools/pg/README.md): PGXS, out of tree in $(BUILD)/pg, libdagloon linked
# statically. pg-install puts it into PostgreSQL's own directories (pg_config), as tests/pg needs.
PG_EXT_MAKE = $(MAKE) -C $(BUILD)/pg -f $(CURDIR)/tools/pg/Makefile VPATH=$(CURDIR)/tools/pg TOP=$(CURDIR) \
              LIBDAGLOON_A=$(CURDIR)/$(BUILD)/libdagloon.a
pg: $(BUILD)/libdagloon.a
	@mkdir -p $(BUILD)/pg
	+$(PG_EXT_MAKE)
pg-install: pg
	+$(PG_EXT_MAKE) install

# The Debian packages dagloon, libdagloon0 and libdagloon-dev (tools/deb/README.md): the tracked and
# untracked-but-not-ignored files copied into build/deb/dagloon-VERSION with tools/deb/debian/,
# dpkg-buildpackage there (a full build, about a minute), lintian on the result, then tests/deb/run.sh
# installs the packages with dpkg into a scratch root of their own, runs them there and purges them.
# Part of make test (after the plain and sanitizer passes); tests/install checks make install itself.
DEB_VERSION = $(shell sed -n 's/^\#define DAGLOON_VERSION "\(.*\)"/\1/p' tools/version.h)
DEB_SRC     = build/deb/dagloon-$(DEB_VERSION)
deb:
	@sh tools/setup-deps.sh dpkg-dev debhelper lintian gettext
	rm -rf build/deb && mkdir -p $(DEB_SRC)
	git ls-files -z --cached --others --exclude-standard | tar -cf - --null -T - | tar -xf - -C $(DEB_SRC)
	cp -R tools/deb/debian $(DEB_SRC)/debian
	printf 'dagloon (%s) unstable; urgency=medium\n\n  * Built from the project tree (make deb).\n\n -- Dagloon project <dagloon@example.org>  %s\n' \
	  '$(DEB_VERSION)' "$$(git log -1 --format=%cD 2>/dev/null || date -R)" > $(DEB_SRC)/debian/changelog
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error,warning -I --pedantic build/deb/*.changes > build/deb/lintian.txt; st=$$?; \
	  cat build/deb/lintian.txt; exit $$st
	sh tests/deb/run.sh build/deb

# tests/install: make install into a scratch root, the installed tool run there; the pages, the completion, the unit
test-install: all docs-gen
	sh tests/install/run.sh $(BUILD)

# ---- generated front end ----
$(GEN):
	mkdir -p $@

$(GEN)/grammar.c $(GEN)/grammar.h &: lang/grammar.y | $(GEN)
	lemon -q -s -d$(GEN) -T/usr/share/lemon/lempar.c lang/grammar.y > $(GEN)/grammar.stats

$(GEN)/lexer.c: lang/lexer.re $(GEN)/grammar.h | $(GEN)
	re2c -W -Werror --no-generation-date --no-version -o $@ $<

# Generated files: same warnings, minus the ones Lemon's template trips; their header
# dependencies (lang/ast.h) are tracked too, or a changed AstNode leaves them stale.
$(GEN)/%.o: $(GEN)/%.c
	$(CC) $(CFLAGS) -Ilang -Wno-unused-parameter -Wno-missing-prototypes -Wno-unused-variable -MMD -MP -c -o $@ $<

$(OBJ)/%.o: %.c | $(GEN)/grammar.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CFLAGS_$(notdir $*)) -MMD -MP -c -o $@ $<

# The VM: GCC would otherwise merge the dispatch jumps that end every opcode
# into a few shared ones (cross-jumping, GCSE), which the branch predictor
# cannot tell apart; one indirect jump per opcode is what computed goto is for.
CFLAGS_vm := $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null)),,-fno-gcse -fno-crossjumping)

-include $(wildcard $(OBJ)/*/*.d $(OBJ)/*/*/*.d $(GEN)/*.d $(PIC)/*/*.d $(PIC)/*/*/*.d)
$(GEN)/grammar.o $(GEN)/lexer.o: lang/ast.h   # also before their first .d exists

# ---- the two README commands ----
deps:
	@sh tools/setup-deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	$(DAGLOON) run rules/wia rules/wia/populatie.jsonl

# The plain suites, then (unless SAN=1 was asked for alone) the same suites
# again under the sanitizers. 'make test-run' is the quick plain pass. The
# tests also need Chromium (the explanation page is rendered headless, the letter printed to PDF),
# poppler-utils (pdftotext reads the letter's PDF back), locales (tests/i18n makes nl_NL.UTF-8 with
# localedef in a scratch folder), and for the editor packages' tests Node.js with npm (Debian's nodejs
# has npm in a package of its own) and Neovim.
test: deps
	@sh tools/setup-deps.sh chromium python3 python3-pil poppler-utils python3-jsonschema locales nodejs neovim python3-prometheus-client python-module
	@command -v npm >/dev/null || sh tools/setup-deps.sh npm
	@$(MAKE) --no-print-directory test-run
ifneq ($(SAN),1)
	@echo "== the same tests under AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(MAKE) --no-print-directory test-run SAN=1
endif
	@echo "== every allocation, write and read of a small run failed in turn"
	@$(MAKE) --no-print-directory test-faults
	@echo "== the Debian packages built, installed by dpkg in a scratch root, run and purged"
	@$(MAKE) --no-print-directory deb

# Fault injection (tests/faults/run.sh): build-fault/dagloon fails the Nth allocation,
# write or read; the loop fails each in turn and checks for a clean error every time.
test-faults:
	@$(MAKE) --no-print-directory FAULT=1 build-fault/dagloon
	sh tests/faults/run.sh build-fault/dagloon

# Criterion runs each test in a child process whose sanitizer reports do not
# fail the test, so the log is searched for them as well. The tests read English messages
# (tests/golden/nl and tests/i18n choose Dutch themselves), whatever the caller's locale.
test-run: export LC_ALL := C.UTF-8
test-run: export LANGUAGE :=
test-run: check-layout $(DAGLOON) $(MO) $(POT) $(UNIT) $(REPLAYS) $(NATIVES) lib $(API_TESTS) $(API_EXAMPLE) $(API_EXAMPLE)-static docs-gen $(LOADGEN)
	sh tools/check_opdocs.sh
	sh tests/api/run.sh $(BUILD)
	sh tests/install/run.sh $(BUILD)
	sh tests/keuzes/run.sh
	@for t in $(FUZZ_TARGETS); do $(BUILD)/replay-$$t tests/fuzz/corpus/$$t || exit 1; done
	@$(UNIT) --jobs 2 >$(BUILD)/unit.log 2>&1; st=$$?; cat $(BUILD)/unit.log; \
	 if grep -q "Sanitizer" $(BUILD)/unit.log; then echo "error: sanitizer reports in the unit tests"; exit 1; fi; \
	 exit $$st
	sh tests/cases/run.sh $(DAGLOON)
	sh tests/golden/run.sh $(DAGLOON)
	$(if $(filter 1,$(SAN)),@echo "tests/native: skipped under SAN=1 (the case suite and goldens in native mode run in the plain pass)",sh tests/native/run.sh $(DAGLOON))
	sh tests/i18n/run.sh $(DAGLOON) $(BUILD)
	sh tests/sarif/run.sh $(DAGLOON)
	sh tests/fmt/run.sh $(DAGLOON)
	sh tests/lsp/run.sh $(DAGLOON)
	sh tests/serve/run.sh $(DAGLOON) $(LOADGEN) $(if $(filter 1,$(SAN)),20000,100000)
	sh tests/openapi/run.sh $(DAGLOON) $(BUILD)
	$(if $(filter 1,$(SAN)),@echo "tests/pg: skipped under SAN=1 (PostgreSQL cannot load a module built with the sanitizers)",+$(MAKE) -s pg-install && sh tests/pg/run.sh $(BUILD))
	sh tests/replay/run.sh $(DAGLOON)
	sh tests/bench/check.sh $(DAGLOON) $(BUILD)
	sh tests/trace/run.sh $(DAGLOON) $(BUILD)
	sh tests/sleutel/run.sh $(DAGLOON)
	sh tests/ids/run.sh $(DAGLOON)
	python3 tests/compare/check.py $(DAGLOON)
	/usr/bin/python3 tests/compare/rapport.py $(DAGLOON)
	/usr/bin/python3 tests/compare/waarden.py $(DAGLOON)
	/usr/bin/python3 tests/compare/voorstellen_rapport.py $(DAGLOON)
	python3 tests/kalibreer/check.py $(DAGLOON)
	sh tests/compare/voorstellen.sh $(DAGLOON) $(BUILD) 1000
	sh tests/compare/threads.sh $(DAGLOON) $(BUILD)
	sh tests/compare/kosten.sh $(DAGLOON)
	sh tests/compare/populaties.sh $(DAGLOON) $(BUILD) 200
	sh tests/compare/gebruik.sh $(DAGLOON) $(BUILD) 500
	sh tests/compare/praktijk.sh $(DAGLOON) $(BUILD)
	python3 tests/summary/check.py $(DAGLOON) $(BUILD) 3000
	sh tests/letter/run.sh $(DAGLOON) $(BUILD)
	python3 tests/handleiding/check.py $(DAGLOON)
	sh tools/editors/test.sh $(DAGLOON)
	$(if $(filter 1,$(SAN)),@echo "tests/python: skipped under SAN=1 (a Python process cannot load a library built with the sanitizers)",sh tests/python/run.sh $(BUILD))

# The editor packages (tools/editors/): the VS Code extension packaged by the pinned @vscode/vsce.
editors:
	@sh tools/setup-deps.sh python3 nodejs
	@command -v npm >/dev/null || sh tools/setup-deps.sh npm
	sh tools/editors/build_vsix.sh build/editors

# The example proposals (rules/voorstellen) beside rules/wia over a generated population of 10,000
# dossiers: per proposal the rows, the summary and the impact report in build/voorstellen/NAME/.
voorstellen: all
	@sh tools/setup-deps.sh python3
	sh tests/compare/voorstellen.sh $(DAGLOON) $(BUILD) 10000

# The repair population (tools/gen_herstel.py) through rules/herstel with run --summary --by herstelactie
# --html, end to end, timed (not part of 'make test'; tests/summary/check.py runs a small one there).
herstel: all
	@sh tools/setup-deps.sh python3
	sh tests/summary/herstel.sh $(DAGLOON) $(BUILD) 130000

# The throughput benchmark (not part of 'make test': tests never time things).
bench: all $(LOADGEN)
	@sh tools/setup-deps.sh python3 time bc
	sh tests/bench/run.sh $(DAGLOON) $(BUILD)

# The PostgreSQL extension's throughput and load times on a throw-away cluster (tests/bench/pg.sh; as
# root, the server as postgres): bereken serial and with workers, bereken_alle, beside run. Not in make test.
bench-pg: all pg-install
	@sh tools/setup-deps.sh python3 bc
	sh tests/bench/pg.sh $(DAGLOON) $(BUILD)

# The front end's time and peak memory against the size of a rule set (tests/perf/README.md); not in 'make test'.
perf-frontend: all
	@sh tools/setup-deps.sh python3 time
	sh tests/perf/measure.sh $(DAGLOON)
	CMD=compile sh tests/perf/measure.sh $(DAGLOON) independent chain bigfile exceptions proposal
	CMD=run sh tests/perf/measure.sh $(DAGLOON) independent chain bigfile exceptions

# ---- fuzzing ----
# The targets (tests/fuzz/fuzz_*.c): rule text through the front end, raw bytes as a bundle,
# bytes as a CSV or JSON Lines dossier file, bytes as a receipt for replay, rule text with 'extern regel'
# declarations against the test library build/natives/libproef.so (allowed for that target only), bytes as a
# compact trace file (read and rendered). 'make test' replays their corpus with the plain (and
# sanitizer) build; 'make fuzz' runs libFuzzer on each for FUZZ_SECONDS, growing a working corpus
# in build-fuzz/corpus (the committed seed corpus is tests/fuzz/corpus).
FUZZ_SECONDS ?= 60
FUZZ_COMMON  := tests/fuzz/fuzz_common.c
# (the receipt target checks receipts as replay does: tools/receipt_plan.c and the command tables)
FUZZ_TOOL_OBJ := $(OBJ)/tools/receipt_plan.o $(OBJ)/tools/options.o $(OBJ)/tools/commands.o \
                 $(patsubst %.c,$(OBJ)/%.o,$(API_TOOL_SRC))

$(BUILD)/replay-%: tests/fuzz/fuzz_%.c $(FUZZ_COMMON) tests/fuzz/replay.c tests/fuzz/fuzz.h $(FUZZ_TOOL_OBJ) $(LANG_OBJ) $(RUNTIME_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/fuzz/fuzz_$*.c $(FUZZ_COMMON) tests/fuzz/replay.c $(FUZZ_TOOL_OBJ) $(LANG_OBJ) $(RUNTIME_OBJ) $(LDLIBS)

build-fuzz/fuzz-%: tests/fuzz/fuzz_%.c $(FUZZ_COMMON) tests/fuzz/fuzz.h $(FUZZ_TOOL_OBJ) $(LANG_OBJ) $(RUNTIME_OBJ)
	@mkdir -p build-fuzz
	$(CC) $(CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ tests/fuzz/fuzz_$*.c $(FUZZ_COMMON) $(FUZZ_TOOL_OBJ) $(LANG_OBJ) $(RUNTIME_OBJ) $(LDLIBS)

fuzz:
	@sh tools/setup-deps.sh clang
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-run

fuzz-run: $(FUZZ_TARGETS:%=build-fuzz/fuzz-%) $(NATIVES)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t build-fuzz/crashes/$$t; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  build-fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -dict=tests/fuzz/$$t.dict -artifact_prefix=build-fuzz/crashes/$$t/ \
	    build-fuzz/corpus/$$t tests/fuzz/corpus/$$t 2>&1 | tail -3 || exit 1; \
	done

unit: $(UNIT)
	$(UNIT)

golden: $(DAGLOON)
	sh tests/golden/run.sh $(DAGLOON)

# runtime/ must never depend on the front end (it is loaded from bundles,
# databases and servers without it).
check-layout:
	@if grep -n '#include *"\.\./lang\|#include *"lang/' runtime/*.[ch]; then \
	  echo "error: runtime/ includes lang/"; exit 1; fi
	@extra=$$(git ls-files 2>/dev/null | cut -d/ -f1 | sort -u | \
	  grep -vxE 'lang|runtime|rules|tools|tests|docs|Makefile|README\.md|\.ci|\.gitignore|\.dagloon-root'); \
	 if [ -n "$$extra" ]; then echo "error: the design card fixes the top level; move these under tools/ or docs/: $$extra"; exit 1; fi

clean:
	rm -rf build build-san build-fuzz build-fault build-fp
