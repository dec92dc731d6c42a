//! Workspace folders that change after start-up (`workspace/didChangeWorkspaceFolders`; the
//! server advertises `workspace.workspaceFolders.changeNotifications`).
//!
//! The folders decide two things: where configuration lookup stops (documents read their
//! `.iam-policy-ls.toml` again) and which files the workspace diagnostics cover. An added folder
//! is scanned and its files reported; the files of a removed folder are no longer reported (a
//! pulling client gets them cleared at its next `workspace/diagnostic`, pushed ones are cleared
//! at once). A file in both a removed and a remaining folder (nested folders) stays.

use std::path::PathBuf;

use tower_lsp_server::ls_types as lsp;

use super::Backend;

/// The canonical path of a folder (as `initialize` stores them).
fn folder_path(f: &lsp::WorkspaceFolder) -> Option<PathBuf> {
    f.uri
        .to_file_path()
        .map(|p| std::fs::canonicalize(&p).unwrap_or_else(|_| p.to_path_buf()))
}

/// `roots` after `event`: removed folders dropped, added ones appended (once).
#[must_use]
pub fn changed_roots(roots: &[PathBuf], event: &lsp::WorkspaceFoldersChangeEvent) -> Vec<PathBuf> {
    let removed: Vec<PathBuf> = event.removed.iter().filter_map(folder_path).collect();
    let mut out: Vec<PathBuf> = roots
        .iter()
        .filter(|r| !removed.contains(r))
        .cloned()
        .collect();
    for added in event.added.iter().filter_map(folder_path) {
        if !out.contains(&added) {
            out.push(added);
        }
    }
    out
}

/// What the server says about workspace folders in its capabilities.
#[must_use]
pub fn capability() -> lsp::WorkspaceServerCapabilities {
    lsp::WorkspaceServerCapabilities {
        workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
            supported: Some(true),
            change_notifications: Some(lsp::OneOf::Left(true)),
        }),
        file_operations: None,
    }
}

impl Backend {
    /// `workspace/didChangeWorkspaceFolders`.
    pub(super) async fn workspace_folders_changed(
        &self,
        params: lsp::DidChangeWorkspaceFoldersParams,
    ) {
        let changed = match self.state.write() {
            Ok(mut s) => {
                let roots = changed_roots(&s.roots, &params.event);
                let changed = roots != s.roots;
                s.roots = roots;
                changed
            }
            Err(_) => false,
        };
        if !changed {
            return;
        }
        tracing::info!(
            added = params.event.added.len(),
            removed = params.event.removed.len(),
            "workspace folders changed"
        );
        // Configuration lookup stops at the folders: open documents read theirs again.
        self.config_files_changed().await;
        // The workspace's files are scanned again under the new folders.
        self.workspace_changed(true).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(path: &str) -> lsp::WorkspaceFolder {
        lsp::WorkspaceFolder {
            uri: format!("file://{path}").parse().expect("uri"),
            name: path.to_owned(),
        }
    }

    #[test]
    fn roots_follow_the_events() {
        let roots = vec![
            PathBuf::from("/nonexistent-a"),
            PathBuf::from("/nonexistent-b"),
        ];
        let event = lsp::WorkspaceFoldersChangeEvent {
            added: vec![folder("/nonexistent-c"), folder("/nonexistent-b")],
            removed: vec![folder("/nonexistent-a"), folder("/nonexistent-z")],
        };
        assert_eq!(
            changed_roots(&roots, &event),
            vec![
                PathBuf::from("/nonexistent-b"),
                PathBuf::from("/nonexistent-c")
            ]
        );
    }
}
