-- Headless test of the Vim package (run by tools/editors/test.sh): filetype detection (Dagloon
-- versus udev and snort *.rules), the ftplugin, and the syntax groups of the sample files the
-- VS Code grammar tests use too, in both languages. Exits 1 (cquit) on the first list of failures.
local samples = vim.env.SAMPLES
local tmp = vim.env.TMPDIR_TEST
local failures = {}

local function fail(msg) table.insert(failures, msg) end

local function expect(what, got, want)
  if got ~= want then fail(string.format('%s: got %s, want %s', what, vim.inspect(got), vim.inspect(want))) end
end

local function open(path)
  vim.cmd('silent! %bwipeout!')
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
end

-- the syntax group at the nth occurrence of `token` on the first line that starts with `line_text`
local function group_at(line_text, token, nth)
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  for lnum, l in ipairs(lines) do
    if vim.trim(l):sub(1, #line_text) == line_text then
      local col = 0
      for _ = 1, (nth or 1) do
        col = l:find(token, col + 1, true)
        if col == nil then return 'no ' .. token .. ' on line ' .. lnum end
      end
      return vim.fn.synIDattr(vim.fn.synID(lnum, col, 1), 'name')
    end
  end
  return 'no line with ' .. line_text
end

local function syn(line_text, token, want, nth)
  expect(string.format("'%s' in '%s'", token, line_text), group_at(line_text, token, nth), want)
end

local function write(path, lines)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  vim.fn.writefile(lines, path)
end

-- Dutch
open(samples .. '/sample_nl.rules')
expect('filetype of sample_nl.rules', vim.bo.filetype, 'dagloon')
expect('commentstring', vim.bo.commentstring, '-- %s')
expect('b:current_syntax', vim.b.current_syntax, 'dagloon')
syn('taal nl', 'taal', 'dagloonDeclaration')
syn('module voorbeeld', 'module', 'dagloonDeclaration')
syn('bron DB = "Dagloon', 'bron', 'dagloonDeclaration')
syn('bron DB = "Dagloon', '"Dagloon', 'dagloonString')
syn('bron DB = "Dagloon', 'BWBR0033471', 'dagloonBwb')
syn('keuze Sector', 'Sector', 'dagloonDeclName')
syn('invoer Dossier sleutel id', 'sleutel', 'dagloonKeyword')
syn('eerste_ao_dag: datum -- de', 'datum', 'dagloonType')
syn('eerste_ao_dag: datum -- de', '-- de', 'dagloonComment')
syn('regel totaal: geld label', 'regel', 'dagloonDeclaration')
syn('regel totaal: geld label', 'totaal', 'dagloonDeclName')
syn('regel totaal: geld label', 'label', 'dagloonDeclaration')
syn('bron DB art 14 lid 1', 'art', 'dagloonKeyword')
syn('bron DB art 14 lid 1', '14', 'dagloonNumber')
syn('bron DB art 12b lid 2', '12b', 'dagloonArticle')
syn('bron ECLI:NL', 'ECLI', 'dagloonEcli')
syn('= som(r.sv_loon', 'som', 'dagloonFunction')
syn('= som(r.sv_loon', 'voor', 'dagloonConditional')
syn('= som(r.sv_loon', '2023-01-01', 'dagloonDate')
syn('versie geldig vanaf', 't/m', 'dagloonOperator')
syn('= afgerond(totaal', 'rekenkundig', 'dagloonConstant')
syn('regel laag:', '€ 1.234,56', 'dagloonMoney')
syn('regel laag:', 'EUR 73.55', 'dagloonMoney')
syn('regel laag:', '70%', 'dagloonPercent')
syn('regel laag:', 'niet', 'dagloonLogical')
syn('regel laag:', 'onwaar', 'dagloonBoolean')
syn('regel rule: tekst', 'rule', 'dagloonDeclName')
syn('regel rule: tekst', '\\"', 'dagloonEscape')
syn('regel x: geheel = if_ + source', 'source', 'dagloonName')
syn('regel fout: tekst', '==', 'dagloonError')
syn('-- KEUZE [een-keuze]', 'KEUZE', 'dagloonTodo')

-- English after 'language en'
open(samples .. '/sample_en.rules')
expect('filetype of sample_en.rules', vim.bo.filetype, 'dagloon')
syn('language en', 'language', 'dagloonDeclaration')
syn('source DB = "Dagloon', 'source', 'dagloonDeclaration')
syn('rule total: money', 'rule', 'dagloonDeclaration')
syn('rule total: money', 'money', 'dagloonType')
syn('source DB art 14 para 1', 'para', 'dagloonKeyword')
syn('= sum(w.amount', 'where', 'dagloonConditional')
syn('rule capped: bool', 'else', 'dagloonConditional')
syn('rule regel: integer', 'regel', 'dagloonDeclName')
syn('rule regel: integer', 'als', 'dagloonName')
syn('rule regel: integer', 'waarbij', 'dagloonName')

-- *.rules that are not Dagloon's
write(tmp .. '/etc/udev/rules.d/99-usb.rules', { 'ACTION=="add", SUBSYSTEM=="usb", MODE="0664"' })
open(tmp .. '/etc/udev/rules.d/99-usb.rules')
expect('filetype of an udev rule file', vim.bo.filetype, 'udevrules')
write(tmp .. '/etc/udev/rules.d/10-regel.rules', { '-- a Dagloon-looking file where udev reads', 'regel x: geheel = 1' })
open(tmp .. '/etc/udev/rules.d/10-regel.rules')
expect('filetype of a Dagloon-looking file under /etc/udev', vim.bo.filetype, 'udevrules')
write(tmp .. '/ids/local.rules', { '# snort', 'alert tcp any any -> any 80 (msg:"x"; sid:1;)' })
open(tmp .. '/ids/local.rules')
expect('filetype of a snort rule file', vim.bo.filetype, 'hog')
write(tmp .. '/set/a.rules', { '', 'regel x: geheel = 1' })
open(tmp .. '/set/a.rules')
expect('filetype of a rule file starting with a declaration', vim.bo.filetype, 'dagloon')
open(tmp .. '/set/new.rules')
expect('filetype of a new empty .rules file', vim.bo.filetype, 'dagloon')

open(tmp .. '/set/a.case')
expect('filetype of a case file', vim.bo.filetype, 'yaml')

if #failures > 0 then
  for _, f in ipairs(failures) do io.stdout:write('FAIL: ' .. f .. '\n') end
  vim.cmd('cquit 1')
end
io.stdout:write('vim package: filetype, ftplugin and syntax groups ok\n')
vim.cmd('qall!')
