//! `git` as a subprocess with a timeout, for the editor's "new access since HEAD" lens. Never
//! called on the LSP loop itself (the caller runs it on a blocking thread).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one git command may run.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Runs `git -C dir args...`; `Ok((success, stdout, stderr))`, or an error when git cannot be
/// started or does not finish within `timeout` (it is killed then).
pub fn run(dir: &Path, args: &[&str], timeout: Duration) -> Result<(bool, String, String), String> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    // Read the pipes on their own threads so a large output cannot block the child.
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = stdout.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.read_to_end(&mut s);
        }
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < timeout => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("git {} timed out", args.join(" ")));
            }
            Err(e) => return Err(format!("git {}: {e}", args.join(" "))),
        }
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    Ok((
        status.success(),
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    ))
}

fn dir_and_name(path: &Path) -> Option<(PathBuf, String)> {
    let dir = path.parent()?.to_path_buf();
    let name = path.file_name()?.to_string_lossy().into_owned();
    Some((dir, name))
}

/// Whether `path` is tracked by the git repository it is in (`false` outside a repository or
/// when git is missing).
#[must_use]
pub fn is_tracked(path: &Path, timeout: Duration) -> bool {
    let Some((dir, name)) = dir_and_name(path) else {
        return false;
    };
    run(&dir, &["ls-files", "--error-unmatch", "--", &name], timeout).is_ok_and(|(ok, _, _)| ok)
}

/// The text of `path` at revision `rev`; `Ok(None)` when the file does not exist there.
pub fn show(rev: &str, path: &Path, timeout: Duration) -> Result<Option<String>, String> {
    if rev.starts_with('-') || rev.contains(char::is_whitespace) || rev.is_empty() {
        return Err(format!("`{rev}` is not a revision"));
    }
    let (dir, name) =
        dir_and_name(path).ok_or_else(|| format!("{}: not a file", path.display()))?;
    let spec = format!("{rev}:./{name}");
    let (ok, out, err) = run(&dir, &["show", &spec], timeout)?;
    if ok {
        return Ok(Some(out));
    }
    if err.contains("does not exist in") || err.contains("exists on disk, but not in") {
        return Ok(None);
    }
    Err(format!("git show {spec}: {}", err.trim()))
}
