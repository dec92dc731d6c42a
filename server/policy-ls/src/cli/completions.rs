//! Man pages from the command-line definition (`iam-policy-ls manpages DIR`, run by
//! `cargo xtask man`). Shell completions are generated in `main.rs` by `clap_complete`.

use std::path::{Path, PathBuf};

/// Writes `iam-policy-ls.1` and `iam-policy-ls-<command>.1` for each visible command into `dir`;
/// returns the files written.
pub fn write_man_pages(cmd: clap::Command, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut cmd = cmd;
    cmd.build();
    let mut written = Vec::new();
    let mut page = |c: &clap::Command, name: String| -> std::io::Result<()> {
        let mut buf = Vec::new();
        clap_mangen::Man::new(c.clone())
            .title(name.to_uppercase())
            .render(&mut buf)?;
        let file = dir.join(format!("{name}.1"));
        std::fs::write(&file, buf)?;
        written.push(file);
        Ok(())
    };
    page(&cmd, "iam-policy-ls".to_owned())?;
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        page(sub, format!("iam-policy-ls-{}", sub.get_name()))?;
    }
    Ok(written)
}
