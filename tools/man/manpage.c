/*
** manpage.c: writes the man pages dagloon(1) and dagloon-COMMAND(1) from the
** command tables (tools/commands.c, tools/options.c) that --help is made of,
** so a page cannot miss an option --help shows. Run by the Makefile:
**   manpage OUTDIR     -> OUTDIR/dagloon.1, OUTDIR/dagloon-check.1, ...
** The pages are English (the tables' texts as written, not translated).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/commands.h"
#include "tools/version.h"

/* Within a line: a backslash is \e, a '-' is \- (the minus sign man pages use for options). */
static void roff_inline(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '\\') fputs("\\e", f);
    else if (*s == '-') fputs("\\-", f);
    else fputc(*s, f);
  }
}

/*
** Running text: as roff_inline, and a line starting with '.' or '\'' would be a
** request, so \& goes before it; an empty line is a paragraph break (.PP: roff
** warns on empty lines). Ends with a newline.
*/
static void roff_text(FILE *f, const char *s) {
  int line_start = 1;
  for (const char *p = s; *p; p++) {
    if (line_start && *p == '\n') {
      fputs(".PP\n", f);
      continue;
    }
    if (line_start && (*p == '.' || *p == '\'')) fputs("\\&", f);
    line_start = *p == '\n';
    if (*p == '\\') fputs("\\e", f);
    else if (*p == '-') fputs("\\-", f);
    else fputc(*p, f);
  }
  if (!line_start) fputc('\n', f);
}

/* Text laid out by hand (the exit codes' indented list): kept as lines, not filled. */
static void roff_lines(FILE *f, const char *s) {
  fputs(".nf\n", f);
  roff_text(f, s);
  fputs(".fi\n", f);
}

static void header(FILE *f, const char *page, const char *summary) {
  fputs(".TH ", f);
  for (const char *s = page; *s; s++) {
    if (*s == '-') fputs("\\-", f);
    else fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, f);
  }
  fprintf(f, " 1 \"\" \"dagloon %s\" \"Dagloon Manual\"\n.SH NAME\n", DAGLOON_VERSION);
  roff_inline(f, page);
  fputs(" \\- ", f);
  roff_text(f, summary);
}

/* One option as a tagged paragraph: the names in bold, the value in italics, the help below. */
static void option(FILE *f, const OptSpec *o) {
  fputs(".TP\n", f);
  if (o->short_name) fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
  fputs("\\fB\\-\\-", f);
  roff_inline(f, o->name);
  fputs("\\fR", f);
  if (o->arg) {
    fputs(" \\fI", f);
    roff_inline(f, o->arg);
    fputs("\\fR", f);
  }
  fputc('\n', f);
  roff_text(f, o->help);
}

static void common_section(FILE *f) {
  fputs(".SH COMMON OPTIONS\n", f);
  for (const OptSpec *o = common_options; o->name; o++) option(f, o);
}

static void command_page(FILE *f, const CommandSpec *c) {
  char page[64];
  snprintf(page, sizeof page, "dagloon-%s", c->name);
  header(f, page, c->summary);
  fputs(".SH SYNOPSIS\n\\fBdagloon ", f);
  roff_inline(f, c->name);
  fputs("\\fR", f);
  if (*c->operands) {
    fputc(' ', f);
    roff_inline(f, c->operands);
  }
  if (c->options && c->options->name) fputs(" [\\fIOPTIONS\\fR]", f);
  fputs("\n.SH DESCRIPTION\n", f);
  roff_text(f, c->description);
  if (c->options && c->options->name) {
    fputs(".SH OPTIONS\n", f);
    for (const OptSpec *o = c->options; o->name; o++) option(f, o);
  }
  common_section(f);
  if (c->exit_status) {
    fputs(".SH EXIT STATUS\n", f);
    roff_lines(f, c->exit_status);
  }
  fputs(".SH SEE ALSO\n\\fBdagloon\\fR(1)\n", f);
}

static void main_page(FILE *f) {
  header(f, "dagloon", "rules-as-data engine for the Dutch dagloon (WIA, WW, ZW)");
  fputs(".SH SYNOPSIS\n\\fBdagloon\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] ...\n"
        ".br\n\\fBdagloon\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR\n"
        ".br\n\\fBdagloon \\-\\-version\\fR\n"
        ".SH DESCRIPTION\n"
        "Options are written '\\-\\-name value' or '\\-\\-name=value', in full; '\\-\\-' ends\n"
        "them. INPUT '\\-' is standard input. Each command has a page of its own.\n"
        ".SH COMMANDS\n", f);
  for (size_t i = 0; i < command_count(); i++) {
    const CommandSpec *c = command_at(i);
    fprintf(f, ".TP\n\\fBdagloon\\-%s\\fR(1)\n", c->name);
    roff_text(f, c->summary);
  }
  common_section(f);
  fputs(".SH EXIT STATUS\n", f);
  /* the table's text starts with its own heading line, which the section heading replaces */
  const char *codes = command_exit_codes();
  const char *nl = strchr(codes, '\n');
  roff_lines(f, nl ? nl + 1 : codes);
  fputs(".SH SEE ALSO\n", f);
  for (size_t i = 0; i < command_count(); i++)
    fprintf(f, "\\fBdagloon\\-%s\\fR(1)%s\n", command_at(i)->name, i + 1 < command_count() ? "," : "");
}

/* Writes one page; false (with the reason on stderr) if the file cannot be written. */
static int write_page(const char *dir, const char *page, const CommandSpec *c) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.1", dir, page);
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "manpage: %s: %s\n", path, strerror(errno));
    return 0;
  }
  if (c) command_page(f, c);
  else main_page(f);
  if (ferror(f) | fclose(f)) {
    fprintf(stderr, "manpage: %s: write failed\n", path);
    return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fputs("usage: manpage OUTDIR\n", stderr);
    return 2;
  }
  if (!write_page(argv[1], "dagloon", NULL)) return 1;
  for (size_t i = 0; i < command_count(); i++) {
    char page[64];
    snprintf(page, sizeof page, "dagloon-%s", command_at(i)->name);
    if (!write_page(argv[1], page, command_at(i))) return 1;
  }
  return 0;
}
