//! Representatives of the action dimension: the catalog's actions plus actions AWS has not
//! published.
//!
//! Action patterns are grouped by their literal service prefix; a pattern whose prefix has a
//! wildcard (`*`, `s3*:Get*`) joins every group it matches. Each catalog action is checked
//! against its group's patterns only, and the names AWS has not published are one word per class
//! of the group's name patterns. Services that no pattern names literally are partitioned by the
//! wildcard prefixes (excluding the literal ones).

use super::*;
use iam_policy::semantics::glob::{Exclude, partition_with};

/// Which statements an action satisfies in the action dimension, from the atoms it matches.
struct Oks {
    /// Atom -> (statement, constraint) pairs it appears in.
    uses: Vec<Vec<(usize, usize)>>,
    /// Per statement: negation of each constraint.
    negated: Vec<Vec<bool>>,
}

impl Oks {
    fn new(c: &Compiled) -> Self {
        let mut uses = vec![Vec::new(); c.action_atoms.len()];
        let mut negated = Vec::with_capacity(c.stmts.len());
        for (si, s) in c.stmts.iter().enumerate() {
            let mut neg = Vec::with_capacity(s.action.len());
            for (ci, (n, atoms)) in s.action.iter().enumerate() {
                neg.push(*n);
                for &a in atoms {
                    if uses[a].last() != Some(&(si, ci)) {
                        uses[a].push((si, ci));
                    }
                }
            }
            negated.push(neg);
        }
        Self { uses, negated }
    }

    /// The statements whose action constraints all hold when exactly `matched` atoms match.
    fn ok(&self, matched: &[usize]) -> Bits {
        let mut hit: Vec<Vec<bool>> = self.negated.iter().map(|n| vec![false; n.len()]).collect();
        for &a in matched {
            for &(si, ci) in &self.uses[a] {
                hit[si][ci] = true;
            }
        }
        let mut ok = bits_new(self.negated.len());
        for (si, neg) in self.negated.iter().enumerate() {
            if neg.iter().zip(&hit[si]).all(|(n, h)| h != n) {
                bit_set(&mut ok, si);
            }
        }
        ok
    }
}

/// A service prefix that no action pattern names (for unknown actions of unnamed services).
fn fresh_prefix(literal: &FxHashSet<&str>) -> String {
    (0..)
        .map(|i| format!("zzunknown{i}"))
        .find(|p| !literal.contains(p.as_str()))
        .unwrap_or_default()
}

pub(super) fn action_regions(c: &Compiled) -> Result<Vec<Region>, String> {
    let catalog = iam_catalog::catalog();
    let oks = Oks::new(c);
    let mut groups: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut globals: Vec<usize> = Vec::new();
    let mut always: Vec<usize> = Vec::new();
    for (i, a) in c.action_atoms.iter().enumerate() {
        if a == "*" {
            always.push(i);
            continue;
        }
        let Some((prefix, _)) = a.split_once(':') else {
            continue; // matches nothing
        };
        if prefix.contains(['*', '?']) {
            globals.push(i);
        } else {
            groups.entry(prefix.to_owned()).or_default().push(i);
        }
    }
    let global_prefix: Vec<(usize, Glob)> = globals
        .iter()
        .filter_map(|&g| {
            c.action_atoms[g]
                .split_once(':')
                .map(|(pp, _)| (g, Glob::pattern(pp, true, Mode::Plain)))
        })
        .collect();
    let matched = |action: &str, atoms: &[usize]| -> Vec<usize> {
        let mut m = always.clone();
        m.extend(
            atoms
                .iter()
                .copied()
                .filter(|&a| match_action(&c.action_atoms[a], action)),
        );
        m
    };
    // (action, statements satisfied, is a catalog action, is an unknown action of an unnamed
    // service)
    let mut reps: Vec<(String, Bits, bool, bool)> = Vec::new();
    let name_reps = |prefix: &str, atoms: &[usize]| -> Result<Vec<String>, String> {
        let globs: Vec<Glob> = atoms
            .iter()
            .filter_map(|a| c.action_atoms[*a].split_once(':').map(|(_, n)| n))
            .map(|name| Glob::pattern(name, true, Mode::Plain))
            .collect();
        let words = partition(&globs, GLOB_BUDGET).map_err(|_| {
            format!("the action patterns of service `{prefix}` are too complex to partition")
        })?;
        Ok(words.into_iter().map(|w| format!("{prefix}:{w}")).collect())
    };
    let mut named: Vec<&String> = groups.keys().collect();
    named.sort();
    for prefix in named {
        let mut atoms = groups[prefix].clone();
        atoms.extend(
            global_prefix
                .iter()
                .filter(|(_, g)| g.matches(prefix))
                .map(|(a, _)| *a),
        );
        if let Some(service) = catalog.service(prefix) {
            for a in service.actions() {
                let full = format!("{}:{}", service.prefix(), a.name());
                let ok = oks.ok(&matched(&full, &atoms));
                reps.push((full, ok, true, false));
            }
        }
        for w in name_reps(prefix, &atoms)? {
            let ok = oks.ok(&matched(&w, &atoms));
            reps.push((w, ok, false, false));
        }
    }
    // Services no pattern names literally: partition their prefixes by the wildcard prefixes.
    let literal: FxHashSet<&str> = groups.keys().map(String::as_str).collect();
    let prefixes = if global_prefix.is_empty() {
        vec![fresh_prefix(&literal)]
    } else {
        let globs: Vec<Glob> = global_prefix.iter().map(|(_, g)| g.clone()).collect();
        let words: Vec<String> = groups.keys().cloned().collect();
        let exclude = Exclude {
            words: &words,
            fold: true,
            prefixes: false,
        };
        partition_with(&globs, "", exclude, GLOB_BUDGET)
            .map_err(|_| "the action patterns' service prefixes are too complex".to_owned())?
    };
    let all_globals: Vec<usize> = global_prefix.iter().map(|(a, _)| *a).collect();
    for p in prefixes {
        if p.is_empty() || literal.contains(p.to_ascii_lowercase().as_str()) {
            continue;
        }
        let atoms: Vec<usize> = global_prefix
            .iter()
            .filter(|(_, g)| g.matches(&p))
            .map(|(a, _)| *a)
            .collect();
        for w in name_reps(&p, &atoms)? {
            let ok = oks.ok(&matched(&w, &atoms));
            reps.push((w, ok, false, true));
        }
    }
    if !global_prefix.is_empty() {
        // Catalog actions of unnamed services as readable members.
        for service in catalog.services() {
            if literal.contains(service.prefix().to_ascii_lowercase().as_str()) {
                continue;
            }
            for a in service.actions() {
                let full = format!("{}:{}", service.prefix(), a.name());
                let ok = oks.ok(&matched(&full, &all_globals));
                reps.push((full, ok, true, false));
            }
        }
    }
    // Group by the statements each representative satisfies in this dimension.
    let mut by_ok: FxHashMap<Bits, usize> = FxHashMap::default();
    let mut regions: Vec<Region> = Vec::new();
    let only_always_unnamed = global_prefix.is_empty();
    for (action, ok, in_catalog, unknown_unnamed) in reps {
        let ri = *by_ok.entry(ok.clone()).or_insert_with(|| {
            regions.push(Region {
                rep: action.clone(),
                members: Vec::new(),
                unnamed_services: false,
                ok,
            });
            regions.len() - 1
        });
        let r = &mut regions[ri];
        if in_catalog {
            if r.members.is_empty() {
                r.rep = action.clone();
            }
            r.members.push(action);
        }
        if only_always_unnamed && unknown_unnamed {
            r.unnamed_services = true;
        }
    }
    Ok(regions)
}
