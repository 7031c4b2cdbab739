-- Headless test of lua/dagloon.lua on Neovim 0.7 (run by tools/editors/test.sh): setup() with the
-- server command from $LSP_CMD (a JSON list), a rule file with an error opened from $RULE_FILE;
-- the server must be started for the file's folder and a diagnostic must arrive within 20 s
-- (vim.diagnostic.get). Prints the diagnostic; exits 1 (cquit) when something is wrong.
local cmd = vim.fn.json_decode(vim.env.LSP_CMD)
local file = vim.env.RULE_FILE
local want_line = tonumber(vim.env.WANT_LINE or '') -- 1-based line the diagnostic must be on
local failures = {}
local function fail(msg) table.insert(failures, msg) end

require('dagloon').setup({ cmd = cmd, datum = vim.env.DATUM })
vim.cmd('edit ' .. vim.fn.fnameescape(file))
if vim.bo.filetype ~= 'dagloon' then fail('filetype is ' .. vim.bo.filetype .. ', not dagloon') end

-- (Neovim 0.7 lists a client for the buffer once it has answered initialize)
local client
vim.wait(10000, function()
  for _, c in pairs(vim.lsp.buf_get_clients(0)) do client = c end
  return client ~= nil
end, 50)
if client == nil then
  fail('no language server attached to the buffer')
else
  local root = vim.fn.fnamemodify(file, ':p:h')
  if client.config.root_dir ~= root then fail('root_dir ' .. tostring(client.config.root_dir) .. ', want ' .. root) end
  local got = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  if not got then
    fail('no diagnostic from ' .. table.concat(cmd, ' ') .. ' within 20 s')
  else
    local d = vim.diagnostic.get(0)[1]
    io.stdout:write(string.format('diagnostic: line %d col %d severity %d: %s\n', d.lnum + 1, d.col + 1, d.severity, d.message))
    if d.severity ~= vim.diagnostic.severity.ERROR then fail('severity ' .. d.severity .. ', want ERROR') end
    if want_line and d.lnum + 1 ~= want_line then fail('diagnostic on line ' .. (d.lnum + 1) .. ', want ' .. want_line) end
    if d.message == nil or d.message == '' then fail('empty message') end
  end
  -- a second file of the same folder shares the server (one per rule set)
  local other = vim.env.OTHER_FILE
  if other then
    vim.cmd('edit ' .. vim.fn.fnameescape(other))
    local ids = {}
    for id in pairs(vim.lsp.buf_get_clients(0)) do table.insert(ids, id) end
    if #ids ~= 1 or ids[1] ~= client.id then fail('the second file of the folder did not get the same server: ' .. vim.inspect(ids)) end
  end
  -- a case file and a table elsewhere join the running server
  for _, f in ipairs({ vim.env.CASE_FILE, vim.env.CSV_FILE }) do
    if f and f ~= '' then
      vim.cmd('edit ' .. vim.fn.fnameescape(f))
      local ids = {}
      for id in pairs(vim.lsp.buf_get_clients(0)) do table.insert(ids, id) end
      if #ids ~= 1 or ids[1] ~= client.id then fail(f .. ' did not join the running server: ' .. vim.inspect(ids)) end
      if f:match('%.case$') and vim.bo.filetype ~= 'yaml' then fail('a case file is ' .. vim.bo.filetype .. ', not yaml') end
    end
  end
  client.stop()
  vim.wait(2000, function() return client.is_stopped() end, 50)
end

if #failures > 0 then
  for _, f in ipairs(failures) do io.stdout:write('FAIL: ' .. f .. '\n') end
  vim.cmd('cquit 1')
end
io.stdout:write('vim package: the language server was started for the folder and sent a diagnostic\n')
vim.cmd('qall!')
