// Builds a platform-specific .vsix with the server inside:
//   npm run package:platform -- --target linux-x64 --server ../../target/release/iam-policy-ls
// copies the binary to server/iam-policy-ls (server/iam-policy-ls.exe for win32 targets), runs
// `vsce package --target TARGET` (which bundles the extension first) and writes
// dist/iam-policy-ls-TARGET.vsix. The copy is removed afterwards, so `npm run package` still
// builds the universal .vsix (server from the setting or PATH).
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The targets `vsce package --target` accepts.
const TARGETS = [
  "win32-x64", "win32-arm64", "linux-x64", "linux-arm64", "linux-armhf",
  "alpine-x64", "alpine-arm64", "darwin-x64", "darwin-arm64",
];

function fail(msg) {
  console.error(`package-platform: ${msg}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const target = opt("--target");
const server = opt("--server");
if (!target || !server) {
  fail("usage: package-platform.mjs --target TARGET --server PATH (TARGET: " + TARGETS.join(", ") + ")");
}
if (!TARGETS.includes(target)) {
  fail(`unknown target ${target} (one of ${TARGETS.join(", ")})`);
}
const source = resolve(server);
if (!existsSync(source) || !statSync(source).isFile()) {
  fail(`no server binary at ${source} (cargo build --release -p iam-policy-ls)`);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const exe = target.startsWith("win32") ? "iam-policy-ls.exe" : "iam-policy-ls";
const dir = join(root, "server");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
copyFileSync(source, join(dir, exe));
chmodSync(join(dir, exe), 0o755);
const out = join("dist", `iam-policy-ls-${target}.vsix`);
const vsce = join(root, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
const r = spawnSync(vsce, ["package", "--no-dependencies", "--target", target, "--out", out], {
  cwd: root,
  stdio: "inherit",
  shell: process.platform === "win32",
});
rmSync(dir, { recursive: true, force: true });
if (r.status !== 0) {
  fail(`vsce package failed (${r.error ? r.error.message : `exit ${r.status}`})`);
}
console.log(`package-platform: wrote ${join(root, out)}`);
