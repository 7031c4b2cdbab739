// lemon -q -s -dbuild/gen -T/usr/share/lemon/lempar.c lang/grammar.y
//
// grammar.y: the Lemon grammar of the rule language. Every action is one
// call to a parse_* builder in parser.c; the grammar stays a grammar. The
// same grammar serves Dutch and English files: keywords are mapped to the
// same tokens by the lexer. The parse stops at the first syntax error of a
// declaration (YYNOERRORRECOVERY); parser.c resynchronises at the next
// declaration keyword so later declarations are still checked for syntax.

%name Parser
%token_prefix TK_
%token_type {Token}
%default_type {AstNode *}
%extra_context {ParseCtx *pc}
%stack_size 4000

%include {
#include <assert.h>
#include "parser.h"
#define YYNOERRORRECOVERY 1
#define YYMALLOCARGTYPE size_t
}

%syntax_error {
  /* Collect the terminals the parser could have shifted here, for "expected ...". */
  int expected[16];
  int nexp = 0;
  for (int t = 1; t < YYNTOKEN && nexp < 16; t++) {
    YYACTIONTYPE act = yy_find_shift_action((YYCODETYPE)t, yypParser->yytos->stateno);
    if (act != YY_ERROR_ACTION && act != YY_NO_ACTION) expected[nexp++] = t;
  }
  parse_syntax_error(pc, TOKEN, expected, nexp);
}

%stack_overflow {
  Token none = {0, {0, 0, 0}};
  parse_syntax_error(pc, none, NULL, -1);
}

// Every terminal is declared here so the TK_ numbering is stable and
// lexer.re can return tokens the grammar itself does not use (ILLEGAL).
%token LANGUAGE MODULE SOURCE CHOICE RECORD INPUT KEY OUTPUT RULE LIST.
%token IF THEN ELSE AND OR NOT TRUE FALSE CASE FOR EACH IN WHERE ART LID SUB.
%token IDENT INT DEC PERCENT MONEY DATE STRING ECLI ARTNUM.
%token LPAREN RPAREN LBRACE RBRACE COMMA COLON DOT.
%token PLUS MINUS STAR SLASH EQ NE LT LE GT GE ILLEGAL.
%token TABLE PER FILE COVERAGE FROM THROUGH PEILDATUM VERSION VALID EXCEPTION ON COMPATIBLE WITH.
%token EXTERN PURE SYMBOL.
%token USE AS.
%token KNOWN REPLACES.
%token LABEL.
%token STRICT.
%token BENEFIT.
%token DURATION AFTERWARDS.
%token VALUES.
// 'uitkering' ('benefit') opens a declaration; anywhere else it is a name (rules are called so)
%fallback IDENT BENEFIT DURATION AFTERWARDS VALUES.

// Precedence, lowest first.
%right IF ELSE.
%left OR.
%left AND.
%right NOT.
%nonassoc EQ NE LT LE GT GE.
%left PLUS MINUS.
%left STAR SLASH.
%right UMINUS.
%left AS KNOWN.
%left DOT.

//////////////////////////// Files and declarations ////////////////////////////

file ::= header decls.
header ::= .
header ::= LANGUAGE(K) IDENT(N).                  { parse_language(pc, K, N); }
decls ::= .
decls ::= decls decl(D).                          { parse_add_decl(pc, D); }

decl(A) ::= MODULE(K) qname(Q).                   { A = parse_module(pc, K, Q); }
// strikt: this rule set is law; every rule, exception and table in it cites its bron (docs/LANGUAGE.md)
decl(A) ::= STRICT(K).                            { A = parse_strict(pc, K); }
// The parts of a module name may be keywords too: module wia.invoer
%token_class word IDENT|LANGUAGE|MODULE|SOURCE|CHOICE|RECORD|INPUT|KEY|OUTPUT|RULE|LIST|IF|THEN|ELSE|AND|OR|NOT|TRUE|FALSE|CASE|FOR|EACH|IN|WHERE|ART|LID|SUB|TABLE|PER|FILE|COVERAGE|FROM|THROUGH|PEILDATUM|VERSION|VALID|EXCEPTION|ON|COMPATIBLE|WITH.
qname(A) ::= word(N).                             { A = parse_name(pc, AST_NAME, N); }
qname(A) ::= qname(Q) DOT word(N).                { A = parse_qname_add(pc, Q, N); }

// bron DB = "Dagloonbesluit werknemersverzekeringen", BWBR0033471
decl(A) ::= SOURCE(K) IDENT(N) EQ STRING(T).                { Token none = {0, {0, 0, 0}}; A = parse_source_decl(pc, K, N, T, none); }
decl(A) ::= SOURCE(K) IDENT(N) EQ STRING(T) COMMA IDENT(B). { A = parse_source_decl(pc, K, N, T, B); }

// keuze Sector { bouw, zorg, overig }
decl(A) ::= CHOICE(K) IDENT(N) LBRACE choices(M) RBRACE(E). { A = parse_decl(pc, AST_ENUM_DECL, K, N, M, E); }
// A choice may carry its human label: keuze Richting { te_laag label "te weinig betaald", ... }
choices(A) ::= choice(N).                         { A = parse_list_holder(pc, N); }
choices(A) ::= choices(L) COMMA choice(N).        { A = parse_list_add(pc, L, N); }
choice(A) ::= IDENT(N).                           { A = parse_name(pc, AST_NAME, N); }
choice(A) ::= IDENT(N) labels(B).                 { A = parse_name(pc, AST_NAME, N); parse_attach_labels(pc, A, B); }
// label "te weinig betaald"   (a second one is kept so the checker can point at it)
labels(A) ::= LABEL(K) STRING(T).                 { A = parse_label(pc, NULL, K, T); }
labels(A) ::= labels(L) LABEL(K) STRING(T).       { A = parse_label(pc, L, K, T); }
members(A) ::= IDENT(N).                          { A = parse_list_holder(pc, parse_name(pc, AST_NAME, N)); }
members(A) ::= members(L) COMMA IDENT(N).         { A = parse_list_add(pc, L, parse_name(pc, AST_NAME, N)); }

// gegevens Loonregel { maand: datum  sv_loon: geld }
decl(A) ::= RECORD(K) IDENT(N) LBRACE fields(F) RBRACE(E).  { A = parse_decl(pc, AST_RECORD_DECL, K, N, F, E); }
// Lines of a list that become known on a date and may replace an earlier line (docs/LANGUAGE.md,
// "Facts as known on a date"):
//   gegevens Loonregel sleutel regel bekend op bekend_sinds vervangt vervangt { ... }
decl(A) ::= RECORD(K) IDENT(N) KEY IDENT(I) LBRACE fields(F) RBRACE(E).
                                                  { A = parse_decl(pc, AST_RECORD_DECL, K, N, F, E); A->a = parse_name(pc, AST_NAME, I); }
decl(A) ::= RECORD(K) IDENT(N) known(W) LBRACE fields(F) RBRACE(E).
                                                  { A = parse_decl(pc, AST_RECORD_DECL, K, N, F, E); parse_record_known(pc, A, NULL, W); }
decl(A) ::= RECORD(K) IDENT(N) KEY IDENT(I) known(W) LBRACE fields(F) RBRACE(E).
                                                  { A = parse_decl(pc, AST_RECORD_DECL, K, N, F, E); parse_record_known(pc, A, parse_name(pc, AST_NAME, I), W); }
known(A) ::= KNOWN ON IDENT(D).                   { A = parse_name(pc, AST_NAME, D); }
known(A) ::= KNOWN ON IDENT(D) REPLACES IDENT(R). { A = parse_name(pc, AST_NAME, D); A->a = parse_name(pc, AST_NAME, R); }

// invoer Dossier sleutel id { id: tekst ... }
decl(A) ::= INPUT(K) IDENT(N) LBRACE fields(F) RBRACE(E).   { A = parse_decl(pc, AST_INPUT_DECL, K, N, F, E); }
decl(A) ::= INPUT(K) IDENT(N) KEY IDENT(I) LBRACE fields(F) RBRACE(E).
                                                  { A = parse_decl(pc, AST_INPUT_DECL, K, N, F, E); A->a = parse_name(pc, AST_NAME, I); }

fields(A) ::= field(F).                           { A = parse_list_holder(pc, F); }
fields(A) ::= fields(L) field(F).                 { A = parse_list_add(pc, L, F); }
fields(A) ::= fields(L) COMMA field(F).           { A = parse_list_add(pc, L, F); }
field(A) ::= IDENT(N) COLON type(T).              { A = parse_field(pc, N, T); }
// A field with its human label: bruto: geld label "uw brutoloon"
field(A) ::= IDENT(N) COLON type(T) labels(B).    { A = parse_field(pc, N, T); parse_attach_labels(pc, A, B); }
// A tekst field whose values a keuze labels, any other text still allowed (docs/LANGUAGE.md "Human labels"):
//   sector: optioneel tekst label "bedrijfssector" waarden Sector      -- English: values Sector
// 'waarden' has a token of its own only where no ':' follows (lexer.re), a name everywhere else (%fallback).
field(A) ::= IDENT(N) COLON type(T) values(V).     { A = parse_field_values(pc, parse_field(pc, N, T), V); }
field(A) ::= IDENT(N) COLON type(T) labels(B) values(V).
                                                  { A = parse_field_values(pc, parse_field(pc, N, T), V); parse_attach_labels(pc, A, B); }
field(A) ::= IDENT(N) COLON type(T) values(V) labels(B).
                                                  { A = parse_field_values(pc, parse_field(pc, N, T), V); parse_attach_labels(pc, A, B); }
// the keuze, of this rule set or of a used one: waarden Sector, waarden wia.Sector
%type values {Token}
values(A) ::= VALUES IDENT(V).                    { A = V; }
values(A) ::= VALUES qident(V).                   { A = V; }

type(A) ::= IDENT(N).                             { Token none = {0, {0, 0, 0}}; A = parse_type(pc, none, N); }
type(A) ::= LIST(L) IDENT(N).                     { A = parse_type(pc, L, N); }
type(A) ::= OPTIONAL(L) IDENT(N).                 { A = parse_type(pc, L, N); }
// A type of a used rule set: dossier: wia.Dossier, loon: lijst wia.Loonregel
type(A) ::= qident(N).                            { Token none = {0, {0, 0, 0}}; A = parse_type(pc, none, N); }
type(A) ::= LIST(L) qident(N).                    { A = parse_type(pc, L, N); }

// A name of a used rule set, written with its name (lang/uses.c): wia.Dossier, wia.deler
%type qident {Token}
qident(A) ::= IDENT(M) DOT IDENT(N).              { A = parse_qident(pc, M, N); }

// uitvoer { id, dagloon }
decl(A) ::= OUTPUT(K) LBRACE outitems(L) RBRACE(E). { Token none = {0, {0, 0, 0}}; A = parse_decl(pc, AST_OUTPUT_DECL, K, none, L, E); }
outitems(A) ::= outitem(N).                       { A = parse_list_holder(pc, N); }
outitems(A) ::= outitems(L) outitem(N).           { A = parse_list_add(pc, L, N); }
outitems(A) ::= outitems(L) COMMA outitem(N).     { A = parse_list_add(pc, L, N); }
outitem(A) ::= IDENT(N).                          { A = parse_name(pc, AST_NAME, N); }
// a rule of a used rule set: uitvoer { id, wia.dagloon }
outitem(A) ::= qident(N).                         { A = parse_name(pc, AST_NAME, N); }

// The benefit paid, for compare's budget effect (docs/LANGUAGE.md, "The benefit paid"):
//   uitkering uitkering_tweede_maand per maand      -- English: benefit X by month
// 'uitkering' is a keyword only here (%fallback above): rules may be called 'uitkering'.
// The cohort (compare --jaren) also needs how long it is paid, and what is paid after it:
//   uitkering X per maand duur D                    -- English: benefit X by month duration D
//   uitkering X per maand duur D daarna Y           -- English: ... duration D afterwards Y
// 'duur' and 'daarna' have tokens of their own (lexer.re word_kind) that are names wherever they cannot
// stand here (%fallback above): with plain names, a next 'uitkering' line would be taken for 'duur'.
decl(A) ::= benefithead(B).                       { A = B; }
decl(A) ::= benefithead(B) DURATION colname(D).   { A = parse_benefit_duration(pc, B, D); }
decl(A) ::= benefithead(B) DURATION colname(D) AFTERWARDS colname(Y).
                                                  { A = parse_benefit_then(pc, parse_benefit_duration(pc, B, D), Y); }
%type benefithead {AstNode *}
benefithead(A) ::= BENEFIT(K) IDENT(C) PER IDENT(P).  { A = parse_benefit(pc, K, C, P); }
benefithead(A) ::= BENEFIT(K) qident(C) PER IDENT(P). { A = parse_benefit(pc, K, C, P); }
%type colname {Token}
colname(A) ::= IDENT(N).                          { A = N; }
colname(A) ::= qident(N).                         { A = N; }

//////////////////////////// Proposals ////////////////////////////

// A proposal is an overlay on a base rule set: it names the base, replaces
// rules, exceptions or tables of it, takes exceptions out, and adds its own.
//   voorstel op "../../wia"
//   vervang regel deler: geheel ...
//   schrap uitzondering starter
decl(A) ::= PROPOSAL(K) ON STRING(P).             { A = parse_proposal(pc, K, P); }
decl(A) ::= REPLACE(K) decl(D).                   { A = parse_replace(pc, K, D); }
decl(A) ::= REMOVE(K) EXCEPTION IDENT(N).         { A = parse_remove(pc, K, N); }
decl(A) ::= REMOVE(K) EXCEPTION qident(N).        { A = parse_remove(pc, K, N); }
// Rows of a base table: those of the file replace the base's rows with the same key and add new ones.
// A 'dekking' replaces the base's coverage (a new horizon for rows that reach further).
//   vervang tabel maximumdagloon uit "maximumdagloon_2027.csv"
//   vervang tabel maximumdagloon dekking vanaf 2006-01-01 t/m 2027-06-30 uit "maximumdagloon_2027.csv"
decl(A) ::= REPLACE(K) TABLE IDENT(N) cites(C) coverage(D) FILE STRING(F).
                                                  { A = parse_table_rows(pc, K, N, C, D, F); }
decl(A) ::= REPLACE(K) TABLE qident(N) cites(C) coverage(D) FILE STRING(F).
                                                  { A = parse_table_rows(pc, K, N, C, D, F); }
// A version that takes over a base rule from its date (the base's versions end the day before):
//   vervang versie op dagloon_referteperiode geldig vanaf 2027-01-01 = ...
decl(A) ::= REPLACE(K) VERSION(V) ON rulename(R) VALID FROM DATE(F) colon cites(C) EQ expr(E).
                                                  { Token z = {0, {0, 0, 0}}; A = parse_version_overlay(pc, K, R, parse_version(pc, V, F, z, C, E)); }
decl(A) ::= REPLACE(K) VERSION(V) ON rulename(R) VALID FROM DATE(F) THROUGH DATE(T) colon cites(C) EQ expr(E).
                                                  { A = parse_version_overlay(pc, K, R, parse_version(pc, V, F, T, C, E)); }
%type rulename {Token}
rulename(A) ::= IDENT(N).                         { A = N; }
rulename(A) ::= qident(N).                        { A = N; }

//////////////////////////// Rule sets that use rule sets ////////////////////////////

// Another rule set as a module under a name of its own; its invoer is a field of this one's:
//   gebruik "../wia" als wia met dossier      -- English: use "../wia" as wia with dossier
// Its rules are then wia.dagloon, its types wia.Dossier, its rules with parameters and
// tables wia.loon_in(m) (lang/uses.c).
decl(A) ::= USE(K) STRING(P) as IDENT(N).         { Token z = {0, {0, 0, 0}}; A = parse_use(pc, K, P, N, z); }
decl(A) ::= USE(K) STRING(P) as IDENT(N) WITH IDENT(F).
                                                  { A = parse_use(pc, K, P, N, F); }
as ::= IF.
as ::= AS.

//////////////////////////// Rules ////////////////////////////

// regel dagloon: geld
//   bron DB art 16 lid 1
//   = afgerond(totaal / 261, op: cent, methode: rekenkundig)
decl(A) ::= rulehead(H) COLON type(T) cites(C) EQ expr(E). { A = parse_rule(pc, H, T, C, E); }

// A rule with parameters: regel loon_in(m: periode): geld = ...
rulehead(A) ::= RULE(K) IDENT(N).                 { A = parse_rule_head(pc, K, N, NULL); }
rulehead(A) ::= RULE(K) IDENT(N) LPAREN fields(P) RPAREN. { A = parse_rule_head(pc, K, N, P); }
// A rule of a used rule set, replaced by a proposal: vervang regel wia.deler: geheel = ...
rulehead(A) ::= RULE(K) qident(N).                { A = parse_rule_head(pc, K, N, NULL); }

// A native function: a rule whose value a C function of a library computes
// (runtime/dagloon_native.h). The library loads only when the operator
// allows it (--allow-native); 'zuiver' states that the function is pure.
//   extern regel feestdag(d: datum): waarheid
//     bron ATW art 3 lid 1
//     zuiver
//     uit "../../build/natives/libfeestdagen.so" symbool "feestdag"
decl(A) ::= EXTERN(X) rulehead(H) COLON type(T) cites(C) pure(P) FILE STRING(F) symbol(S).
                                                  { A = parse_extern_rule(pc, X, parse_rule(pc, H, T, C, NULL), P, F, S); }
%type pure {int}
pure(A) ::= .                                     { A = 0; }
pure(A) ::= PURE.                                 { A = 1; }
%type symbol {Token}
symbol(A) ::= .                                   { A = (Token){0, {0, 0, 0}}; }
symbol(A) ::= SYMBOL STRING(S).                   { A = S; }

// Versions in time, chosen by the rule's peildatum:
//   regel dagloon: geld
//     peildatum eerste_rechtdag
//     versie geldig vanaf 2022-01-01
//       bron DB art 16 lid 1
//       = ...
//     versie geldig t/m 2021-12-31
//       bron DB art 27e
//       = ...
decl(A) ::= rulehead(H) COLON type(T) cites(C) PEILDATUM expr(P) versions(V).
                                                  { A = parse_rule(pc, H, T, C, NULL); parse_rule_versions(pc, A, P, V); }
versions(A) ::= version(X).                       { A = parse_list_holder(pc, X); }
versions(A) ::= versions(L) version(X).           { A = parse_list_add(pc, L, X); }
version(A) ::= VERSION(K) VALID FROM DATE(F) colon cites(C) EQ expr(E).
                                                  { Token z = {0, {0, 0, 0}}; A = parse_version(pc, K, F, z, C, E); }
version(A) ::= VERSION(K) VALID FROM DATE(F) THROUGH DATE(T) colon cites(C) EQ expr(E).
                                                  { A = parse_version(pc, K, F, T, C, E); }
version(A) ::= VERSION(K) VALID THROUGH DATE(T) colon cites(C) EQ expr(E).
                                                  { Token z = {0, {0, 0, 0}}; A = parse_version(pc, K, z, T, C, E); }
colon ::= .
colon ::= COLON.

// Exceptions: another value for a rule when a condition holds.
//   uitzondering loonloze_maanden_uit_de_deler op deler
//     bron ECLI:NL:CRVB:2024:1523
//     verenigbaar met andere_uitzondering
//     als <voorwaarde>
//     dan <waarde>
decl(A) ::= EXCEPTION(K) rulename(N) ON rulename(R) cites(C) compat(M) IF expr(W) THEN expr(E).
                                                  { A = parse_exception(pc, K, N, R, C, M, W, E); }
compat(A) ::= .                                   { A = NULL; }
compat(A) ::= COMPATIBLE WITH members(L).         { A = L; }

//////////////////////////// Tables ////////////////////////////

// tabel maximumdagloon: geld per datum
//   bron Wfsv art 17 lid 1
//   dekking vanaf 2006-01-01 t/m 2026-12-31
//   uit "../tables/maximumdagloon.csv"
// (the file comes last: a 'bron' after the table would be ambiguous)
decl(A) ::= TABLE(K) IDENT(N) COLON type(V) PER type(P) cites(C) coverage(D) FILE STRING(F).
                                                  { A = parse_table(pc, K, N, V, P, F, C, D); }
coverage(A) ::= .                                 { A = NULL; }
coverage(A) ::= COVERAGE FROM literal(F).         { A = parse_list_holder(pc, F); }
coverage(A) ::= COVERAGE FROM literal(F) THROUGH literal(T).
                                                  { A = parse_list_add(pc, parse_list_holder(pc, F), T); }

cites(A) ::= .                                    { A = NULL; }
cites(A) ::= cites(L) cite(C).                    { A = L ? parse_list_add(pc, L, C) : parse_list_holder(pc, C); }

cite(A) ::= SOURCE(S) IDENT(N).                   { Token z = {0, {0, 0, 0}}; A = parse_cite(pc, S, N, z, z, z); }
cite(A) ::= SOURCE(S) IDENT(N) ART artnum(R).     { Token z = {0, {0, 0, 0}}; A = parse_cite(pc, S, N, R, z, z); }
cite(A) ::= SOURCE(S) IDENT(N) ART artnum(R) LID INT(L).
                                                  { Token z = {0, {0, 0, 0}}; A = parse_cite(pc, S, N, R, L, z); }
cite(A) ::= SOURCE(S) IDENT(N) ART artnum(R) LID INT(L) SUB IDENT(B).
                                                  { A = parse_cite(pc, S, N, R, L, B); }
cite(A) ::= SOURCE(S) ECLI(E).                    { Token z = {0, {0, 0, 0}}; A = parse_cite(pc, S, E, z, z, z); }
cite(A) ::= SOURCE(S) STRING(T).                  { Token z = {0, {0, 0, 0}}; A = parse_cite(pc, S, T, z, z, z); }
// A rule's human label stands among its sources (the builders take it out of the list):
//   regel te_laag: geld
//     label "te weinig betaald"
//     bron ...
cite(A) ::= LABEL(K) STRING(T).                   { A = parse_label(pc, NULL, K, T); }
%type artnum {Token}
artnum(A) ::= INT(T).                             { A = T; }
artnum(A) ::= ARTNUM(T).                          { A = T; }

//////////////////////////// Expressions ////////////////////////////

expr(A) ::= expr(L) OR expr(R).                   { A = parse_binary(pc, TK_OR, L, R); }
expr(A) ::= expr(L) AND expr(R).                  { A = parse_binary(pc, TK_AND, L, R); }
expr(A) ::= NOT(K) expr(R).                       { A = parse_unary(pc, K, R); }
expr(A) ::= expr(L) EQ expr(R).                   { A = parse_binary(pc, TK_EQ, L, R); }
expr(A) ::= expr(L) NE expr(R).                   { A = parse_binary(pc, TK_NE, L, R); }
expr(A) ::= expr(L) LT expr(R).                   { A = parse_binary(pc, TK_LT, L, R); }
expr(A) ::= expr(L) LE expr(R).                   { A = parse_binary(pc, TK_LE, L, R); }
expr(A) ::= expr(L) GT expr(R).                   { A = parse_binary(pc, TK_GT, L, R); }
expr(A) ::= expr(L) GE expr(R).                   { A = parse_binary(pc, TK_GE, L, R); }
expr(A) ::= expr(L) PLUS expr(R).                 { A = parse_binary(pc, TK_PLUS, L, R); }
expr(A) ::= expr(L) MINUS expr(R).                { A = parse_binary(pc, TK_MINUS, L, R); }
expr(A) ::= expr(L) STAR expr(R).                 { A = parse_binary(pc, TK_STAR, L, R); }
expr(A) ::= expr(L) SLASH expr(R).                { A = parse_binary(pc, TK_SLASH, L, R); }
expr(A) ::= MINUS(K) expr(R). [UMINUS]            { A = parse_unary(pc, K, R); }

// als c dan a anders b
expr(A) ::= IF(K) expr(C) THEN expr(T) ELSE expr(E).   { A = parse_if(pc, K, C, T, E); }

// geval sector { bouw, zorg: 0.8  anders: 0.6 }
expr(A) ::= CASE(K) expr(S) LBRACE arms(L) RBRACE(E).  { A = parse_case(pc, K, S, L, E); }
arms(A) ::= arm(R).                               { A = parse_list_holder(pc, R); }
arms(A) ::= arms(L) arm(R).                       { A = parse_list_add(pc, L, R); }
arm(A) ::= members(L) COLON expr(V).              { A = parse_arm(pc, L->list.items[0]->span, L, V); }
arm(A) ::= ELSE(K) COLON expr(V).                 { A = parse_arm(pc, K.span, NULL, V); }
// Ranges, for a geval over a number, an amount or a date (both ends included):
//   geval leeftijd { t/m 17: ...  18 t/m 64: ...  vanaf 65: ... }
arm(A) ::= bound(L) THROUGH bound(H) COLON expr(V). { A = parse_range_arm(pc, L->span, L, H, V); }
arm(A) ::= FROM(K) bound(L) COLON expr(V).        { A = parse_range_arm(pc, K.span, L, NULL, V); }
arm(A) ::= THROUGH(K) bound(H) COLON expr(V).     { A = parse_range_arm(pc, K.span, NULL, H, V); }
bound(A) ::= literal(L).                          { A = L; }

expr(A) ::= expr(O) DOT IDENT(F).                 { A = parse_member(pc, O, F); }
// The facts as known on a date: wia.dagloon zoals bekend op besluitdatum (English: as known on)
expr(A) ::= expr(E) AS KNOWN ON expr(D). [KNOWN]  { A = parse_as_known(pc, E, D); }
expr(A) ::= LPAREN expr(E) RPAREN.                { A = E; }
expr(A) ::= IDENT(N).                             { A = parse_name(pc, AST_NAME, N); }
expr(A) ::= literal(L).                           { A = L; }

%type literal {AstNode *}
literal(A) ::= INT(T).                            { A = parse_literal(pc, T); }
literal(A) ::= DEC(T).                            { A = parse_literal(pc, T); }
literal(A) ::= PERCENT(T).                        { A = parse_literal(pc, T); }
literal(A) ::= MONEY(T).                          { A = parse_literal(pc, T); }
literal(A) ::= DATE(T).                           { A = parse_literal(pc, T); }
literal(A) ::= STRING(T).                         { A = parse_literal(pc, T); }
literal(A) ::= TRUE(T).                           { A = parse_literal(pc, T); }
literal(A) ::= FALSE(T).                          { A = parse_literal(pc, T); }

// afgerond(x, op: cent, methode: rekenkundig)     min(a, b)
expr(A) ::= IDENT(F) LPAREN RPAREN(E).            { A = parse_call(pc, F, NULL, E); }
expr(A) ::= IDENT(F) LPAREN args(L) RPAREN(E).    { A = parse_call(pc, F, L, E); }
// A rule with parameters or a table of a used rule set: wia.loon_in(m), wia.maximumdagloon(d)
expr(A) ::= expr(O) DOT IDENT(F) LPAREN RPAREN(E).   { A = parse_qualified_call(pc, O, F, NULL, E); }
expr(A) ::= expr(O) DOT IDENT(F) LPAREN args(L) RPAREN(E).
                                                  { A = parse_qualified_call(pc, O, F, L, E); }
args(A) ::= arg(X).                               { A = parse_list_holder(pc, X); }
args(A) ::= args(L) COMMA arg(X).                 { A = parse_list_add(pc, L, X); }
arg(A) ::= expr(E).                               { A = E; }
arg(A) ::= IDENT(N) COLON expr(E).                { A = parse_name(pc, AST_NAMED_ARG, N); A->a = E; A->span = span_join(A->span, E->span); }
arg(A) ::= ON(N) COLON expr(E).                   { A = parse_name(pc, AST_NAMED_ARG, N); A->a = E; A->span = span_join(A->span, E->span); }
arg(A) ::= THROUGH(N) COLON expr(E).              { A = parse_name(pc, AST_NAMED_ARG, N); A->a = E; A->span = span_join(A->span, E->span); }

// som(r.sv_loon voor elke r in loon waarbij r.sv_loon > € 0)     aantal(elke r in loon)
expr(A) ::= IDENT(F) LPAREN expr(E) FOR EACH IDENT(V) IN expr(L) RPAREN(R).
                                                  { A = parse_agg(pc, F, E, V, L, NULL, R); }
expr(A) ::= IDENT(F) LPAREN expr(E) FOR EACH IDENT(V) IN expr(L) WHERE expr(C) RPAREN(R).
                                                  { A = parse_agg(pc, F, E, V, L, C, R); }
expr(A) ::= IDENT(F) LPAREN EACH IDENT(V) IN expr(L) RPAREN(R).
                                                  { A = parse_agg(pc, F, NULL, V, L, NULL, R); }
expr(A) ::= IDENT(F) LPAREN EACH IDENT(V) IN expr(L) WHERE expr(C) RPAREN(R).
                                                  { A = parse_agg(pc, F, NULL, V, L, C, R); }
