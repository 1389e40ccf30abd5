-- Headless Neovim (0.7+) driving its built-in LSP client against the language server over stdio.
-- Writes what it observed as JSON to LSP_OUT and quits; test/e2e/nvim/run-nvim.mjs asserts on that JSON
-- (nvim itself exits 0 whatever happens).
--
-- Env: LSP_CMD   JSON array, e.g. ["node","dist/server.js","--stdio"]
--      LSP_ROOT  workspace root (where tsconfig.json is, so path aliases resolve)
--      LSP_FILE  file to open
--      LSP_RULE  rule id of the diagnostic to fix;  LSP_FIX  title prefix of the code action to apply
--      LSP_OUT   JSON output path;  LSP_TIMEOUT_MS  per wait (default 20000)
local cmd = vim.fn.json_decode(os.getenv('LSP_CMD'))
local root = os.getenv('LSP_ROOT')
local file = os.getenv('LSP_FILE')
local rule = os.getenv('LSP_RULE')
local fix_prefix = os.getenv('LSP_FIX')
local out = os.getenv('LSP_OUT')
local timeout = tonumber(os.getenv('LSP_TIMEOUT_MS') or '20000')
local SOURCE = 'server-action-guard'

local result = { steps = {} }
local function step(name) table.insert(result.steps, name) end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function ours(buf)
  return vim.tbl_filter(function(d) return d.source == SOURCE end, vim.diagnostic.get(buf))
end

local function describe(diags)
  return vim.tbl_map(function(d)
    return { line = d.lnum, col = d.col, end_line = d.end_lnum, end_col = d.end_col, severity = d.severity,
             message = d.message, source = d.source, code = code_of(d) }
  end, diags)
end

local function buffer_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local stderr = {}
  local client_id = vim.lsp.start_client({
    name = 'server-action-guard',
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'fixture' } },
    on_stderr = function(_, data) table.insert(stderr, data) end,
    on_exit = function(code, signal) result.server_exit = { code = code, signal = signal } end,
  })
  assert(client_id, 'start_client failed')
  vim.lsp.buf_attach_client(buf, client_id)
  step('started')

  local arrived = vim.wait(timeout, function() return #ours(buf) > 0 or result.server_exit ~= nil end, 50)
  result.diagnostics = describe(ours(buf))
  result.server_stderr = table.concat(stderr, ''):sub(1, 2000)
  if result.server_exit and #result.diagnostics == 0 then
    error(string.format('the server exited (code %s, signal %s) before publishing diagnostics',
      result.server_exit.code, result.server_exit.signal))
  end
  assert(arrived and #result.diagnostics > 0, 'no diagnostics from ' .. SOURCE .. ' within ' .. timeout .. ' ms')
  step('diagnostics')

  -- Ask for code actions on the first diagnostic of the rule, sending the LSP diagnostic back as context (nvim 0.7
  -- keeps only code/data/tags in user_data, so rebuild it).
  local target
  for _, d in ipairs(ours(buf)) do
    if code_of(d) == rule then target = d break end
  end
  assert(target, 'no ' .. rule .. ' diagnostic')
  result.target = describe({ target })[1]
  local lsp = (target.user_data and target.user_data.lsp) or {}
  local range = { start = { line = target.lnum, character = target.col },
                  ['end'] = { line = target.end_lnum, character = target.end_col } }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = range,
    context = { diagnostics = { { range = range, severity = target.severity, message = target.message,
                                  source = target.source, code = code_of(target), data = lsp.data } } },
  }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, timeout)
  local actions = {}
  for _, r in pairs(responses or {}) do
    for _, a in ipairs(r.result or {}) do table.insert(actions, a) end
  end
  result.code_actions = vim.tbl_map(function(a) return { title = a.title, kind = a.kind, has_edit = a.edit ~= nil } end, actions)
  step('code actions')

  local chosen
  for _, a in ipairs(actions) do
    if a.title:sub(1, #fix_prefix) == fix_prefix then chosen = a break end
  end
  assert(chosen, 'no code action titled "' .. fix_prefix .. '..."')
  if not chosen.edit and chosen.data then
    local resolved = vim.lsp.buf_request_sync(buf, 'codeAction/resolve', chosen, timeout)
    for _, r in pairs(resolved or {}) do if r.result then chosen = r.result end end
  end
  assert(chosen.edit, 'the code action has no edit')
  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  result.applied = chosen.title
  result.text_after_fix = buffer_text(buf)
  step('applied')

  -- The fixed diagnostic is gone once a diagnostic with its code and message no longer exists.
  result.cleared = vim.wait(timeout, function()
    for _, d in ipairs(ours(buf)) do
      if code_of(d) == rule and d.message == target.message then return false end
    end
    return true
  end, 50)
  result.diagnostics_after_fix = describe(ours(buf))
  step('after fix')
  vim.lsp.stop_client(client_id)
end)
if not ok then result.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
vim.cmd('qall!')
