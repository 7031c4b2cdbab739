-- Neovim set-up of tools/editors/screenshot.sh: only the Dagloon package, the server from $DAGLOON.
vim.opt.runtimepath:prepend(vim.env.DAGLOON_VIM)
vim.cmd('filetype plugin on')
vim.cmd('syntax on')
vim.opt.number = true
vim.opt.laststatus = 2
vim.opt.shortmess:append('I')
vim.diagnostic.config({ virtual_text = true, signs = true, underline = true })
vim.lsp.handlers['textDocument/hover'] = vim.lsp.with(vim.lsp.handlers.hover, { border = 'rounded' })
vim.cmd('highlight SignColumn ctermbg=NONE')
vim.cmd('highlight NormalFloat ctermbg=236 ctermfg=252')
vim.cmd('highlight FloatBorder ctermbg=236 ctermfg=244')
require('dagloon').setup({ cmd = { vim.env.DAGLOON, 'lsp' } })

-- :DagloonShow LINE COL — wait for the server and its diagnostics and put the cursor on LINE/COL
-- (COL from 0); :DagloonHover — hover there, wait for its window, write the file $DAGLOON_DONE for
-- the script to capture the screen. (Two commands: the cursor moved within the hover's command
-- would close the hover window again, on CursorMoved, as soon as that command returned.)
local function attached() return next(vim.lsp.buf_get_clients(0)) ~= nil end

vim.api.nvim_create_user_command('DagloonShow', function(args)
  if vim.wait(10000, attached, 100) then
    vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 100)
  end
  vim.api.nvim_win_set_cursor(0, { tonumber(args.fargs[1]), tonumber(args.fargs[2]) })
end, { nargs = '+' })

vim.api.nvim_create_user_command('DagloonHover', function()
  if attached() then
    vim.lsp.buf.hover()
    vim.wait(5000, function()
      for _, w in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(w).relative ~= '' then return true end
      end
      return false
    end, 100)
  end
  vim.cmd('redraw')
  vim.fn.writefile({ 'done' }, vim.env.DAGLOON_DONE)
end, {})
