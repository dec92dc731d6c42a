-- Headless Neovim 0.11 test: the repository's editors/neovim config (lsp/iam_policy_ls.lua +
-- vim.lsp.enable) attaches iam-policy-ls to a policy; asserts our diagnostics, a completion list
-- containing ecs:RunTask, and a hover. Exits 0 on success, `cquit N` on failure.
-- Environment: IAM_RTP (editors/neovim), IAM_SERVER, IAM_POLICY, EXPECT (`CODE@LINE,...`),
-- IAM_TIMEOUT_MS, IAM_MODE (`test` or `shot`: for the tmux screenshot, set up and stop there).

local mode = os.getenv('IAM_MODE') or 'test'

local function log(msg)
  if mode ~= 'shot' then -- in the TUI, stderr would draw over the screen
    io.stderr:write('[nvim] ' .. msg .. '\n')
  end
end
local timeout = tonumber(os.getenv('IAM_TIMEOUT_MS') or '15000')

vim.opt.runtimepath:prepend(assert(os.getenv('IAM_RTP'), 'IAM_RTP'))
vim.opt.swapfile = false
vim.opt.shortmess:append('I')
vim.opt.completeopt = { 'menuone', 'noinsert', 'popup' }
vim.diagnostic.config({ virtual_text = true, signs = true, underline = true, update_in_insert = true })
vim.lsp.config('iam_policy_ls', { cmd = { assert(os.getenv('IAM_SERVER'), 'IAM_SERVER'), 'serve' } })
vim.lsp.enable('iam_policy_ls')

local function main()
  vim.cmd.edit(vim.fn.fnameescape(vim.fn.fnamemodify((assert(os.getenv('IAM_POLICY'), 'IAM_POLICY')), ':.')))
  local buf = vim.api.nvim_get_current_buf()
  log('filetype ' .. vim.bo[buf].filetype)

  local attached = vim.wait(timeout, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'iam_policy_ls' }) > 0
  end, 50)
  assert(attached, 'iam_policy_ls did not attach')
  local client = vim.lsp.get_clients({ bufnr = buf, name = 'iam_policy_ls' })[1]
  assert(
    vim.wait(timeout, function()
      return client.initialized == true
    end, 50),
    'server did not initialize'
  )
  log('attached: ' .. (client.server_info and client.server_info.name or '?'))

  -- Diagnostics: each expected CODE@LINE, from our server (`source`), pushed or pulled.
  local expected = {}
  for item in (os.getenv('EXPECT') or 'A009@5'):gmatch('[^,]+') do
    local code, line = item:match('^(.-)@(%d+)$')
    table.insert(expected, { code = code, line = tonumber(line) })
  end
  local function missing()
    local out = {}
    for _, e in ipairs(expected) do
      local found = false
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        if d.source == 'iam-policy-ls' and tostring(d.code) == e.code and d.lnum == e.line then
          found = true
        end
      end
      if not found then
        table.insert(out, e.code .. '@' .. e.line)
      end
    end
    return out
  end
  local ok = vim.wait(timeout, function()
    return #missing() == 0
  end, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    log(('diagnostic %s:%d:%d %s %s'):format(d.source, d.lnum, d.col, tostring(d.code), d.message))
  end
  assert(ok, 'missing diagnostics: ' .. table.concat(missing(), ', '))
  log('diagnostics ok')

  if mode == 'shot' then
    return
  end

  -- Completion inside "ecs:DescribeCluster", right after `ecs:`.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local cline, ccol
  for i, l in ipairs(lines) do
    local s = l:find('"ecs:DescribeCluster"', 1, true)
    if s then
      cline, ccol = i - 1, s + #'"ecs:' - 1
    end
  end
  assert(cline, 'fixture has no "ecs:DescribeCluster"')
  local caps = client.server_capabilities
  assert(caps.completionProvider, 'the server does not advertise completion')
  do
    local res = vim.lsp.buf_request_sync(buf, 'textDocument/completion', {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      position = { line = cline, character = ccol },
    }, timeout)
    local labels = {}
    for _, r in pairs(res or {}) do
      assert(not r.err, 'completion error: ' .. vim.inspect(r.err))
      local items = r.result and (r.result.items or r.result) or {}
      for _, it in ipairs(items) do
        labels[it.label] = true
      end
    end
    assert(labels['ecs:RunTask'], 'completion has no ecs:RunTask (' .. vim.tbl_count(labels) .. ' items)')
    log('completion ok: ' .. vim.tbl_count(labels) .. ' items including ecs:RunTask')
  end

  -- Hover on "ecs:RunTask".
  local hline, hcol
  for i, l in ipairs(lines) do
    local s = l:find('"ecs:RunTask"', 1, true)
    if s then
      hline, hcol = i - 1, s + 4
    end
  end
  assert(caps.hoverProvider, 'the server does not advertise hover')
  do
    local res = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      position = { line = hline, character = hcol },
    }, timeout)
    local text = ''
    for _, r in pairs(res or {}) do
      assert(not r.err, 'hover error: ' .. vim.inspect(r.err))
      if r.result and r.result.contents then
        local c = r.result.contents
        text = type(c) == 'string' and c or (c.value or vim.inspect(c))
      end
    end
    assert(text:find('RunTask', 1, true), 'hover on ecs:RunTask is empty or unrelated: ' .. text)
    log('hover ok: ' .. vim.split(text, '\n')[1])
  end

  -- Code actions on the A009 diagnostic (a quick fix is expected: `Allow`).
  assert(caps.codeActionProvider, 'the server does not advertise code actions')
  do
    local diag
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'A009' then
        diag = d.user_data and d.user_data.lsp or nil
      end
    end
    assert(diag, 'no LSP diagnostic behind A009')
    local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      range = diag.range,
      context = { diagnostics = { diag }, only = { 'quickfix' } },
    }, timeout)
    local titles = {}
    for _, r in pairs(res or {}) do
      assert(not r.err, 'codeAction error: ' .. vim.inspect(r.err))
      for _, a in ipairs(r.result or {}) do
        table.insert(titles, a.title)
      end
    end
    assert(#titles > 0, 'no quick fix for A009')
    log('code actions ok: ' .. table.concat(titles, '; '))
  end

  -- The simulate command, through :IamPolicySimulate (editors/neovim/plugin).
  local cmds = caps.executeCommandProvider and caps.executeCommandProvider.commands or {}
  assert(vim.tbl_contains(cmds, 'iam-policy-ls.simulate'), 'the server does not advertise iam-policy-ls.simulate')
  do
    local shown
    local notify = vim.notify
    vim.notify = function(msg)
      shown = msg
    end
    vim.cmd('IamPolicySimulate ecs:RunTask arn:aws:ecs:us-east-1:111122223333:task-definition/web:1')
    vim.wait(timeout, function()
      return shown ~= nil
    end, 50)
    vim.notify = notify
    assert(shown and shown:find('Decision:', 1, true), 'simulate showed: ' .. tostring(shown))
    log('simulate ok: ' .. shown:gsub('\n', ' | '))
  end
end

-- A host document (CloudFormation YAML template, Terraform file): the server attaches (filetypes
-- yaml and terraform), shows B002 on the misspelt `s3:GetObjekt` and completes after the `s3:`
-- of `s3:PutObject`.
local function check_host(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  log('host ' .. vim.fn.fnamemodify(path, ':t') .. ': filetype ' .. vim.bo[buf].filetype)
  assert(
    vim.wait(timeout, function()
      return #vim.lsp.get_clients({ bufnr = buf, name = 'iam_policy_ls' }) > 0
    end, 50),
    'iam_policy_ls did not attach to ' .. path
  )
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local dline, cline, ccol
  for i, l in ipairs(lines) do
    if l:find('s3:GetObjekt', 1, true) then
      dline = i - 1
    end
    local s = l:find('s3:PutObject', 1, true)
    if s then
      cline, ccol = i - 1, s + #'s3:' - 1
    end
  end
  local ok = vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.source == 'iam-policy-ls' and tostring(d.code) == 'B002' and d.lnum == dline then
        return true
      end
    end
    return false
  end, 50)
  assert(ok, 'no B002 diagnostic on line ' .. tostring(dline) .. ' of ' .. path)
  log('host diagnostic ok: B002 on line ' .. dline)
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = cline, character = ccol },
  }, timeout)
  local labels = {}
  for _, r in pairs(res or {}) do
    assert(not r.err, 'completion error: ' .. vim.inspect(r.err))
    local items = r.result and (r.result.items or r.result) or {}
    for _, it in ipairs(items) do
      labels[it.label] = true
    end
  end
  assert(labels['s3:GetObject'], 'completion in ' .. path .. ' has no s3:GetObject')
  log('host completion ok: ' .. vim.tbl_count(labels) .. ' items including s3:GetObject')
end

local function run()
  local ok, err = pcall(main)
  if ok and mode ~= 'shot' then
    ok, err = pcall(check_host, assert(os.getenv('TEMPLATE'), 'TEMPLATE'))
  end
  if ok and mode ~= 'shot' then
    ok, err = pcall(check_host, assert(os.getenv('TF'), 'TF'))
  end
  if mode == 'shot' then
    if not ok then
      log('FAIL ' .. tostring(err))
    end
    return
  end
  if ok then
    log('PASS')
    vim.cmd('qall!')
  else
    log('FAIL ' .. tostring(err))
    vim.cmd('cquit 1')
  end
end

vim.api.nvim_create_autocmd('VimEnter', { once = true, callback = vim.schedule_wrap(run) })
