/*
** workspace.h: what the editor has open and which rule sets that touches.
** A document is the client's text of a file (uri -> text, version); its
** text stands in for the disk in every analysis (an overlay on the
** SourceSet, source.h), so a rule file, a used set, a proposal's base and
** a table CSV are all read as the editor shows them, through the same
** sandbox. A rule set is a folder of .rules files with its newest analysis
** and the last one whose checking ran (features.h's completion wants that
** one while the text does not parse).
**
** Which rule sets a document belongs to: a .rules file, its folder; a
** table CSV, the rule sets known to read it (else those among its folder
** and that folder's siblings that do); a .case file, rules/NAME for the
** nearest folder NAME of its path, found above it (docs/CASES.md).
*/
#ifndef DAGLOON_LSP_WORKSPACE_H
#define DAGLOON_LSP_WORKSPACE_H

#include <stdbool.h>
#include <stdint.h>
#include "analysis.h"

typedef enum DocKind { DOC_RULES, DOC_CSV, DOC_CASE, DOC_OTHER } DocKind;

typedef struct Document {
  char *uri;
  char *path;       /* from the URI */
  char *real;       /* realpath of path, or path normalised when it is not on disk */
  char *text;
  uint32_t len;
  int64_t version;
  DocKind kind;
} Document;

typedef struct RuleSet {
  char *root;          /* the folder, real path */
  Analysis *newest;    /* NULL until built */
  Analysis *checked;   /* the last analysis whose checking ran: newest itself, an older one, or NULL */
  bool dirty;          /* a file it reads changed since newest was built */
  unsigned built;      /* the number of the build that made newest (Workspace.builds then) */
} RuleSet;

typedef struct Workspace {
  Document *docs;
  size_t ndocs, capdocs;
  RuleSet **sets;    /* pointers: a set stays where it is while others are added */
  size_t nsets, capsets;
  SourceOverlay overlay;   /* the documents, for analysis_build_with */
  unsigned builds;         /* analyses built so far (the debounce is tested by counting them) */
} Workspace;

void ws_init(Workspace *ws);
void ws_free(Workspace *ws);

/* didOpen (also over a document already open: replaced); NULL when the URI is not a file: URI. */
Document *ws_open(Workspace *ws, const char *uri, const char *text, size_t len, int64_t version);
Document *ws_find(Workspace *ws, const char *uri);
/* didChange, the whole text. */
void ws_set_text(Document *d, const char *text, size_t len, int64_t version);
/*
** An incremental change: bytes [from, to) of the text replaced (the caller
** turned the LSP range into offsets with lsp_offset_of).
*/
void ws_splice(Document *d, uint32_t from, uint32_t to, const char *text, size_t len);
void ws_close(Workspace *ws, const char *uri);

/*
** The rule sets document d belongs to, found (and created, dirty) as the
** header says; up to max of them into out. Creating a set for a CSV
** builds candidates to see whether they read it.
*/
size_t ws_sets_of(Workspace *ws, const Document *d, RuleSet **out, size_t max);

/* Mark dirty every known rule set whose newest analysis read the file at real path `real`. */
void ws_touch(Workspace *ws, const char *real);

/* Build a dirty set again (newest replaced; checked kept when the new one did not get through parsing). */
void ws_build(Workspace *ws, RuleSet *rs);

/* The file index of real path `real` in analysis a, or -1. */
int ws_file_in(const Analysis *a, const char *real);

/* The real path of `path` (realpath, else the path made absolute and normalised). Malloc'd. */
char *ws_real(const char *path);

#endif
