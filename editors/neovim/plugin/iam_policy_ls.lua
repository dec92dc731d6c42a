-- Optional helpers for iam-policy-ls in Neovim 0.11+ (this file is loaded when editors/neovim is
-- on 'runtimepath'): `:IamPolicySimulate ACTION [RESOURCE] [KEY=VALUE...]` runs the server's
-- simulate command against the current buffer and shows the decision.
if vim.g.loaded_iam_policy_ls then
  return
end
vim.g.loaded_iam_policy_ls = true

vim.api.nvim_create_user_command('IamPolicySimulate', function(opts)
  local args = opts.fargs
  local bufnr = vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'iam_policy_ls' })[1]
  if not client then
    vim.notify('iam-policy-ls is not attached to this buffer', vim.log.levels.ERROR)
    return
  end
  local caps = client.server_capabilities.executeCommandProvider
  if not (caps and vim.tbl_contains(caps.commands or {}, 'iam-policy-ls.simulate')) then
    vim.notify('this iam-policy-ls cannot simulate requests', vim.log.levels.WARN)
    return
  end
  local context = {}
  for i = 3, #args do
    local k, v = args[i]:match('^([^=]+)=(.*)$')
    if k then
      local prev = context[k]
      if prev == nil then
        context[k] = v
      elseif type(prev) == 'table' then
        table.insert(prev, v)
      else
        context[k] = { prev, v }
      end
    end
  end
  local request = {
    uri = vim.uri_from_bufnr(bufnr),
    request = {
      action = args[1],
      resource = args[2] or '*',
      context = next(context) and context or vim.empty_dict(),
    },
  }
  client:request('workspace/executeCommand', {
    command = 'iam-policy-ls.simulate',
    arguments = { request },
  }, function(err, result)
    if err then
      vim.notify('simulate: ' .. err.message, vim.log.levels.ERROR)
      return
    end
    local text = type(result) == 'string' and result or vim.inspect(result)
    if type(result) == 'table' and result.decision then
      text = 'Decision: ' .. tostring(result.decision)
      if type(result.summary) == 'string' then
        text = text .. '\n' .. result.summary
      end
      for _, d in ipairs(result.deciding or {}) do
        local sid = d.sid ~= vim.NIL and d.sid or ('statement ' .. tostring((d.statement or 0) + 1))
        text = text .. ('\n  decided by %s (%s)'):format(sid, tostring(d.effect))
      end
    end
    vim.notify(text, vim.log.levels.INFO)
  end, bufnr)
end, { nargs = '+', desc = 'Simulate a request against the policy in this buffer (iam-policy-ls)' })
