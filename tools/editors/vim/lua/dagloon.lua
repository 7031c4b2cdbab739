-- Neovim's built-in LSP client for Dagloon rule files, written for Neovim 0.7 (Debian 12), which
-- has no vim.lsp.start: one 'dagloon lsp' per rule set (the folder of the file, a rule set being a
-- folder), started with vim.lsp.start_client and attached to each buffer of that folder on FileType.
-- Case files (*.case) and table CSVs (*.csv), which the server checks too, join a running server
-- (that of their own folder, else any), and start one for their folder only when none runs.
--
--   require('dagloon').setup({ cmd = { '/path/to/dagloon', 'lsp' }, datum = '2024-07-01' })
--
-- cmd: the server (default: $DAGLOON or 'dagloon' on PATH, with 'lsp'); datum: the date for which
-- hover shows table rows (sent as initializationOptions.datum). The locale is sent from LC_ALL,
-- LC_MESSAGES or LANG.
local M = {}

local config = {}
local clients = {} -- rule-set folder -> client id

local function server_cmd()
  if config.cmd then return config.cmd end
  local bin = vim.env.DAGLOON
  if bin == nil or bin == '' then bin = 'dagloon' end
  return { bin, 'lsp' }
end

-- Neovim 0.7 sends no locale in initialize; the server chooses its messages' language by it
-- (issue 17 part 4), so it is taken from the environment as gettext would: 'nl_NL.UTF-8' -> 'nl-NL'.
local function locale()
  for _, var in ipairs({ 'LC_ALL', 'LC_MESSAGES', 'LANG' }) do
    local v = vim.env[var]
    if v ~= nil and v ~= '' then
      if v == 'C' or v == 'POSIX' or v:match('^C%.') then return nil end
      return (v:gsub('[.@].*$', ''):gsub('_', '-'))
    end
  end
  return nil
end

local function on_attach(_, bufnr)
  local opts = { buffer = bufnr, silent = true }
  vim.api.nvim_buf_set_option(bufnr, 'omnifunc', 'v:lua.vim.lsp.omnifunc')
  vim.keymap.set('n', 'K', vim.lsp.buf.hover, opts)
  vim.keymap.set('n', 'gd', vim.lsp.buf.definition, opts)
  vim.keymap.set('n', 'gr', vim.lsp.buf.references, opts)
  vim.keymap.set('n', '<leader>rn', vim.lsp.buf.rename, opts)
  vim.keymap.set('n', '<leader>ca', vim.lsp.buf.code_action, opts)
end

local function running(id) return id ~= nil and vim.lsp.get_client_by_id(id) ~= nil end

-- Starts (or finds) the server of the buffer's rule set and attaches the buffer to it; `shared`:
-- any running server will do (case files and tables).
function M.attach(bufnr, shared)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then return nil end
  local root = vim.fn.fnamemodify(name, ':p:h')
  local id = clients[root]
  if shared and not running(id) then
    for _, other in pairs(clients) do
      if running(other) then id = other break end
    end
  end
  if not running(id) then
    local cmd = server_cmd()
    if vim.fn.executable(cmd[1]) ~= 1 then
      vim.notify('dagloon: cannot run ' .. cmd[1] .. " (set DAGLOON or setup{cmd=...})", vim.log.levels.WARN)
      return nil
    end
    id = vim.lsp.start_client({
      name = 'dagloon',
      cmd = cmd,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      init_options = config.datum and { datum = config.datum } or vim.empty_dict(),
      on_attach = on_attach,
      before_init = function(params)
        if params.locale == nil then params.locale = locale() end
      end,
      on_exit = function() clients[root] = nil end,
    })
    if id == nil then return nil end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

function M.setup(opts)
  config = opts or {}
  local group = vim.api.nvim_create_augroup('dagloon_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'dagloon',
    callback = function(args) M.attach(args.buf) end,
  })
  vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
    group = group,
    pattern = { '*.case', '*.csv', '*.CSV' },
    callback = function(args) M.attach(args.buf, true) end,
  })
  -- buffers already open when setup runs
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == 'dagloon' then M.attach(buf) end
  end
end

return M
