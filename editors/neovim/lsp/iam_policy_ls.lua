-- iam-policy-ls for Neovim 0.11+: put this directory on 'runtimepath' (or copy this file to
-- ~/.config/nvim/lsp/iam_policy_ls.lua) and call `vim.lsp.enable('iam_policy_ls')`.
--
-- The server attaches to every JSON buffer and decides itself which ones are IAM policies:
-- files matching `**/*.policy.json`, `**/iam/**/*.json` or `**/policies/**/*.json`, buffers
-- with filetype `iam-policy`, and any JSON whose top-level object has a `Statement` key. Other
-- JSON is left alone (no diagnostics, no completion). It also attaches to YAML, Terraform and
-- HCL buffers: CloudFormation/SAM templates and `.tf` files get every feature inside their
-- embedded policies; YAML that is no template (CI workflows, compose files) gets nothing.
--
-- Override anything with vim.lsp.config('iam_policy_ls', { ... }), for example:
--   vim.lsp.config('iam_policy_ls', {
--     cmd = { vim.fn.expand('~/.cargo/bin/iam-policy-ls'), 'serve' },
--     settings = { iamPolicy = { disabledRules = { 'A004' }, lenient = true } },
--   })

---@type vim.lsp.Config
return {
  cmd = { 'iam-policy-ls', 'serve' },
  filetypes = { 'json', 'jsonc', 'iam-policy', 'yaml', 'terraform', 'hcl' },
  -- The root only names the workspace folder; single files work without one.
  root_markers = { '.git', 'policies', 'iam' },
  -- Sent in `initialize`; settings are also sent with workspace/didChangeConfiguration.
  init_options = { iamPolicy = {} },
  settings = { iamPolicy = {} },
}
