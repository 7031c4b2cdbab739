#!/usr/bin/env python3
"""The editors' word lists, generated from the front end so they cannot fall behind it.

Reads the keyword table of lang/lexer.re and the names of built-in types, functions and rounding
methods of lang/check.c, and writes
  tools/editors/vscode/syntaxes/dagloon.tmLanguage.json   (the TextMate grammar, both languages)
  tools/editors/vim/syntax/dagloon.vim                    (the Vim syntax file, both languages)

  gen_grammar.py           write both files
  gen_grammar.py --check   exit 1 (with a diff) when a committed file differs from what the
                           sources give: 'make test-run' runs this, so a keyword added to the
                           lexer without regenerating fails the tests
"""
import difflib
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
LEXER = os.path.join(ROOT, 'lang', 'lexer.re')
CHECK = os.path.join(ROOT, 'lang', 'check.c')
TM_OUT = os.path.join(ROOT, 'tools', 'editors', 'vscode', 'syntaxes', 'dagloon.tmLanguage.json')
VIM_OUT = os.path.join(ROOT, 'tools', 'editors', 'vim', 'syntax', 'dagloon.vim')

NAME = r'[A-Za-z_][A-Za-z0-9_]*'

# What a keyword is for, by its token kind; a kind not listed here (a new keyword) is still
# highlighted, as keyword.other.
ROLES = {
    'declaration': 'LANGUAGE MODULE SOURCE CHOICE RECORD INPUT OUTPUT RULE TABLE EXCEPTION VERSION '
                   'PROPOSAL USE EXTERN STRICT LABEL SYMBOL',
    'control': 'IF THEN ELSE CASE FOR EACH IN WHERE',
    'logical': 'AND OR NOT',
    'constant': 'TRUE FALSE',
}
SCOPES = {
    'declaration': 'storage.type.declaration.{}.dagloon',
    'control': 'keyword.control.{}.dagloon',
    'logical': 'keyword.operator.logical.{}.dagloon',
    'constant': 'constant.language.boolean.{}.dagloon',
    'other': 'keyword.other.{}.dagloon',
}
VIM_GROUPS = {'declaration': 'dagloonDeclaration', 'control': 'dagloonConditional',
              'logical': 'dagloonLogical', 'constant': 'dagloonBoolean', 'other': 'dagloonKeyword'}


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def keywords():
    """[(nl, en, KIND)] from the keyword table of lexer.re, in its order."""
    text = read(LEXER)
    table = re.search(r'keywords\[\] = \{(.*?)\n\};', text, re.S)
    if not table:
        sys.exit('gen_grammar: no keyword table in lang/lexer.re')
    rows = re.findall(r'\{"(\w+)", "(\w+)", TK_(\w+)\}', table.group(1))
    if len(rows) < 40:
        sys.exit('gen_grammar: only %d keywords read from lang/lexer.re' % len(rows))
    return rows


def pairs(table_name):
    """[(nl, en)] from a {"nl", "en", ...} table of check.c."""
    text = read(CHECK)
    m = re.search(r'\b' + table_name + r'\[[^\]]*\] = \{(.*?)\n\};', text, re.S)
    if not m:
        sys.exit('gen_grammar: no table %s in lang/check.c' % table_name)
    return re.findall(r'\{"(\w+)", "(\w+)"', m.group(1))


def role_of(kind):
    for role, kinds in ROLES.items():
        if kind in kinds.split():
            return role
    return 'other'


def words_by_role(kws, lang):
    out = {}
    for nl, en, kind in kws:
        word = nl if lang == 'nl' else en
        out.setdefault(role_of(kind), [])
        if word not in out[role_of(kind)]:
            out[role_of(kind)].append(word)
    return out


def concept(kws, kind, lang):
    """The word(s) of a token kind in a language."""
    return [nl if lang == 'nl' else en for nl, en, k in kws if k == kind]


def alt(words):
    # longest first, so 'uitzondering' is not read as a shorter word
    return '|'.join(sorted(set(words), key=lambda w: (-len(w), w)))


# ---------------------------------------------------------------- TextMate grammar

def literals():
    """Tokens spelled the same in both languages (lexer.re's rules, in the lexer's priority)."""
    return {
        'comment': {'match': '(--).*$', 'name': 'comment.line.double-dash.dagloon',
                    'captures': {'1': {'name': 'punctuation.definition.comment.dagloon'}}},
        'string': {'patterns': [
            {'begin': '"(?=(?:[^"\\\\]|\\\\.)*")', 'end': '"', 'name': 'string.quoted.double.dagloon',
             'beginCaptures': {'0': {'name': 'punctuation.definition.string.begin.dagloon'}},
             'endCaptures': {'0': {'name': 'punctuation.definition.string.end.dagloon'}},
             'patterns': [{'match': '\\\\[\\\\"n]', 'name': 'constant.character.escape.dagloon'},
                          {'match': '\\\\.', 'name': 'invalid.illegal.escape.dagloon'}]},
            {'match': '".*$', 'name': 'invalid.illegal.unterminated-string.dagloon'}]},
        'ecli': {'match': '\\bECLI:[A-Z]{2}:[A-Za-z0-9]+:[0-9]{4}:[A-Za-z0-9.]*[A-Za-z0-9]',
                 'name': 'constant.other.ecli.dagloon'},
        'bwb': {'match': '\\bBWB[RV][0-9]+\\b', 'name': 'constant.other.bwb.dagloon'},
        'money': {'patterns': [
            {'match': '(?:€|\\bEUR)[ ]*(?:[0-9]{1,3}(?:\\.[0-9]{3})+(?:,[0-9]{2})?|[0-9]+\\.[0-9]{1,2}'
                      '|[0-9]+(?:,[0-9]{2})?)(?![.,]?[0-9])',
             'name': 'constant.numeric.money.dagloon'},
            {'match': '(?:€|\\bEUR)[ ]*[0-9]+(?:[.,][0-9]+)+', 'name': 'invalid.illegal.money.dagloon'},
            {'match': '€', 'name': 'invalid.illegal.money.dagloon'}]},
        'number': {'patterns': [
            {'match': '\\b[0-9]{4}-[0-9]{2}-[0-9]{2}\\b', 'name': 'constant.numeric.date.dagloon'},
            {'match': '\\b[0-9]+(?:\\.[0-9]+)?%', 'name': 'constant.numeric.percentage.dagloon'},
            {'match': '\\b[0-9]+[A-Za-z]+', 'name': 'constant.numeric.article.dagloon'},
            {'match': '\\b[0-9]+\\.[0-9]+', 'name': 'constant.numeric.decimal.dagloon'},
            {'match': '\\b[0-9]+', 'name': 'constant.numeric.integer.dagloon'}]},
        'operator': {'patterns': [
            {'match': '==', 'name': 'invalid.illegal.operator.dagloon'},
            {'match': 't/m', 'name': 'keyword.operator.range.dagloon'},
            {'match': '<>|!=|≠|<=|≤|>=|≥|<|>|=', 'name': 'keyword.operator.comparison.dagloon'},
            {'match': '[-+*×/]', 'name': 'keyword.operator.arithmetic.dagloon'}]},
        'punctuation': {'patterns': [
            {'match': '[(){}]', 'name': 'punctuation.section.bracket.dagloon'},
            {'match': ',', 'name': 'punctuation.separator.comma.dagloon'},
            {'match': ':', 'name': 'punctuation.separator.colon.dagloon'},
            {'match': '\\.', 'name': 'punctuation.accessor.dagloon'}]},
        # (ASCII edges: in 'één' the lexer reads two illegal characters and the name 'n')
        'name': {'match': '(?<![A-Za-z0-9_])' + NAME, 'name': 'variable.other.dagloon'},
        # what the lexer refuses: a name with a letter outside ASCII, any other character
        'illegal': {'match': '\\S', 'name': 'invalid.illegal.character.dagloon'},
    }


def language_rules(kws, lang):
    """The repository entry of one language: declarations with their names, citations,
    keywords, built-in types and functions, then the shared literals."""
    by_role = words_by_role(kws, lang)
    all_words = alt(sum(by_role.values(), []))
    not_kw = '(?!(?:%s)\\b)' % all_words
    types = [nl if lang == 'nl' else en for nl, en in pairs('builtin_types')]
    funcs = [nl if lang == 'nl' else en for nl, en in pairs('builtin_funcs')]
    methods = [nl if lang == 'nl' else en for nl, en in pairs('round_methods')]
    w = lambda kind: alt(concept(kws, kind, lang))

    def decl(kw_kinds, scope):
        kw = alt(sum((concept(kws, k, lang) for k in kw_kinds), []))
        return {'match': '\\b(%s)\\s+%s(%s)\\b' % (kw, not_kw, NAME),
                'captures': {'1': {'name': 'storage.type.declaration.dagloon'},
                             '2': {'name': scope}}}

    source_kw = w('SOURCE')
    patterns = [
        {'include': '#comment'},
        # 'bron DB = "Dagloonbesluit ...", BWBR0033471': a source rules can cite
        {'match': '\\b(%s)\\s+%s(%s)\\s*(?==)' % (source_kw, not_kw, NAME),
         'captures': {'1': {'name': 'storage.type.source.dagloon'},
                      '2': {'name': 'entity.name.constant.source.dagloon'}}},
        # 'bron DB art 16 lid 1', 'bron ECLI:...', 'bron "free text"': a citation, to the line's end
        {'begin': '\\b(%s)\\b(?:\\s+%s(%s)\\b(?!:))?' % (source_kw, not_kw, NAME),
         'beginCaptures': {'1': {'name': 'storage.type.source.dagloon'},
                           '2': {'name': 'variable.other.source.dagloon'}},
         'end': '(?=$|=)', 'name': 'meta.citation.dagloon',
         'patterns': [{'include': '#%s_words' % lang}]},
        decl(['RULE'], 'entity.name.function.rule.dagloon'),
        decl(['EXCEPTION'], 'entity.name.function.exception.dagloon'),
        decl(['CHOICE', 'RECORD', 'INPUT'], 'entity.name.type.dagloon'),
        decl(['TABLE'], 'entity.name.function.table.dagloon'),
        decl(['MODULE'], 'entity.name.namespace.dagloon'),
        {'include': '#%s_words' % lang},
    ]
    words = [{'include': '#comment'}, {'include': '#string'}, {'include': '#ecli'},
             {'include': '#bwb'}, {'include': '#money'}, {'include': '#number'}]
    for role in ('declaration', 'control', 'logical', 'constant', 'other'):
        if by_role.get(role):
            words.append({'match': '\\b(?:%s)\\b' % alt(by_role[role]),
                          'name': SCOPES[role].format(lang)})
    words += [
        {'match': '\\b(?:%s)\\b(?=\\s*\\()' % alt(funcs), 'name': 'support.function.builtin.dagloon'},
        {'match': '\\b(?:%s)\\b' % alt(types), 'name': 'support.type.builtin.dagloon'},
        {'match': '\\b(?:%s|cent|euro)\\b' % alt(methods), 'name': 'support.constant.rounding.dagloon'},
        {'include': '#operator'}, {'include': '#punctuation'}, {'include': '#name'},
        {'include': '#illegal'},
    ]
    return patterns, words


def grammar(kws):
    repo = literals()
    for lang in ('nl', 'en'):
        patterns, words = language_rules(kws, lang)
        repo[lang] = {'patterns': patterns}
        repo[lang + '_words'] = {'patterns': words}
    lang_kw = alt([nl for nl, en, k in kws if k == 'LANGUAGE'] + [en for nl, en, k in kws if k == 'LANGUAGE'])
    return {
        '$schema': 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
        'name': 'Dagloon',
        'scopeName': 'source.dagloon',
        'comment': 'GENERATED by tools/editors/gen_grammar.py from lang/lexer.re and lang/check.c; '
                   'do not edit. Dutch keywords unless the file says "language en" (or "taal en").',
        'fileTypes': ['rules'],
        'patterns': [
            {'include': '#comment'},
            # 'language en' switches the rest of the file to English keywords (the lexer: lex_keyword)
            {'begin': '\\b(%s)\\s+(en)\\b' % lang_kw,
             'beginCaptures': {'1': {'name': 'storage.type.language.dagloon'},
                               '2': {'name': 'constant.language.language-code.dagloon'}},
             'end': '(?=x)(?!x)', 'name': 'meta.language.en.dagloon',
             'patterns': [{'include': '#en'}]},
            {'match': '\\b(%s)\\s+(nl)\\b' % lang_kw,
             'captures': {'1': {'name': 'storage.type.language.dagloon'},
                          '2': {'name': 'constant.language.language-code.dagloon'}}},
            {'include': '#nl'},
        ],
        'repository': repo,
    }


# ---------------------------------------------------------------- Vim syntax

VIM_TEMPLATE = r'''" Vim syntax file for Dagloon rule files.
" GENERATED by tools/editors/gen_grammar.py from lang/lexer.re and lang/check.c; do not edit.
" Dutch keywords, or English when the file says 'language en' (or 'taal en') before its first
" declaration; the other language's words are names, as for the lexer. ':e' re-reads the choice.
if exists('b:current_syntax')
  finish
endif

let s:en = 0
for s:line in getline(1, 40)
  if s:line =~# '^\s*\%(language\|taal\)\s\+en\>'
    let s:en = 1
    break
  endif
endfor

syn case match
syn iskeyword @,48-57,_,192-255

syn match dagloonName '\<\h\w*\>' contains=NONE
syn match dagloonOperator '[-+*/=<>]\|<>\|!=\|<=\|>=\|×\|≠\|≤\|≥\|t/m'
syn match dagloonError '=='
syn match dagloonNumber '\<\d\+\>'
syn match dagloonNumber '\<\d\+\.\d\+\>'
syn match dagloonArticle '\<\d\+\a\+'
syn match dagloonPercent '\<\d\+\%(\.\d\+\)\=%'
syn match dagloonDate '\<\d\{4}-\d\d-\d\d\>'
syn match dagloonMoney '\%(€\|\<EUR\)\s*\%(\d\{1,3}\%(\.\d\{3}\)\+\%(,\d\d\)\=\|\d\+\.\d\{1,2}\|\d\+\%(,\d\d\)\=\)\%([.,]\=\d\)\@!'
syn match dagloonBwb '\<BWB[RV]\d\+\>'
syn match dagloonEcli '\<ECLI:\u\u:\w\+:\d\{4}:[A-Za-z0-9.]*[A-Za-z0-9]'
" (Vim: of two matches at one place the later wins; a keyword wins over both)
if s:en
@EN@
else
@NL@
endif
syn keyword dagloonDeclaration taal language

syn match dagloonEscape contained '\\[\\"n]'
syn match dagloonError contained '\\[^\\"n]'
syn region dagloonString start='"' skip='\\\\\|\\"' end='"' end='$' contains=dagloonEscape,dagloonError oneline
syn match dagloonComment '--.*$' contains=dagloonTodo,@Spell
syn keyword dagloonTodo contained TODO FIXME XXX KEUZE
syn match dagloonTodo contained 'OPEN VRAAG'

hi def link dagloonDeclaration Statement
hi def link dagloonConditional Conditional
hi def link dagloonLogical Operator
hi def link dagloonBoolean Boolean
hi def link dagloonKeyword Keyword
hi def link dagloonType Type
hi def link dagloonFunction Function
hi def link dagloonConstant Constant
hi def link dagloonDeclName Identifier
hi def link dagloonOperator Operator
hi def link dagloonNumber Number
hi def link dagloonArticle Number
hi def link dagloonPercent Number
hi def link dagloonDate Constant
hi def link dagloonMoney Number
hi def link dagloonBwb Constant
hi def link dagloonEcli Constant
hi def link dagloonString String
hi def link dagloonEscape SpecialChar
hi def link dagloonComment Comment
hi def link dagloonTodo Todo
hi def link dagloonError Error

let b:current_syntax = 'dagloon'
'''


def vim_lang(kws, lang):
    by_role = words_by_role(kws, lang)
    lines = []
    for role in ('declaration', 'control', 'logical', 'constant', 'other'):
        words = [x for x in by_role.get(role, []) if x not in ('taal', 'language')]
        if words:
            lines.append('  syn keyword %s %s' % (VIM_GROUPS[role], ' '.join(words)))
    pick = lambda table: [nl if lang == 'nl' else en for nl, en in pairs(table)]
    lines.append('  syn keyword dagloonType %s' % ' '.join(pick('builtin_types')))
    lines.append("  syn match dagloonFunction '\\<\\%%(%s\\)\\>\\ze\\s*('" % '\\|'.join(pick('builtin_funcs')))
    lines.append('  syn keyword dagloonConstant %s cent euro' % ' '.join(pick('round_methods')))
    decl = alt(concept(kws, 'RULE', lang) + concept(kws, 'EXCEPTION', lang) + concept(kws, 'CHOICE', lang)
               + concept(kws, 'RECORD', lang) + concept(kws, 'INPUT', lang) + concept(kws, 'TABLE', lang)
               + concept(kws, 'SOURCE', lang)).replace('|', '\\|')
    # (not the ECLI of 'bron ECLI:NL:...')
    lines.append("  syn match dagloonDeclName '\\%%(\\<\\%%(%s\\)\\s\\+\\)\\@<=\\h\\w*\\>\\%%(:\\u\\u:\\)\\@!'" % decl)
    return '\n'.join(lines)


def vim_syntax(kws):
    # the name matches come first in the file, so keywords (syn keyword wins over syn match) and
    # later matches take precedence over them
    text = VIM_TEMPLATE.replace('@EN@', vim_lang(kws, 'en')).replace('@NL@', vim_lang(kws, 'nl'))
    return text


def outputs():
    kws = keywords()
    return {TM_OUT: json.dumps(grammar(kws), indent=2, ensure_ascii=False) + '\n',
            VIM_OUT: vim_syntax(kws)}


def main():
    check = sys.argv[1:] == ['--check']
    if sys.argv[1:] and not check:
        sys.exit('usage: gen_grammar.py [--check]')
    bad = 0
    for path, text in outputs().items():
        old = read(path) if os.path.exists(path) else ''
        if old == text:
            continue
        if check:
            bad = 1
            rel = os.path.relpath(path, ROOT)
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True), rel, rel + ' (generated)'))
            print('error: %s is not what lang/lexer.re and lang/check.c give; run python3 tools/editors/gen_grammar.py' % rel)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
            print('wrote', os.path.relpath(path, ROOT))
    sys.exit(bad)


if __name__ == '__main__':
    main()
