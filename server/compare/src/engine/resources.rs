//! Representatives of the resource dimension.

use super::*;

pub(super) fn resource_dim(c: &Compiled) -> Result<Dim, String> {
    let globs: Vec<Glob> = c
        .resource_atoms
        .iter()
        .map(|p| Glob::pattern(p, false, Mode::Resource))
        .collect();
    let mut words = partition(&globs, GLOB_BUDGET)
        .map_err(|_| "the resource patterns are too complex to partition".to_owned())?;
    words.push("*".to_owned());
    // Readable first: ARN-looking, non-empty.
    words.sort_by_key(|w| (!w.starts_with("arn:"), w.is_empty(), w == "*"));
    let ns = c.stmts.len();
    let reps = words
        .into_iter()
        .map(|w| {
            let sig: Vec<bool> = c
                .resource_atoms
                .iter()
                .map(|p| match_resource(&Raw(p), &w))
                .collect();
            let mut ok = bits_new(ns);
            for (si, s) in c.stmts.iter().enumerate() {
                if statement_ok_list(&s.resource, &sig) {
                    bit_set(&mut ok, si);
                }
            }
            Rep {
                value: Value::Resource(w),
                ok,
                allowed: true,
            }
        })
        .collect();
    Ok(Dim { reps })
}
