// VS Code client for iam-policy-ls: starts `iam-policy-ls serve` over stdio (the server from
// `iamPolicy.server.path`, else the one bundled in a platform-specific .vsix, else PATH), hands every JSON
// document to the server (which decides what is a policy), forwards the `iamPolicy.*` settings and
// offers the Simulate / Restart / Show output commands.

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from "vscode-languageclient/node";
import { SERVER_SETTINGS } from "./settings";

const CLIENT_ID = "iamPolicy";
const CLIENT_NAME = "IAM Policy";
const SIMULATE_COMMAND = "iam-policy-ls.simulate";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let traceOutput: vscode.OutputChannel | undefined;
let extensionUri: vscode.Uri;

/**
 * The settings the server understands (`SERVER_SETTINGS`, generated from the server's table),
 * as sent in `initializationOptions` and on change. A setting left at `null` or an empty string
 * is not sent (`policyGlobs` replaces the server's defaults only when the user sets it); dotted
 * keys become nested objects (`inlayHints.wildcardCounts`).
 */
export function serverSettings(): { iamPolicy: Record<string, unknown> } {
  const cfg = vscode.workspace.getConfiguration("iamPolicy");
  const s: Record<string, unknown> = {};
  for (const { key, default: fallback } of SERVER_SETTINGS) {
    const value = cfg.get<unknown>(key, fallback);
    if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) {
      continue;
    }
    const [outer, inner] = key.split(".", 2);
    if (inner === undefined) {
      s[outer] = value;
    } else {
      const o = (s[outer] ??= {}) as Record<string, unknown>;
      o[inner] = value;
    }
  }
  return { iamPolicy: s };
}

/** Where a candidate server binary comes from, in the order they are tried. */
export type ServerSource = "setting" | "bundled" | "PATH";

export interface FoundServer {
  command?: string;
  source?: ServerSource;
  /** Every candidate looked at, with why it was not used. */
  tried: string[];
  /** `iamPolicy.server.path` was set but does not work (the next candidate is used). */
  badSetting?: string;
}

const EXE = process.platform === "win32" ? "iam-policy-ls.exe" : "iam-policy-ls";

/** The server shipped inside a platform-specific `.vsix` (`server/iam-policy-ls`). */
export function bundledServer(extensionPath: string): string {
  return path.join(extensionPath, "server", EXE);
}

/**
 * Finds the server binary, in this order: `iamPolicy.server.path`, the binary bundled with the
 * extension, `iam-policy-ls` on PATH (and in ~/.cargo/bin). A candidate is used only if it runs
 * (`iam-policy-ls --version` answers), so a binary for another platform is skipped.
 */
export function findServer(extensionPath: string): FoundServer {
  const cfg = vscode.workspace.getConfiguration("iamPolicy");
  const configured = (cfg.get<string | null>("server.path", null) ?? "").trim();
  const tried: string[] = [];
  let badSetting: string | undefined;
  if (configured) {
    const expanded = configured.startsWith("~/")
      ? path.join(process.env.HOME ?? process.env.USERPROFILE ?? "", configured.slice(2))
      : configured;
    let resolved = expanded;
    if (!path.isAbsolute(expanded)) {
      const folder = vscode.workspace.workspaceFolders?.[0];
      resolved = folder ? path.join(folder.uri.fsPath, expanded) : path.resolve(expanded);
    }
    const why = unusable(resolved);
    if (!why) {
      return { command: resolved, source: "setting", tried: [resolved] };
    }
    tried.push(`${resolved} (iamPolicy.server.path: ${why})`);
    badSetting = `${resolved}: ${why}`;
  }
  const bundled = bundledServer(extensionPath);
  if (fs.existsSync(bundled)) {
    makeExecutable(bundled);
    const why = unusable(bundled);
    if (!why) {
      return { command: bundled, source: "bundled", tried, badSetting };
    }
    tried.push(`${bundled} (bundled: ${why})`);
  } else {
    tried.push(`${bundled} (bundled: not in this build of the extension)`);
  }
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter((d) => d.length > 0);
  const home = process.env.HOME ?? process.env.USERPROFILE;
  if (home) {
    dirs.push(path.join(home, ".cargo", "bin")); // where `cargo install` puts it
  }
  for (const dir of dirs) {
    const candidate = path.join(dir, EXE);
    if (!isExecutable(candidate)) {
      continue;
    }
    const why = unusable(candidate);
    if (!why) {
      return { command: candidate, source: "PATH", tried, badSetting };
    }
    tried.push(`${candidate} (PATH: ${why})`);
  }
  tried.push(`${EXE} on PATH or in ~/.cargo/bin (not found)`);
  return { tried, badSetting };
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Some installers drop the executable bit of files inside a `.vsix`: put it back. */
function makeExecutable(p: string): void {
  if (process.platform === "win32" || isExecutable(p)) {
    return;
  }
  try {
    fs.chmodSync(p, 0o755);
  } catch {
    // reported by `unusable`
  }
}

/** Why `p` cannot be the server (`undefined`: it runs and answers `--version`). */
function unusable(p: string): string | undefined {
  if (!fs.existsSync(p)) {
    return "no such file";
  }
  if (!isExecutable(p)) {
    return "not an executable file";
  }
  try {
    execFileSync(p, ["--version"], { timeout: 10000, stdio: ["ignore", "pipe", "pipe"] });
    return undefined;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return `does not run (${err.code ?? err.message ?? String(e)})`;
  }
}

async function showMissingServer(found: FoundServer): Promise<void> {
  output?.appendLine(`iam-policy-ls: no server that runs; looked at:\n  ${found.tried.join("\n  ")}`);
  const open = "Open install guide";
  const settings = "Set server path";
  const log = "Show output";
  const choice = await vscode.window.showErrorMessage(
    "IAM Policy: no working `iam-policy-ls` server. Install the extension built for this platform " +
      `(${process.platform}-${process.arch}), install the server with \`cargo install --path server/policy-ls\`, ` +
      "or set `iamPolicy.server.path` to the binary.",
    open,
    settings,
    log,
  );
  if (choice === open) {
    await vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.joinPath(extensionUri, "README.md"));
  } else if (choice === settings) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "iamPolicy.server.path");
  } else if (choice === log) {
    output?.show(true);
  }
}

async function startClient(): Promise<void> {
  const found = findServer(extensionUri.fsPath);
  if (found.badSetting) {
    const msg = `iamPolicy.server.path does not work (${found.badSetting})`;
    output?.appendLine(msg);
    void vscode.window.showWarningMessage(
      `IAM Policy: ${msg}; ${found.command ? `using ${found.command} instead` : "no other server found"}.`,
    );
  }
  if (!found.command) {
    await showMissingServer(found);
    return;
  }
  const described = { setting: "iamPolicy.server.path", bundled: "the server bundled with the extension", PATH: "PATH" };
  output?.appendLine(`using ${found.command} (from ${described[found.source ?? "PATH"]})`);
  const cfg = vscode.workspace.getConfiguration("iamPolicy");
  const env = {
    ...process.env,
    RUST_LOG: cfg.get<string>("logLevel", "info"),
    ...cfg.get<Record<string, string>>("server.extraEnv", {}),
  };
  // No `transport`: with TransportKind.stdio the client would append `--stdio` to the arguments.
  const serverOptions: ServerOptions = {
    run: { command: found.command, args: ["serve"], options: { env } },
    debug: { command: found.command, args: ["serve"], options: { env } },
  };
  const clientOptions: LanguageClientOptions = {
    // Every JSON, YAML and Terraform document goes to the server; it decides which are policies
    // (globs, language id `iam-policy`, or a top-level `Statement`) and which are CloudFormation/
    // SAM templates or Terraform files holding policies, and leaves the rest alone (CI
    // workflows, compose files, Kubernetes manifests get nothing). The YAML and Terraform
    // extensions keep serving these files beside it.
    documentSelector: [
      { language: "iam-policy" },
      { language: "json" },
      { language: "jsonc" },
      { language: "yaml" },
      { language: "terraform" },
      { language: "hcl" },
      { scheme: "file", pattern: "**/*.tf" },
    ],
    initializationOptions: serverSettings(),
    outputChannel: output,
    traceOutputChannel: traceOutput,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      provideInlayHints: (document, range, token, next) =>
        vscode.workspace.getConfiguration("iamPolicy").get<boolean>("inlayHints.enable", true)
          ? next(document, range, token)
          : [],
    },
  };
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  try {
    await client.start();
    output?.appendLine(`started ${found.command} serve`);
  } catch (e) {
    output?.appendLine(`failed to start ${found.command}: ${String(e)}`);
    void vscode.window.showErrorMessage(
      `IAM Policy: could not start ${found.command}: ${String(e)}. Set \`iamPolicy.server.path\` to a working binary.`,
    );
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop(2000);
    } catch {
      // already gone
    }
  }
}

function parseContext(text: string): Record<string, string | string[]> | undefined {
  const trimmed = text.trim();
  if (!trimmed) {
    return {};
  }
  if (trimmed.startsWith("{")) {
    try {
      return JSON.parse(trimmed) as Record<string, string | string[]>;
    } catch {
      return undefined;
    }
  }
  // KEY=VALUE, separated by commas or spaces; a repeated key becomes multivalued.
  const out: Record<string, string | string[]> = {};
  for (const part of trimmed.split(/[,\s]+/).filter((p) => p.length > 0)) {
    const eq = part.indexOf("=");
    if (eq <= 0) {
      return undefined;
    }
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The server's answer: `{decision, summary, deciding: [{policy, sid, statement, effect}], ...}`. */
export function formatResult(result: unknown): string {
  if (typeof result === "string") {
    return result;
  }
  if (result && typeof result === "object") {
    const r = result as Record<string, unknown>;
    const lines: string[] = [];
    if (typeof r.decision === "string") {
      lines.push(`Decision: ${r.decision}`);
    }
    if (typeof r.summary === "string") {
      lines.push(r.summary);
    }
    if (Array.isArray(r.deciding)) {
      for (const d of r.deciding as Array<Record<string, unknown>>) {
        const sid = d.sid ? `Sid "${String(d.sid)}"` : `statement ${Number(d.statement) + 1}`;
        lines.push(`  decided by ${sid} (${String(d.effect)}) of ${String(d.policy)}`);
      }
    }
    if (lines.length > 0) {
      return `${lines.join("\n")}\n\n${JSON.stringify(result, null, 2)}`;
    }
  }
  return JSON.stringify(result, null, 2);
}

async function simulate(): Promise<void> {
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage("IAM Policy: the server is not running.");
    return;
  }
  const commands = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!commands.includes(SIMULATE_COMMAND)) {
    void vscode.window.showWarningMessage("IAM Policy: this version of iam-policy-ls cannot simulate requests.");
    return;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showErrorMessage("IAM Policy: open a policy to simulate a request against it.");
    return;
  }
  const action = await vscode.window.showInputBox({
    title: "Simulate request (1/3)",
    prompt: "Action",
    placeHolder: "ecs:RunTask",
    ignoreFocusOut: true,
    validateInput: (v) => (/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(v.trim()) ? undefined : "service:Action"),
  });
  if (action === undefined) {
    return;
  }
  const resource = await vscode.window.showInputBox({
    title: "Simulate request (2/3)",
    prompt: "Resource ARN (* for actions without resource-level permissions)",
    value: "*",
    ignoreFocusOut: true,
  });
  if (resource === undefined) {
    return;
  }
  const contextText = await vscode.window.showInputBox({
    title: "Simulate request (3/3)",
    prompt: "Context keys: KEY=VALUE pairs separated by commas, or a JSON object (optional)",
    placeHolder: "aws:RequestedRegion=us-east-1, ecs:cluster=arn:aws:ecs:us-east-1:111122223333:cluster/prod",
    ignoreFocusOut: true,
    validateInput: (v) => (parseContext(v) === undefined ? "KEY=VALUE pairs or a JSON object" : undefined),
  });
  if (contextText === undefined) {
    return;
  }
  const args = {
    uri: client.code2ProtocolConverter.asUri(editor.document.uri),
    // In a template or Terraform file: the embedded policy under the cursor.
    position: client.code2ProtocolConverter.asPosition(editor.selection.active),
    request: {
      action: action.trim(),
      resource: resource.trim() || "*",
      context: parseContext(contextText) ?? {},
    },
  };
  try {
    const result = await client.sendRequest(ExecuteCommandRequest.type, {
      command: SIMULATE_COMMAND,
      arguments: [args],
    });
    const text = formatResult(result);
    output?.appendLine(`simulate ${args.request.action} on ${args.request.resource}:\n${text}`);
    const firstLine = text.split("\n").slice(0, 2).join(" — ");
    const more = "Show details";
    const choice = await vscode.window.showInformationMessage(`IAM Policy: ${firstLine}`, more);
    if (choice === more) {
      output?.show(true);
    }
  } catch (e) {
    void vscode.window.showErrorMessage(`IAM Policy: simulate failed: ${String(e)}`);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<{ client: () => LanguageClient | undefined }> {
  extensionUri = context.extensionUri;
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  traceOutput = vscode.window.createOutputChannel(`${CLIENT_NAME} (protocol trace)`);
  context.subscriptions.push(
    output,
    traceOutput,
    vscode.commands.registerCommand("iamPolicy.simulate", simulate),
    vscode.commands.registerCommand("iamPolicy.restartServer", async () => {
      await stopClient();
      await startClient();
    }),
    vscode.commands.registerCommand("iamPolicy.showOutput", () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration("iamPolicy")) {
        return;
      }
      if (
        e.affectsConfiguration("iamPolicy.server") ||
        e.affectsConfiguration("iamPolicy.logLevel")
      ) {
        await stopClient();
        await startClient();
      } else if (client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: serverSettings() });
      }
    }),
    { dispose: () => void stopClient() },
  );
  await startClient();
  return { client: () => client };
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
