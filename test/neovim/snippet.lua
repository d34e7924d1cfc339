-- Loaded after a README snippet (the user's init.lua): opens FIXTURE as a user would and waits for the server's
-- diagnostics, which only arrive if the snippet started the server and attached the buffer.
-- Run: FIXTURE=file.yaml nvim --headless -u init.lua -i NONE -c 'luafile test/neovim/snippet.lua'
local fixture = os.getenv('FIXTURE')
vim.cmd('edit ' .. fixture)
local bufnr = vim.api.nvim_get_current_buf()
local function found()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'max-len-exceeds-kv' or (d.user_data and d.user_data.lsp and d.user_data.lsp.code == 'max-len-exceeds-kv') then return true end
  end
  return false
end
local ok = vim.wait(20000, found, 100)
local clients = vim.tbl_count(vim.lsp.buf_get_clients(bufnr))
io.stdout:write(string.format('filetype=%s clients=%d diagnostic=%s\n', vim.bo[bufnr].filetype, clients, tostring(ok)))
-- A second YAML buffer shares the one server.
vim.cmd('edit ' .. fixture .. '.copy.yaml')
vim.wait(2000, function() return vim.tbl_count(vim.lsp.buf_get_clients(0)) > 0 end, 50)
local servers = {}
for _, c in pairs(vim.lsp.get_active_clients()) do servers[c.id] = true end
io.stdout:write(string.format('second buffer clients=%d servers=%d\n', vim.tbl_count(vim.lsp.buf_get_clients(0)), vim.tbl_count(servers)))
for _, c in pairs(vim.lsp.get_active_clients()) do c.stop() end
if ok and clients == 1 then vim.cmd('qall!') else vim.cmd('cquit 1') end
