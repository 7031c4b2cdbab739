/*
** test_lexer.c: the re2c lexer (lang/lexer.re) on strings in memory:
** keywords per language (lex_keyword with LANG_NL / LANG_EN and lex_next
** after switching lx.lang), identifiers, every literal form (INT, DEC,
** PERCENT, DATE, MONEY in its Dutch and machine forms, ARTNUM, ECLI,
** strings with escapes), comments, every operator including the Unicode
** spellings, exact spans (file, offset, length), TK_ILLEGAL with its hint,
** a NUL byte inside the buffer (an illegal character, not the end) and
** TK_EOF at the end.
*/
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "lang/lexer.h"

/* ---- helpers ---- */

#define MAXTOK 64

typedef struct Lexed {
  int n;
  Token t[MAXTOK];
  const char *hint[MAXTOK];   /* lx.hint right after each ILLEGAL token, else NULL */
} Lexed;

/* Lex text[0..len) (NUL-terminated at len) up to and including TK_EOF. */
static void lex_buf(const char *text, size_t len, Lang lang, uint32_t file, Lexed *out) {
  Lexer lx;
  lex_init(&lx, text, (uint32_t)len, file);
  lx.lang = lang;
  out->n = 0;
  for (;;) {
    cr_assert_lt(out->n, MAXTOK, "too many tokens (lexer not advancing?)");
    lx.hint = NULL;
    Token t = lex_next(&lx);
    out->hint[out->n] = t.kind == TK_ILLEGAL ? lx.hint : NULL;
    out->t[out->n++] = t;
    if (t.kind == TK_EOF) break;
  }
}

static void lex_str(const char *text, Lang lang, Lexed *out) { lex_buf(text, strlen(text), lang, 0, out); }

/* Token i has this kind, offset and length. */
static void tok_is(const Lexed *l, int i, int kind, uint32_t off, uint32_t len) {
  cr_assert_lt(i, l->n, "token %d missing (only %d tokens)", i, l->n);
  cr_assert_eq(l->t[i].kind, kind, "token %d: kind %d, expected %d", i, l->t[i].kind, kind);
  cr_assert_eq(l->t[i].span.off, off, "token %d: offset %u, expected %u", i, l->t[i].span.off, off);
  cr_assert_eq(l->t[i].span.len, len, "token %d: length %u, expected %u", i, l->t[i].span.len, len);
}

/* The whole stream's kinds, ending with TK_EOF. */
static void kinds_are(const Lexed *l, const int *kinds, int n) {
  cr_assert_eq(l->n, n, "%d tokens, expected %d", l->n, n);
  for (int i = 0; i < n; i++) cr_assert_eq(l->t[i].kind, kinds[i], "token %d: kind %d, expected %d", i, l->t[i].kind, kinds[i]);
}

#define KINDS(l, ...)                                            \
  do {                                                           \
    static const int k_[] = {__VA_ARGS__};                       \
    kinds_are((l), k_, (int)(sizeof k_ / sizeof k_[0]));          \
  } while (0)

static int kw(const char *w, Lang lang) { return lex_keyword(w, strlen(w), lang); }

/* ---- keywords ---- */

/* The keyword table as the language documents it: Dutch, English, token. */
static const struct { const char *nl, *en; int kind; } keywords[] = {
  {"taal", "language", TK_LANGUAGE}, {"module", "module", TK_MODULE}, {"bron", "source", TK_SOURCE},
  {"keuze", "choice", TK_CHOICE},    {"gegevens", "record", TK_RECORD}, {"invoer", "input", TK_INPUT},
  {"sleutel", "key", TK_KEY},        {"uitvoer", "output", TK_OUTPUT},  {"regel", "rule", TK_RULE},
  {"lijst", "list", TK_LIST},        {"als", "if", TK_IF},              {"dan", "then", TK_THEN},
  {"anders", "else", TK_ELSE},       {"en", "and", TK_AND},             {"of", "or", TK_OR},
  {"niet", "not", TK_NOT},           {"waar", "true", TK_TRUE},         {"onwaar", "false", TK_FALSE},
  {"geval", "case", TK_CASE},        {"voor", "for", TK_FOR},           {"elke", "each", TK_EACH},
  {"in", "in", TK_IN},               {"waarbij", "where", TK_WHERE},    {"art", "art", TK_ART},
  {"lid", "para", TK_LID},           {"sub", "sub", TK_SUB},
};
#define NKEYWORDS ((int)(sizeof keywords / sizeof keywords[0]))

Test(lexer, keywords_in_their_own_language) {
  for (int i = 0; i < NKEYWORDS; i++) {
    cr_assert_eq(kw(keywords[i].nl, LANG_NL), keywords[i].kind, "Dutch '%s'", keywords[i].nl);
    cr_assert_eq(kw(keywords[i].en, LANG_EN), keywords[i].kind, "English '%s'", keywords[i].en);
  }
}

Test(lexer, keywords_of_the_other_language_are_names) {
  for (int i = 0; i < NKEYWORDS; i++) {
    const char *nl = keywords[i].nl, *en = keywords[i].en;
    /* Spelled the same in both (module, in, art, sub), or the language switch itself. */
    bool shared = strcmp(nl, en) == 0 || keywords[i].kind == TK_LANGUAGE;
    int want = shared ? keywords[i].kind : TK_IDENT;
    cr_assert_eq(kw(nl, LANG_EN), want, "Dutch '%s' in an English file", nl);
    cr_assert_eq(kw(en, LANG_NL), want, "English '%s' in a Dutch file", en);
  }
}

Test(lexer, keyword_lookup_is_exact) {
  /* Whole words only, case-sensitive: prefixes, extensions and capitals are names. */
  cr_assert_eq(kw("rege", LANG_NL), TK_IDENT);
  cr_assert_eq(kw("regels", LANG_NL), TK_IDENT);
  cr_assert_eq(kw("Regel", LANG_NL), TK_IDENT);
  cr_assert_eq(kw("RULE", LANG_EN), TK_IDENT);
  /* waar / waarbij / waarheid: two keywords and a type name (types are not keywords). */
  cr_assert_eq(kw("waar", LANG_NL), TK_TRUE);
  cr_assert_eq(kw("waarbij", LANG_NL), TK_WHERE);
  cr_assert_eq(kw("waarheid", LANG_NL), TK_IDENT);
  cr_assert_eq(kw("geld", LANG_NL), TK_IDENT);
  cr_assert_eq(lex_keyword("regelx", 5, LANG_NL), TK_RULE);   /* only len bytes count */
}

Test(lexer, lex_next_uses_the_lexer_language) {
  Lexed l;
  const char *src = "regel rule en and waarbij where";
  lex_str(src, LANG_NL, &l);
  KINDS(&l, TK_RULE, TK_IDENT, TK_AND, TK_IDENT, TK_WHERE, TK_IDENT, TK_EOF);
  lex_str(src, LANG_EN, &l);
  KINDS(&l, TK_IDENT, TK_RULE, TK_IDENT, TK_AND, TK_IDENT, TK_WHERE, TK_EOF);
  /* 'taal' and 'language' open a file in either language. */
  lex_str("language taal", LANG_NL, &l);
  KINDS(&l, TK_LANGUAGE, TK_LANGUAGE, TK_EOF);
  lex_str("language taal", LANG_EN, &l);
  KINDS(&l, TK_LANGUAGE, TK_LANGUAGE, TK_EOF);
}

Test(lexer, token_descriptions) {
  cr_assert_str_eq(lex_token_desc(TK_RULE, LANG_NL), "'regel'");
  cr_assert_str_eq(lex_token_desc(TK_RULE, LANG_EN), "'rule'");
  cr_assert_str_eq(lex_token_desc(TK_LID, LANG_EN), "'para'");
  cr_assert_str_eq(lex_token_desc(TK_IDENT, LANG_NL), "a name");
  cr_assert_str_eq(lex_token_desc(TK_MONEY, LANG_NL), "an amount");
  cr_assert_str_eq(lex_token_desc(TK_NE, LANG_NL), "'<>'");
  cr_assert_str_eq(lex_token_desc(TK_EOF, LANG_EN), "end of file");
}

/* ---- identifiers and numbers ---- */

Test(lexer, identifiers) {
  Lexed l;
  /*          0123456789012345678901234 */
  lex_str("a _b sv_loon x1 A_Z9\t__", LANG_NL, &l);
  tok_is(&l, 0, TK_IDENT, 0, 1);
  tok_is(&l, 1, TK_IDENT, 2, 2);
  tok_is(&l, 2, TK_IDENT, 5, 7);
  tok_is(&l, 3, TK_IDENT, 13, 2);
  tok_is(&l, 4, TK_IDENT, 16, 4);
  tok_is(&l, 5, TK_IDENT, 21, 2);
  tok_is(&l, 6, TK_EOF, 23, 0);
}

Test(lexer, numbers_dates_percentages_and_article_numbers) {
  Lexed l;
  /*       0         1         2         3         4         5
  **       0123456789012345678901234567890123456789012345678901234 */
  lex_str("0 261 9223372036854775807 0.7 12.50 70% 1.5% 2024-01-31 12b", LANG_NL, &l);
  tok_is(&l, 0, TK_INT, 0, 1);
  tok_is(&l, 1, TK_INT, 2, 3);
  tok_is(&l, 2, TK_INT, 6, 19);
  tok_is(&l, 3, TK_DEC, 26, 3);
  tok_is(&l, 4, TK_DEC, 30, 5);
  tok_is(&l, 5, TK_PERCENT, 36, 3);
  tok_is(&l, 6, TK_PERCENT, 40, 4);
  tok_is(&l, 7, TK_DATE, 45, 10);
  tok_is(&l, 8, TK_ARTNUM, 56, 3);
  tok_is(&l, 9, TK_EOF, 59, 0);
}

Test(lexer, number_boundaries) {
  Lexed l;
  /* A date needs 4-2-2 digits; anything else is subtraction. */
  lex_str("2024-1-1", LANG_NL, &l);
  KINDS(&l, TK_INT, TK_MINUS, TK_INT, TK_MINUS, TK_INT, TK_EOF);
  /* A dot without digits after it is a DOT; a dot between digits makes a DEC. */
  lex_str("1.", LANG_NL, &l);
  KINDS(&l, TK_INT, TK_DOT, TK_EOF);
  lex_str("1.x", LANG_NL, &l);
  KINDS(&l, TK_INT, TK_DOT, TK_IDENT, TK_EOF);
  /* Article numbers: digits then letters, one token. */
  lex_str("art 12b lid 2 sub a", LANG_NL, &l);
  KINDS(&l, TK_ART, TK_ARTNUM, TK_LID, TK_INT, TK_SUB, TK_IDENT, TK_EOF);
  tok_is(&l, 1, TK_ARTNUM, 4, 3);
  /* A percent sign needs a number before it. */
  lex_str("5 %", LANG_NL, &l);
  cr_assert_eq(l.t[1].kind, TK_ILLEGAL);
}

/* ---- money ---- */

Test(lexer, money_forms) {
  Lexed l;
  /* "€" is 3 bytes: E2 82 AC. */
  lex_str("\xE2\x82\xAC 19.196,37", LANG_NL, &l);
  tok_is(&l, 0, TK_MONEY, 0, 13);   /* 3 + 1 + 9 */
  tok_is(&l, 1, TK_EOF, 13, 0);

  lex_str("\xE2\x82\xAC 5", LANG_NL, &l);
  tok_is(&l, 0, TK_MONEY, 0, 5);
  tok_is(&l, 1, TK_EOF, 5, 0);

  lex_str("EUR 73.55", LANG_NL, &l);
  tok_is(&l, 0, TK_MONEY, 0, 9);
  tok_is(&l, 1, TK_EOF, 9, 0);

  lex_str("\xE2\x82\xAC" "5", LANG_NL, &l);        /* no space */
  tok_is(&l, 0, TK_MONEY, 0, 4);

  lex_str("\xE2\x82\xAC 1.234", LANG_NL, &l);      /* thousands separator, whole euros */
  tok_is(&l, 0, TK_MONEY, 0, 9);

  lex_str("EUR 73.5", LANG_NL, &l);                /* machine form, one decimal */
  tok_is(&l, 0, TK_MONEY, 0, 8);

  lex_str("\xE2\x82\xAC 1.234.567,89", LANG_NL, &l);
  tok_is(&l, 0, TK_MONEY, 0, 16);
  tok_is(&l, 1, TK_EOF, 16, 0);
}

Test(lexer, money_comma_is_only_taken_with_two_decimals) {
  Lexed l;
  /* "€ 5, € 6": the comma is not followed by two digits, so it separates two amounts. */
  /*       0  3 4 5 6 7 */
  lex_str("\xE2\x82\xAC 5, \xE2\x82\xAC 6", LANG_NL, &l);
  tok_is(&l, 0, TK_MONEY, 0, 5);
  tok_is(&l, 1, TK_COMMA, 5, 1);
  tok_is(&l, 2, TK_MONEY, 7, 5);
  tok_is(&l, 3, TK_EOF, 12, 0);
  /* "€ 5,10" is one amount; "€ 5,1" is not an amount (cents need two digits). */
  lex_str("\xE2\x82\xAC 5,10", LANG_NL, &l);
  KINDS(&l, TK_MONEY, TK_EOF);
  lex_str("\xE2\x82\xAC 5,1", LANG_NL, &l);
  KINDS(&l, TK_ILLEGAL, TK_EOF);
  cr_assert(strstr(l.hint[0], "not an amount") != NULL, "hint: %s", l.hint[0]);
  /* Fractions of a cent in machine form are refused as one token, not split. */
  lex_str("EUR 1234.567", LANG_NL, &l);
  KINDS(&l, TK_ILLEGAL, TK_EOF);
  tok_is(&l, 0, TK_ILLEGAL, 0, 12);
}

Test(lexer, euro_sign_without_amount_is_illegal) {
  Lexed l;
  lex_str("\xE2\x82\xAC x", LANG_NL, &l);
  tok_is(&l, 0, TK_ILLEGAL, 0, 3);
  cr_assert_not_null(l.hint[0]);
  cr_assert(strstr(l.hint[0], "amount") != NULL, "hint: %s", l.hint[0]);
  tok_is(&l, 1, TK_IDENT, 4, 1);
  /* A bare EUR is a name, EURO too (longest match): only EUR before an amount is money. */
  lex_str("EUR EURO", LANG_NL, &l);
  KINDS(&l, TK_IDENT, TK_IDENT, TK_EOF);
}

/* ---- ECLI and strings ---- */

Test(lexer, ecli) {
  Lexed l;
  lex_str("bron ECLI:NL:CRVB:2024:1523", LANG_NL, &l);
  tok_is(&l, 0, TK_SOURCE, 0, 4);
  tok_is(&l, 1, TK_ECLI, 5, 22);
  tok_is(&l, 2, TK_EOF, 27, 0);
  /* Dots inside the last part, but not at its end. */
  lex_str("ECLI:NL:HR:2020:BY.12.", LANG_NL, &l);
  tok_is(&l, 0, TK_ECLI, 0, 21);
  tok_is(&l, 1, TK_DOT, 21, 1);
  /* Not an ECLI: a name, ':' and the rest. */
  lex_str("ECLI:x", LANG_NL, &l);
  KINDS(&l, TK_IDENT, TK_COLON, TK_IDENT, TK_EOF);
}

Test(lexer, strings_with_escapes) {
  Lexed l;
  /* "a\"b\\c\n" : quote, a, \, quote, b, \, \, c, \, n, quote = 11 bytes. */
  const char *s = "\"a\\\"b\\\\c\\n\" x";
  lex_str(s, LANG_NL, &l);
  tok_is(&l, 0, TK_STRING, 0, 11);
  tok_is(&l, 1, TK_IDENT, 12, 1);
  /* Empty string; a string holding '--' and UTF-8 is still a string. */
  lex_str("\"\" \"-- \xE2\x82\xAC\"", LANG_NL, &l);
  tok_is(&l, 0, TK_STRING, 0, 2);
  tok_is(&l, 1, TK_STRING, 3, 8);   /* quote + "-- " (3) + euro (3) + quote */
  tok_is(&l, 2, TK_EOF, 11, 0);
}

/* ---- comments and whitespace ---- */

Test(lexer, comments_and_whitespace) {
  Lexed l;
  /*       0123456789012345678901234567 */
  lex_str("a -- regel # == \"\n\r\n\tb--c", LANG_NL, &l);
  tok_is(&l, 0, TK_IDENT, 0, 1);
  tok_is(&l, 1, TK_IDENT, 21, 1);
  tok_is(&l, 2, TK_EOF, 25, 0);
  /* A single '-' is an operator; '--' always starts a comment. */
  lex_str("a - b --c\nd", LANG_NL, &l);
  KINDS(&l, TK_IDENT, TK_MINUS, TK_IDENT, TK_IDENT, TK_EOF);
}

/* ---- operators ---- */

Test(lexer, operators_with_spans) {
  Lexed l;
  /* ≠ E2 89 A0, ≤ E2 89 A4, ≥ E2 89 A5 (3 bytes), × C3 97 (2 bytes). */
  const char *s = "( ) { } , : . + - * / = <> != < <= > >= \xE2\x89\xA0 \xE2\x89\xA4 \xE2\x89\xA5 \xC3\x97";
  lex_str(s, LANG_NL, &l);
  static const struct { int kind; uint32_t off, len; } want[] = {
    {TK_LPAREN, 0, 1},  {TK_RPAREN, 2, 1}, {TK_LBRACE, 4, 1}, {TK_RBRACE, 6, 1}, {TK_COMMA, 8, 1},
    {TK_COLON, 10, 1},  {TK_DOT, 12, 1},   {TK_PLUS, 14, 1},  {TK_MINUS, 16, 1}, {TK_STAR, 18, 1},
    {TK_SLASH, 20, 1},  {TK_EQ, 22, 1},    {TK_NE, 24, 2},    {TK_NE, 27, 2},    {TK_LT, 30, 1},
    {TK_LE, 32, 2},     {TK_GT, 35, 1},    {TK_GE, 37, 2},    {TK_NE, 40, 3},    {TK_LE, 44, 3},
    {TK_GE, 48, 3},     {TK_STAR, 52, 2},  {TK_EOF, 54, 0},
  };
  cr_assert_eq(l.n, (int)(sizeof want / sizeof want[0]));
  for (int i = 0; i < l.n; i++) tok_is(&l, i, want[i].kind, want[i].off, want[i].len);
}

Test(lexer, operators_without_spaces) {
  Lexed l;
  lex_str("a<>b<=c>=d<e>f", LANG_NL, &l);
  KINDS(&l, TK_IDENT, TK_NE, TK_IDENT, TK_LE, TK_IDENT, TK_GE, TK_IDENT, TK_LT, TK_IDENT, TK_GT, TK_IDENT, TK_EOF);
  lex_str("x=<y", LANG_NL, &l);   /* '=<' is '=' then '<' */
  KINDS(&l, TK_IDENT, TK_EQ, TK_LT, TK_IDENT, TK_EOF);
  lex_str("r.sv_loon", LANG_NL, &l);
  KINDS(&l, TK_IDENT, TK_DOT, TK_IDENT, TK_EOF);
}

/* ---- spans ---- */

Test(lexer, spans_carry_the_file_index) {
  Lexed l;
  const char *s = "regel a: geld";
  lex_buf(s, strlen(s), LANG_NL, 7, &l);
  KINDS(&l, TK_RULE, TK_IDENT, TK_COLON, TK_IDENT, TK_EOF);
  for (int i = 0; i < l.n; i++) cr_assert_eq(l.t[i].span.file, 7u);
  tok_is(&l, 0, TK_RULE, 0, 5);
  tok_is(&l, 1, TK_IDENT, 6, 1);
  tok_is(&l, 2, TK_COLON, 7, 1);
  tok_is(&l, 3, TK_IDENT, 9, 4);
  tok_is(&l, 4, TK_EOF, 13, 0);
}

/* ---- illegal input ---- */

Test(lexer, illegal_hash) {
  Lexed l;
  lex_str("a # b", LANG_NL, &l);
  tok_is(&l, 0, TK_IDENT, 0, 1);
  tok_is(&l, 1, TK_ILLEGAL, 2, 1);
  cr_assert_not_null(l.hint[1]);
  cr_assert(strstr(l.hint[1], "no meaning") != NULL, "hint: %s", l.hint[1]);
  tok_is(&l, 2, TK_IDENT, 4, 1);   /* lexing goes on after an illegal character */
  tok_is(&l, 3, TK_EOF, 5, 0);
}

Test(lexer, illegal_double_equals) {
  Lexed l;
  lex_str("a == b", LANG_NL, &l);
  tok_is(&l, 1, TK_ILLEGAL, 2, 2);   /* both '=' in one token, not two EQ */
  cr_assert_not_null(l.hint[1]);
  cr_assert(strstr(l.hint[1], "'='") != NULL, "hint: %s", l.hint[1]);
  tok_is(&l, 2, TK_IDENT, 5, 1);
}

Test(lexer, illegal_unterminated_string) {
  Lexed l;
  /* The string runs into the end of the line: only the opening quote is illegal. */
  lex_str("x = \"abc\ny", LANG_NL, &l);
  tok_is(&l, 2, TK_ILLEGAL, 4, 1);
  cr_assert_not_null(l.hint[2]);
  cr_assert(strstr(l.hint[2], "unterminated string") != NULL, "hint: %s", l.hint[2]);
  tok_is(&l, 3, TK_IDENT, 5, 3);
  tok_is(&l, 4, TK_IDENT, 9, 1);
  tok_is(&l, 5, TK_EOF, 10, 0);
  /* Also at the end of the input. */
  lex_str("\"abc", LANG_NL, &l);
  tok_is(&l, 0, TK_ILLEGAL, 0, 1);
  cr_assert(strstr(l.hint[0], "unterminated") != NULL);
}

Test(lexer, illegal_non_ascii_letter) {
  Lexed l;
  /* "café": é is C3 A9, one illegal token of two bytes between 'caf' and the end. */
  lex_str("caf\xC3\xA9 x", LANG_NL, &l);
  tok_is(&l, 0, TK_IDENT, 0, 3);
  tok_is(&l, 1, TK_ILLEGAL, 3, 2);
  cr_assert_not_null(l.hint[1]);
  cr_assert(strstr(l.hint[1], "ASCII") != NULL, "hint: %s", l.hint[1]);
  tok_is(&l, 2, TK_IDENT, 6, 1);
  /* A three-byte character (the ellipsis, E2 80 A6) is one illegal token too. */
  lex_str("\xE2\x80\xA6", LANG_NL, &l);
  tok_is(&l, 0, TK_ILLEGAL, 0, 3);
  tok_is(&l, 1, TK_EOF, 3, 0);
}

Test(lexer, embedded_nul_is_illegal_not_the_end) {
  Lexed l;
  /* 'a' NUL 'b': the buffer is 3 bytes (the terminator is text[3]). */
  static const char s[] = "a\0b";
  lex_buf(s, 3, LANG_NL, 0, &l);
  tok_is(&l, 0, TK_IDENT, 0, 1);
  tok_is(&l, 1, TK_ILLEGAL, 1, 1);
  cr_assert_not_null(l.hint[1]);
  tok_is(&l, 2, TK_IDENT, 2, 1);
  tok_is(&l, 3, TK_EOF, 3, 0);
  cr_assert_eq(l.n, 4);
}

Test(lexer, embedded_nul_ends_a_comment_and_a_string) {
  Lexed l;
  /* A comment stops before the NUL: NUL is illegal, 'y' and 'z' are names. */
  static const char c[] = "-- x\0y\nz";
  lex_buf(c, 8, LANG_NL, 0, &l);
  KINDS(&l, TK_ILLEGAL, TK_IDENT, TK_IDENT, TK_EOF);
  tok_is(&l, 0, TK_ILLEGAL, 4, 1);
  tok_is(&l, 1, TK_IDENT, 5, 1);
  tok_is(&l, 2, TK_IDENT, 7, 1);
  tok_is(&l, 3, TK_EOF, 8, 0);
  /* A string cannot hold a NUL: the NUL itself is the error (not an unterminated string). */
  static const char s[] = "\"a\0b\"";
  lex_buf(s, 5, LANG_NL, 0, &l);
  tok_is(&l, 0, TK_ILLEGAL, 2, 1);
  cr_assert(strstr(l.hint[0], "NUL byte inside a string") != NULL);
  tok_is(&l, 1, TK_IDENT, 3, 1);
}

/* ---- end of input ---- */

Test(lexer, eof_is_sticky_and_at_the_end) {
  Lexer lx;
  const char *s = "a  \n";
  lex_init(&lx, s, 4, 0);
  Token t = lex_next(&lx);
  cr_assert_eq(t.kind, TK_IDENT);
  for (int i = 0; i < 3; i++) {
    t = lex_next(&lx);
    cr_assert_eq(t.kind, TK_EOF);
    cr_assert_eq(t.span.off, 4u);
    cr_assert_eq(t.span.len, 0u);
  }
  Lexed l;
  lex_str("", LANG_NL, &l);
  KINDS(&l, TK_EOF);
  tok_is(&l, 0, TK_EOF, 0, 0);
  lex_str("-- only a comment", LANG_NL, &l);
  KINDS(&l, TK_EOF);
  tok_is(&l, 0, TK_EOF, 17, 0);
}

Test(lexer, limit_is_respected_before_the_terminator) {
  /* A buffer whose declared length stops early: lexing ends at len even though more text follows
  ** (the byte at len must be NUL by contract, so write one there). */
  char buf[] = "ab cd";
  buf[2] = 0;
  Lexed l;
  lex_buf(buf, 2, LANG_NL, 0, &l);
  KINDS(&l, TK_IDENT, TK_EOF);
  tok_is(&l, 1, TK_EOF, 2, 0);
}

/* ---- byte order mark, and bytes a string cannot hold ---- */

Test(lexer, byte_order_mark_at_the_start_is_skipped) {
  const char text[] = "\xEF\xBB\xBFregel x";
  Lexed l;
  lex_buf(text, sizeof text - 1, LANG_NL, 0, &l);
  cr_assert_eq(l.n, 3);
  cr_assert_eq(l.t[0].kind, TK_RULE);
  cr_assert_eq(l.t[0].span.off, 3);
  cr_assert_eq(l.t[1].kind, TK_IDENT);
}

/* The span of the illegal token is the bad byte itself (the caret goes there), with code E084. */
static void expect_bad_string_byte(const char *text, size_t len, uint32_t bad_off, const char *hint_part) {
  Lexer lx;
  lex_init(&lx, text, (uint32_t)len, 0);
  Token t = lex_next(&lx);
  cr_assert_eq(t.kind, TK_ILLEGAL);
  cr_assert_eq(t.span.off, bad_off);
  cr_assert_eq(t.span.len, 1);
  cr_assert_str_eq(lx.code, "E084");
  cr_assert(strstr(lx.hint, hint_part) != NULL, "hint: %s", lx.hint);
}

Test(lexer, string_with_invalid_utf8_is_refused_at_the_byte) {
  const char bad[] = "\"caf\xC3\xA9 \xE9n\"";       /* a valid é, then a Latin-1 é */
  expect_bad_string_byte(bad, sizeof bad - 1, 7, "invalid UTF-8");
  const char overlong[] = "\"a\xC0\xAF\"";
  expect_bad_string_byte(overlong, sizeof overlong - 1, 2, "invalid UTF-8");
  const char surrogate[] = "\"\xED\xA0\x80\"";
  expect_bad_string_byte(surrogate, sizeof surrogate - 1, 1, "invalid UTF-8");
  const char cut[] = "\"\xE2\x82\"";
  expect_bad_string_byte(cut, sizeof cut - 1, 1, "invalid UTF-8");
  Lexed l;
  const char good[] = "\"\xE2\x82\xAC \xF0\x9F\x98\x80 caf\xC3\xA9\"";
  lex_buf(good, sizeof good - 1, LANG_NL, 0, &l);
  cr_assert_eq(l.t[0].kind, TK_STRING);
  cr_assert_eq(l.t[0].span.len, sizeof good - 1);
}

Test(lexer, nul_byte_inside_a_string_is_not_an_unterminated_string) {
  const char text[] = "\"ab\0cd\"";
  expect_bad_string_byte(text, sizeof text - 1, 3, "NUL byte inside a string");
}
