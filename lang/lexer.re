/* re2c -W -Werror --no-generation-date --no-version -o build/gen/lexer.c lang/lexer.re
**
** lexer.re: the re2c lexer of the rule language. End of input: the `$` rule
** with YYLIMIT (re2c:eof), so a stray NUL byte inside a file is an ordinary
** illegal character, not the end. The lexer only records spans; keywords
** are looked up in a per-language table after an identifier is matched.
*/
#include "lexer.h"
#include "runtime/i18n.h"

#include <stdio.h>
#include <string.h>

static int word_kind(Lexer *lx, const unsigned char *start);

void lex_init(Lexer *lx, const char *text, uint32_t len, uint32_t file) {
  lx->base = (const unsigned char *)text;
  lx->cur = lx->base;
  lx->lim = lx->base + len;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) lx->cur += 3;   /* a byte order mark, as editors on Windows write */
  lx->file = file;
  lx->lang = LANG_NL;
  lx->hint = NULL;
  lx->code = NULL;
}

/* The hints of the string rules stand here: xgettext cannot read the rules' ["] as C. */
static const char *const NUL_IN_STRING = N_("a NUL byte inside a string: a string holds text only");
static const char *const BAD_UTF8_IN_STRING = N_("invalid UTF-8 inside a string: save the file as UTF-8");
static const char *const UNTERMINATED_STRING = N_("unterminated string: a string must end with \" on the same line");

static Token tok(Lexer *lx, int kind, const unsigned char *start) {
  Token t;
  t.kind = kind;
  t.span.file = lx->file;
  t.span.off = (uint32_t)(start - lx->base);
  t.span.len = (uint32_t)(lx->cur - start);
  return t;
}

static Token illegal(Lexer *lx, const unsigned char *start, const char *hint) {
  lx->hint = hint;
  lx->code = NULL;
  return tok(lx, TK_ILLEGAL, start);
}

/* A byte inside a string that a string cannot hold: the span is that one byte (E084). */
static Token bad_string_byte(Lexer *lx, const char *hint) {
  Token t = illegal(lx, lx->cur - 1, hint);
  lx->code = "E084";
  return t;
}

Token lex_next(Lexer *lx) {
  const unsigned char *YYMARKER = NULL;
  for (;;) {
    const unsigned char *start = lx->cur;
    /*!re2c
      re2c:define:YYCTYPE  = "unsigned char";
      re2c:define:YYCURSOR = "lx->cur";
      re2c:define:YYLIMIT  = "lx->lim";
      re2c:yyfill:enable   = 0;
      re2c:eof             = 0;

      digit    = [0-9];
      letter   = [a-zA-Z_];
      ident    = letter (letter | digit)*;
      euro     = "\xE2\x82\xAC" | "EUR";
      amount   = digit{1,3} ("." digit{3})+ ("," digit{2})?
               | digit+ ("," digit{2})?
               | digit+ "." digit{1,2};
      utf8lead = [\xC2-\xF4];
      utf8cont = [\x80-\xBF];
      /* a well-formed UTF-8 character (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF */
      utf8char = [\xC2-\xDF] utf8cont
               | "\xE0" [\xA0-\xBF] utf8cont
               | [\xE1-\xEC\xEE\xEF] utf8cont{2}
               | "\xED" [\x80-\x9F] utf8cont
               | "\xF0" [\x90-\xBF] utf8cont{2}
               | [\xF1-\xF3] utf8cont{3}
               | "\xF4" [\x80-\x8F] utf8cont{2};
      strchar  = [^"\\\n\x00\x80-\xFF] | utf8char | "\\" [\\"n];

      $                                  { return tok(lx, TK_EOF, start); }
      [ \t\r\n]+                         { continue; }
      "--" [^\n\x00]*                    { continue; }

      ident                              { return tok(lx, word_kind(lx, start), start); }
      digit+ [a-zA-Z]+                   { return tok(lx, TK_ARTNUM, start); }
      digit+                             { return tok(lx, TK_INT, start); }
      digit+ "." digit+                  { return tok(lx, TK_DEC, start); }
      digit+ ("." digit+)? "%"           { return tok(lx, TK_PERCENT, start); }
      digit{4} "-" digit{2} "-" digit{2} { return tok(lx, TK_DATE, start); }
      euro [ ]* amount                   { return tok(lx, TK_MONEY, start); }
      euro                               { return illegal(lx, start, _("expected an amount after the euro sign, like \xE2\x82\xAC 1.234,56 or EUR 1234.56")); }
      euro [ ]* digit+ ([.,] digit+)+    { return illegal(lx, start, _("not an amount: write whole cents as \xE2\x82\xAC 1.234,56 (Dutch) or EUR 1234.56")); }
      "ECLI:" [A-Z]{2} ":" [A-Za-z0-9]+ ":" digit{4} ":" [A-Za-z0-9.]*[A-Za-z0-9]
                                         { return tok(lx, TK_ECLI, start); }
      ["] strchar* ["]                    { return tok(lx, TK_STRING, start); }
      ["] strchar* "\\" [^\\"n]            { return illegal(lx, start, _("unknown escape in string: write \\\\, \\\" or \\n")); }
      ["] strchar* "\x00"                 { return bad_string_byte(lx, _(NUL_IN_STRING)); }
      ["] strchar* [\x80-\xFF]            { return bad_string_byte(lx, _(BAD_UTF8_IN_STRING)); }
      ["]                                { return illegal(lx, start, _(UNTERMINATED_STRING)); }

      "t/m" { return tok(lx, TK_THROUGH, start); }
      "("  { return tok(lx, TK_LPAREN, start); }
      ")"  { return tok(lx, TK_RPAREN, start); }
      "{"  { return tok(lx, TK_LBRACE, start); }
      "}"  { return tok(lx, TK_RBRACE, start); }
      ","  { return tok(lx, TK_COMMA, start); }
      ":"  { return tok(lx, TK_COLON, start); }
      "."  { return tok(lx, TK_DOT, start); }
      "+"  { return tok(lx, TK_PLUS, start); }
      "-"  { return tok(lx, TK_MINUS, start); }
      "*" | "\xC3\x97" { return tok(lx, TK_STAR, start); }
      "/"  { return tok(lx, TK_SLASH, start); }
      "="  { return tok(lx, TK_EQ, start); }
      "<>" | "!=" | "\xE2\x89\xA0" { return tok(lx, TK_NE, start); }
      "<"  { return tok(lx, TK_LT, start); }
      "<=" | "\xE2\x89\xA4" { return tok(lx, TK_LE, start); }
      ">"  { return tok(lx, TK_GT, start); }
      ">=" | "\xE2\x89\xA5" { return tok(lx, TK_GE, start); }
      "==" { return illegal(lx, start, _("write '=' for equality")); }

      utf8lead utf8cont+                 { return illegal(lx, start, _("names are written with ASCII letters, digits and '_'")); }
      *                                  { return illegal(lx, start, _("this character has no meaning in a rule file")); }
    */
  }
}

/* A word's token: a keyword's, BENEFIT for 'uitkering' ('benefit'; a name wherever no declaration
   can start: the grammar's %fallback), DURATION and AFTERWARDS for 'duur' and 'daarna' (the same),
   VALUES for 'waarden' ('values') not before ':' (the same), else a name. */
static int word_kind(Lexer *lx, const unsigned char *start) {
  size_t len = (size_t)(lx->cur - start);
  int k = lex_keyword((const char *)start, len, lx->lang);
  if (k != TK_IDENT) return k;
  if (lex_is_benefit_word((const char *)start, len, lx->lang)) return TK_BENEFIT;
  k = lex_benefit_part((const char *)start, len, lx->lang);
  if (k != TK_IDENT) return k;
  /* 'waarden' before ':' opens a field of that name, so a field called so still follows another field */
  if (!lex_is_values_word((const char *)start, len, lx->lang)) return TK_IDENT;
  const unsigned char *p = lx->cur;
  while (p < lx->lim && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
  return p < lx->lim && *p == ':' ? TK_IDENT : TK_VALUES;
}

/* Keywords: one row per concept, Dutch and English spelling. */
static const struct Keyword {
  const char *nl, *en;
  int kind;
} keywords[] = {
  {"taal", "language", TK_LANGUAGE},
  {"module", "module", TK_MODULE},
  {"bron", "source", TK_SOURCE},
  {"keuze", "choice", TK_CHOICE},
  {"gegevens", "record", TK_RECORD},
  {"invoer", "input", TK_INPUT},
  {"sleutel", "key", TK_KEY},
  {"uitvoer", "output", TK_OUTPUT},
  {"regel", "rule", TK_RULE},
  {"lijst", "list", TK_LIST},
  {"als", "if", TK_IF},
  {"dan", "then", TK_THEN},
  {"anders", "else", TK_ELSE},
  {"en", "and", TK_AND},
  {"of", "or", TK_OR},
  {"niet", "not", TK_NOT},
  {"waar", "true", TK_TRUE},
  {"onwaar", "false", TK_FALSE},
  {"geval", "case", TK_CASE},
  {"voor", "for", TK_FOR},
  {"elke", "each", TK_EACH},
  {"in", "in", TK_IN},
  {"waarbij", "where", TK_WHERE},
  {"art", "art", TK_ART},
  {"lid", "para", TK_LID},
  {"sub", "sub", TK_SUB},
  {"tabel", "table", TK_TABLE},
  {"per", "by", TK_PER},
  {"uit", "file", TK_FILE},
  {"dekking", "coverage", TK_COVERAGE},
  {"vanaf", "from", TK_FROM},
  {"tot_en_met", "through", TK_THROUGH},
  {"peildatum", "reference_date", TK_PEILDATUM},
  {"versie", "version", TK_VERSION},
  {"geldig", "valid", TK_VALID},
  {"uitzondering", "exception", TK_EXCEPTION},
  {"op", "on", TK_ON},
  {"verenigbaar", "compatible", TK_COMPATIBLE},
  {"met", "with", TK_WITH},
  {"optioneel", "optional", TK_OPTIONAL},
  {"voorstel", "proposal", TK_PROPOSAL},
  {"vervang", "replace", TK_REPLACE},
  {"schrap", "remove", TK_REMOVE},
  {"extern", "extern", TK_EXTERN},
  {"zuiver", "pure", TK_PURE},
  {"symbool", "symbol", TK_SYMBOL},
  {"gebruik", "use", TK_USE},
  {"label", "label", TK_LABEL},
  {"strikt", "strict", TK_STRICT},
  /* 'gebruik "../wia" als wia': Dutch 'als' is TK_IF (found first, above), English 'as' is TK_AS */
  {"als", "as", TK_AS},
  /* facts as known on a date: 'gegevens L bekend op f vervangt g', 'x zoals bekend op d' (English 'as known on') */
  {"zoals", "as", TK_AS},
  {"bekend", "known", TK_KNOWN},
  {"vervangt", "replaces", TK_REPLACES},
};

/* 'uitkering X per maand' (English 'benefit X by month'): a word that opens the declaration only where a
   declaration starts and a name follows; elsewhere it stays a name (rules are called 'uitkering'). */
bool lex_is_benefit_word(const char *word, size_t len, Lang lang) {
  const char *w = lang == LANG_EN ? "benefit" : "uitkering";
  return strlen(w) == len && memcmp(w, word, len) == 0;
}

/* '... duur D daarna Y' (English 'duration D afterwards Y'): words of the benefit declaration only there. */
int lex_benefit_part(const char *word, size_t len, Lang lang) {
  const char *d = lang == LANG_EN ? "duration" : "duur", *a = lang == LANG_EN ? "afterwards" : "daarna";
  if (strlen(d) == len && memcmp(d, word, len) == 0) return TK_DURATION;
  if (strlen(a) == len && memcmp(a, word, len) == 0) return TK_AFTERWARDS;
  return TK_IDENT;
}

/* '... tekst waarden K' (English 'values K'): the keuze that labels a tekst field's values. */
bool lex_is_values_word(const char *word, size_t len, Lang lang) {
  const char *w = lang == LANG_EN ? "values" : "waarden";
  return strlen(w) == len && memcmp(w, word, len) == 0;
}

const char *lex_keyword_word(size_t i, Lang lang) {
  if (i >= sizeof keywords / sizeof *keywords) return NULL;
  return lang == LANG_EN ? keywords[i].en : keywords[i].nl;
}

int lex_keyword(const char *word, size_t len, Lang lang) {
  for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++) {
    const char *k = lang == LANG_EN ? keywords[i].en : keywords[i].nl;
    if (strlen(k) == len && memcmp(k, word, len) == 0) return keywords[i].kind;
    /* 'taal' and 'language' both open a file in either language. */
    if (keywords[i].kind == TK_LANGUAGE) {
      const char *other = lang == LANG_EN ? keywords[i].nl : keywords[i].en;
      if (strlen(other) == len && memcmp(other, word, len) == 0) return TK_LANGUAGE;
    }
  }
  return TK_IDENT;
}

const char *lex_token_desc(int kind, Lang lang) {
  static _Thread_local char buf[64];
  for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
    if (keywords[i].kind == kind) {
      snprintf(buf, sizeof buf, "'%s'", lang == LANG_EN ? keywords[i].en : keywords[i].nl);
      return buf;
    }
  switch (kind) {
  case TK_EOF: return _("end of file");
  case TK_IDENT: return _("a name");
  case TK_DURATION: return lang == LANG_EN ? "'duration'" : "'duur'";
  case TK_AFTERWARDS: return lang == LANG_EN ? "'afterwards'" : "'daarna'";
  case TK_VALUES: return lang == LANG_EN ? "'values'" : "'waarden'";
  case TK_INT: return _("a whole number");
  case TK_DEC: return _("a decimal number");
  case TK_PERCENT: return _("a percentage");
  case TK_DATE: return _("a date");
  case TK_MONEY: return _("an amount");
  case TK_STRING: return _("a string");
  case TK_ECLI: return _("an ECLI");
  case TK_ARTNUM: return _("an article number");
  case TK_LPAREN: return "'('";
  case TK_RPAREN: return "')'";
  case TK_LBRACE: return "'{'";
  case TK_RBRACE: return "'}'";
  case TK_COMMA: return "','";
  case TK_COLON: return "':'";
  case TK_DOT: return "'.'";
  case TK_PLUS: return "'+'";
  case TK_MINUS: return "'-'";
  case TK_STAR: return "'*'";
  case TK_SLASH: return "'/'";
  case TK_EQ: return "'='";
  case TK_NE: return "'<>'";
  case TK_LT: return "'<'";
  case TK_LE: return "'<='";
  case TK_GT: return "'>'";
  case TK_GE: return "'>='";
  default: return _("an illegal character");
  }
}
