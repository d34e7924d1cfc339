-- Headless Neovim (0.7+) as a second real LSP client of dist/server.js: diagnostics, hover, code action.
-- Run: SERVER_JS=dist/server.js FIXTURE=file.yaml nvim --headless --clean -c 'luafile test/neovim/check.lua'
local server = os.getenv('SERVER_JS')
local fixture = os.getenv('FIXTURE')
local results = {}
local function check(name, ok, detail)
  table.insert(results, (ok and 'PASS ' or 'FAIL ') .. name .. (detail and (': ' .. detail) or ''))
end

vim.cmd('edit ' .. fixture)
local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = 'yaml'
local client_id = vim.lsp.start_client({
  name = 'deploy-advisor',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(bufnr, client_id)

local function diagnostics()
  return vim.diagnostic.get(bufnr)
end
local function find(code)
  for _, d in ipairs(diagnostics()) do
    if d.code == code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code == code) then return d end
  end
end

vim.wait(15000, function() return find('max-len-exceeds-kv') ~= nil end, 100)
local d = find('max-len-exceeds-kv')
check('diagnostic', d ~= nil and d.lnum == 3 and d.message:find('32768%-token request needs') ~= nil, d and (d.lnum .. ' ' .. d.message) or vim.inspect(diagnostics()))

if d then
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = d.lnum, character = d.col + 1 },
  }, 5000)
  local text = ''
  for _, r in pairs(hover or {}) do
    if r.result and r.result.contents then text = text .. (r.result.contents.value or '') end
  end
  check('hover', text:find('max%-model%-len') ~= nil and text:find('GiB of KV per GPU') ~= nil, text:sub(1, 120))

  -- Neovim keeps the LSP fields (code, data) in user_data.lsp but not the range: rebuild the diagnostic.
  local range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col } }
  local lsp_diag = { range = range, message = d.message, code = 'max-len-exceeds-kv', severity = d.severity }
  local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag } },
  }, 5000)
  local fp8
  for _, r in pairs(actions or {}) do
    for _, a in ipairs(r.result or {}) do
      if a.title:find('kv%-cache%-dtype: fp8') then fp8 = a end
    end
  end
  check('code action offered', fp8 ~= nil, fp8 and fp8.title)
  if fp8 then
    vim.lsp.util.apply_workspace_edit(fp8.edit, 'utf-16')
    local text_after = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
    check('edit applied', text_after:find('kv%-cache%-dtype: fp8') ~= nil)
    local cleared = vim.wait(15000, function() return find('max-len-exceeds-kv') == nil end, 100)
    check('diagnostic cleared', cleared)
  end
end

-- Completion on the model value: the item replaces the whole value (a textEdit from after `model: ` to the line end).
local items = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = 2, character = 20 },
}, 5000)
local qwen
for _, r in pairs(items or {}) do
  for _, i in ipairs((r.result and (r.result.items or r.result)) or {}) do
    if i.label == 'Qwen/Qwen3-8B' then qwen = i end
  end
end
local e = qwen and qwen.textEdit
check('completion replaces the whole model value', e ~= nil and e.range.start.character == 7 and e.range['end'].character == 39 and e.newText == 'Qwen/Qwen3-8B', vim.inspect(e))

local failed = 0
for _, line in ipairs(results) do
  io.stdout:write(line .. '\n')
  if line:sub(1, 4) == 'FAIL' then failed = failed + 1 end
end
io.stdout:write(string.format('%d passed, %d failed\n', #results - failed, failed))
vim.lsp.stop_client(client_id)
if failed > 0 then vim.cmd('cquit 1') else vim.cmd('qall!') end
