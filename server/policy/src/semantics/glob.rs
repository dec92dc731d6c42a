//! Glob languages (`*`, `?`, literals) as small automata, and the partition of all strings by
//! which patterns they match.
//!
//! The partition is what makes the engine exact: [`partition`] explores the product of the
//! patterns' automata breadth-first over a reduced alphabet (every literal character, `:` and
//! one fresh character that no pattern names: all other characters behave like the fresh one),
//! and returns one word per reachable set of accepting patterns. Every string matches exactly
//! the same patterns as one of the returned words, so checking those words decides a property
//! for all strings.
//!
//! Three matching modes mirror the evaluator's matchers:
//! - plain (`StringLike`, action names): the whole string is one glob;
//! - ARN resources: colon-separated segments, wildcards do not cross a segment's colon except a
//!   `*` that ends a segment, which may run past it;
//! - ARN condition values: six segments, wildcards never cross a colon.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;

/// One pattern element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sym {
    /// A character, compared exactly.
    Lit(char),
    /// An ASCII character compared case-insensitively (stored lowercase).
    Fold(char),
    /// `?`: exactly one character.
    One,
    /// `*`: any run of characters.
    Star,
}

/// How colons in the text split it into segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Plain,
    /// Resource ARNs: up to five separator colons; a segment-final `*` may cross colons.
    Resource,
    /// ARN condition values: five separator colons, nothing crosses them.
    ArnCondition,
}

impl Mode {
    const fn seps(self) -> usize {
        match self {
            Self::Plain => 0,
            Self::Resource | Self::ArnCondition => 5,
        }
    }
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Glob {
    syms: Vec<Sym>,
    /// `sep[i]`: position `i` is one of the pattern's separator colons.
    sep: Vec<bool>,
    /// `cross[i]`: the `*` at `i` ends its segment and may run past text colons.
    cross: Vec<bool>,
    mode: Mode,
}

impl Glob {
    /// A pattern where `*` and `?` are wildcards; `fold` compares ASCII letters
    /// case-insensitively.
    #[must_use]
    pub fn pattern(text: &str, fold: bool, mode: Mode) -> Self {
        let syms = text
            .chars()
            .map(|c| match c {
                '*' => Sym::Star,
                '?' => Sym::One,
                c if fold && c.is_ascii_alphabetic() => Sym::Fold(c.to_ascii_lowercase()),
                c => Sym::Lit(c),
            })
            .collect();
        Self::new(syms, mode)
    }

    /// A literal string (no wildcards); `fold` as in [`Glob::pattern`].
    #[must_use]
    pub fn literal(text: &str, fold: bool) -> Self {
        let syms = text
            .chars()
            .map(|c| {
                if fold && c.is_ascii_alphabetic() {
                    Sym::Fold(c.to_ascii_lowercase())
                } else {
                    Sym::Lit(c)
                }
            })
            .collect();
        Self::new(syms, Mode::Plain)
    }

    fn new(syms: Vec<Sym>, mode: Mode) -> Self {
        let n = syms.len();
        let mut sep = vec![false; n];
        let mut seen = 0;
        for (i, s) in syms.iter().enumerate() {
            if seen < mode.seps() && *s == Sym::Lit(':') {
                sep[i] = true;
                seen += 1;
            }
        }
        let mut cross = vec![false; n];
        if mode == Mode::Resource {
            for i in 0..n {
                cross[i] = syms[i] == Sym::Star && (i + 1 == n || sep[i + 1]);
            }
        }
        Self {
            syms,
            sep,
            cross,
            mode,
        }
    }

    /// Whether the pattern has no wildcard.
    #[must_use]
    pub fn is_literal(&self) -> bool {
        !self.syms.iter().any(|s| matches!(s, Sym::One | Sym::Star))
    }

    /// `Some(true)` when the pattern compares letters ignoring case, `Some(false)` when exactly,
    /// `None` when it has no letters.
    #[must_use]
    pub fn folds(&self) -> Option<bool> {
        self.syms.iter().find_map(|s| match s {
            Sym::Fold(_) => Some(true),
            Sym::Lit(c) if c.is_ascii_alphabetic() => Some(false),
            _ => None,
        })
    }

    /// The pattern's text (`*` and `?` for wildcards, folded letters in lowercase).
    #[must_use]
    pub fn text(&self) -> String {
        self.syms
            .iter()
            .map(|s| match s {
                Sym::Lit(c) | Sym::Fold(c) => *c,
                Sym::One => '?',
                Sym::Star => '*',
            })
            .collect()
    }

    /// Number of separator colons in the pattern.
    #[must_use]
    pub fn separators(&self) -> usize {
        self.sep.iter().filter(|s| **s).count()
    }

    fn width(&self) -> usize {
        (self.syms.len() + 1) * (self.mode.seps() + 1)
    }

    fn index(&self, pos: usize, j: usize) -> usize {
        pos * (self.mode.seps() + 1) + j
    }

    fn add(&self, set: &mut [u64], mut pos: usize, j: usize) {
        loop {
            let k = self.index(pos, j);
            set[k / 64] |= 1 << (k % 64);
            if pos < self.syms.len() && self.syms[pos] == Sym::Star {
                pos += 1;
            } else {
                break;
            }
        }
    }

    fn step(&self, from: &[u64], c: char, to: &mut [u64]) {
        let seps = self.mode.seps();
        let n = self.syms.len();
        for (w, word) in from.iter().enumerate() {
            let mut bits = *word;
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let k = w * 64 + b;
                let (pos, j) = (k / (seps + 1), k % (seps + 1));
                if pos >= n {
                    continue;
                }
                let sym = self.syms[pos];
                if seps > 0 && c == ':' && j < seps {
                    if self.sep[pos] {
                        self.add(to, pos + 1, j + 1);
                    }
                    if self.cross[pos] {
                        self.add(to, pos, j + 1);
                    }
                    continue;
                }
                match sym {
                    Sym::Star => self.add(to, pos, j),
                    Sym::One => self.add(to, pos + 1, j),
                    Sym::Lit(x) if x == c && !self.sep[pos] => self.add(to, pos + 1, j),
                    Sym::Fold(x) if c.is_ascii() && x == c.to_ascii_lowercase() => {
                        self.add(to, pos + 1, j);
                    }
                    _ => {}
                }
            }
        }
    }

    /// Calls `f` with the character of every literal position live in `set` (folded ones in
    /// lower case).
    fn named(&self, set: &[u64], mut f: impl FnMut(char)) {
        let seps = self.mode.seps();
        for (w, word) in set.iter().enumerate() {
            let mut bits = *word;
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let pos = (w * 64 + b) / (seps + 1);
                if let Some(Sym::Lit(c) | Sym::Fold(c)) = self.syms.get(pos) {
                    f(*c);
                }
            }
        }
    }

    fn accepts(&self, set: &[u64]) -> bool {
        let n = self.syms.len();
        (0..=self.mode.seps()).any(|j| {
            let k = self.index(n, j);
            set[k / 64] & (1 << (k % 64)) != 0
        })
    }

    /// Whether the pattern matches `text` (the automaton's own answer; used by tests to check
    /// the automaton against the evaluator's matchers).
    #[must_use]
    pub fn matches(&self, text: &str) -> bool {
        let words = self.width().div_ceil(64);
        let mut cur = vec![0u64; words];
        self.add(&mut cur, 0, 0);
        for c in text.chars() {
            let mut next = vec![0u64; words];
            self.step(&cur, c, &mut next);
            if next.iter().all(|w| *w == 0) {
                return false;
            }
            cur = next;
        }
        self.accepts(&cur)
    }

    fn letters(&self, out: &mut FxHashSet<char>) {
        for s in &self.syms {
            match s {
                Sym::Lit(c) => {
                    out.insert(*c);
                }
                Sym::Fold(c) => {
                    out.insert(*c);
                    out.insert(c.to_ascii_uppercase());
                }
                Sym::One | Sym::Star => {}
            }
        }
    }
}

/// The exploration gave up after this many product states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;

/// A character that no pattern names (case-insensitively), preferring readable ones.
#[must_use]
pub fn fresh_char(letters: &FxHashSet<char>) -> char {
    "zqxjkvwy0123456789_~#"
        .chars()
        .find(|c| {
            !letters.contains(c)
                && !letters.contains(&c.to_ascii_uppercase())
                && !letters.contains(&c.to_ascii_lowercase())
        })
        .unwrap_or('\u{2603}')
}

/// Words the partition leaves out (see [`partition_with`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Exclude<'a> {
    /// The excluded words.
    pub words: &'a [String],
    /// Compare ASCII letters case-insensitively.
    pub fold: bool,
    /// Also exclude every string that starts with an excluded word (otherwise only the words
    /// themselves are excluded).
    pub prefixes: bool,
}

/// One word per non-empty class of strings (strings matching the same subset of `globs`), and
/// for a class whose shortest word is empty, also its shortest non-empty word.
/// `budget` bounds the number of product states explored.
///
/// Plain patterns without wildcards are not explored as automata when there are many: each
/// such literal is a class of its own (with case folded when every pattern folds case), so the
/// literals are returned as words and the other strings are partitioned by the wildcard
/// patterns with the literals excluded (a trie instead of one automaton per literal).
pub fn partition(globs: &[Glob], budget: usize) -> Result<Vec<String>, Overflow> {
    const MANY_LITERALS: usize = 4;
    let plain = globs.iter().all(|g| g.mode == Mode::Plain);
    let literals: Vec<&Glob> = globs.iter().filter(|g| g.is_literal()).collect();
    let folds: Vec<Option<bool>> = globs.iter().map(Glob::folds).collect();
    let fold = folds.iter().flatten().next().copied().unwrap_or(false);
    if !plain || literals.len() < MANY_LITERALS || folds.iter().flatten().any(|f| *f != fold) {
        return partition_with(globs, "", Exclude::default(), budget);
    }
    let words: Vec<String> = literals.iter().map(|g| g.text()).collect();
    let wild: Vec<Glob> = globs.iter().filter(|g| !g.is_literal()).cloned().collect();
    // Usually no class of the wildcard patterns has a literal as its word: then those words
    // are words of the same classes with the literals excluded, and the exploration need not
    // walk the literals' trie (thousands of states for a service with hundreds of names).
    if let Ok(found) = partition_with(&wild, "", Exclude::default(), budget) {
        let key = |w: &str| -> String { w.chars().map(|c| norm(c, fold)).collect() };
        let literal: FxHashSet<String> = words.iter().map(|w| key(w)).collect();
        if !found.iter().any(|w| literal.contains(&key(w))) {
            let mut out = found;
            out.extend(words);
            return Ok(out);
        }
    }
    let exclude = Exclude {
        words: &words,
        fold,
        prefixes: false,
    };
    let mut out = partition_with(&wild, "", exclude, budget)?;
    out.extend(words);
    Ok(out)
}

fn norm(c: char, fold: bool) -> char {
    if fold { c.to_ascii_lowercase() } else { c }
}

/// [`partition`] restricted to the strings that start with `start` and are not excluded by
/// `exclude`: one word per class of those strings (every returned word starts with `start`).
pub fn partition_with(
    globs: &[Glob],
    start: &str,
    exclude: Exclude<'_>,
    budget: usize,
) -> Result<Vec<String>, Overflow> {
    match partition_partial(globs, start, exclude, budget) {
        (words, true) => Ok(words),
        (_, false) => Err(Overflow),
    }
}

/// [`partition_with`] that keeps what it found when the budget runs out: `(words, complete)`.
/// When incomplete, the words are those of the shortest strings explored (some classes may
/// have no word).
#[must_use]
pub fn partition_partial(
    globs: &[Glob],
    start: &str,
    exclude: Exclude<'_>,
    budget: usize,
) -> (Vec<String>, bool) {
    let mut letters = FxHashSet::default();
    for g in globs {
        g.letters(&mut letters);
    }
    for w in exclude.words {
        for c in w.chars() {
            letters.insert(c);
            if exclude.fold {
                letters.insert(c.to_ascii_lowercase());
                letters.insert(c.to_ascii_uppercase());
            }
        }
    }
    if globs.iter().any(|g| g.mode != Mode::Plain) {
        letters.insert(':');
    }
    let fresh = fresh_char(&letters);
    // When every pattern (and the exclusion) ignores case, an upper-case letter behaves as its
    // lower-case one: one of them is enough.
    let all_fold = globs.iter().all(|g| g.folds() != Some(false))
        && (exclude.fold
            || exclude
                .words
                .iter()
                .all(|w| !w.chars().any(|c| c.is_ascii_alphabetic())));
    let mut alphabet: Vec<char> = letters
        .into_iter()
        .filter(|c| !(all_fold && c.is_ascii_uppercase()))
        .collect();
    alphabet.sort_unstable();
    alphabet.push(fresh);
    // Excluded words as the set of their prefixes (a trie by its paths).
    let fold = exclude.fold;
    let mut trie: FxHashSet<String> = FxHashSet::default();
    let mut whole: FxHashSet<String> = FxHashSet::default();
    for w in exclude.words {
        let w: String = w.chars().map(|c| norm(c, fold)).collect();
        for (i, _) in w.char_indices() {
            trie.insert(w[..i].to_owned());
        }
        trie.insert(w.clone());
        whole.insert(w);
    }
    let advance = |node: &Option<String>, c: char| -> Option<String> {
        let mut n = node.clone()?;
        n.push(norm(c, fold));
        trie.contains(&n).then_some(n)
    };
    // Layout: each glob owns a run of words in the product state.
    let mut offsets = Vec::with_capacity(globs.len() + 1);
    let mut total = 0;
    for g in globs {
        offsets.push(total);
        total += g.width().div_ceil(64);
    }
    offsets.push(total);
    let step_all = |state: &[u64], c: char| -> Vec<u64> {
        let mut next = vec![0u64; total];
        for (i, g) in globs.iter().enumerate() {
            let (a, b) = (offsets[i], offsets[i + 1]);
            g.step(&state[a..b], c, &mut next[a..b]);
        }
        next
    };
    let mut state = vec![0u64; total];
    for (i, g) in globs.iter().enumerate() {
        g.add(&mut state[offsets[i]..offsets[i + 1]], 0, 0);
    }
    let mut node = (!exclude.words.is_empty()).then(String::new);
    for c in start.chars() {
        state = step_all(&state, c);
        node = advance(&node, c);
    }
    // A trie node stands for exactly one string: the excluded word itself when it is one.
    let excluded =
        |node: &Option<String>| -> bool { node.as_ref().is_some_and(|n| whole.contains(n)) };
    let signature = |state: &[u64]| -> Vec<bool> {
        globs
            .iter()
            .enumerate()
            .map(|(i, g)| g.accepts(&state[offsets[i]..offsets[i + 1]]))
            .collect()
    };
    // Per signature: (a word, whether a non-empty word was found).
    let mut classes: FxHashMap<Vec<bool>, (String, bool)> = FxHashMap::default();
    let mut order: Vec<Vec<bool>> = Vec::new();
    let mut extra: Vec<String> = Vec::new();
    if exclude.prefixes && excluded(&node) {
        return (Vec::new(), true);
    }
    let mut complete = true;
    // A state is visited once with the empty word and once with a non-empty one, so that every
    // class also gets a non-empty word when it has one.
    type Key = (Vec<u64>, Option<String>, bool);
    let mut seen: FxHashSet<Key> = FxHashSet::default();
    let mut queue: VecDeque<(Vec<u64>, Option<String>, String)> = VecDeque::new();
    seen.insert((state.clone(), node.clone(), !start.is_empty()));
    queue.push_back((state, node, start.to_owned()));
    'explore: while let Some((state, node, word)) = queue.pop_front() {
        if !excluded(&node) {
            let sig = signature(&state);
            match classes.get_mut(&sig) {
                None => {
                    order.push(sig.clone());
                    let nonempty = !word.is_empty();
                    classes.insert(sig, (word.clone(), nonempty));
                }
                Some((_, nonempty)) if !*nonempty && !word.is_empty() => {
                    *nonempty = true;
                    extra.push(word.clone());
                }
                Some(_) => {}
            }
        }
        // Without excluded words, a character that no live position names behaves as the
        // fresh one (the product state it leads to is the same), so only the named ones, `:`
        // and the fresh character are tried.
        let relevant = if exclude.words.is_empty() {
            let mut named = vec![false; alphabet.len()];
            for (i, g) in globs.iter().enumerate() {
                g.named(&state[offsets[i]..offsets[i + 1]], |c| {
                    for c in [c, c.to_ascii_uppercase()] {
                        if let Ok(k) = alphabet[..alphabet.len() - 1].binary_search(&c) {
                            named[k] = true;
                        }
                    }
                });
            }
            if let Ok(k) = alphabet[..alphabet.len() - 1].binary_search(&':') {
                named[k] = true;
            }
            if let Some(last) = named.last_mut() {
                *last = true;
            }
            Some(named)
        } else {
            None
        };
        for (ci, &c) in alphabet.iter().enumerate() {
            if relevant.as_ref().is_some_and(|r| !r[ci]) {
                continue;
            }
            let next_node = advance(&node, c);
            if exclude.prefixes && excluded(&next_node) {
                continue;
            }
            let key = (step_all(&state, c), next_node, true);
            if seen.contains(&key) {
                continue;
            }
            if seen.len() >= budget {
                complete = false;
                break 'explore;
            }
            let (next, next_node) = (key.0.clone(), key.1.clone());
            seen.insert(key);
            let mut w = word.clone();
            w.push(c);
            queue.push_back((next, next_node, w));
        }
    }
    let mut out: Vec<String> = order
        .iter()
        .filter_map(|s| classes.get(s).map(|(w, _)| w.clone()))
        .collect();
    out.extend(extra);
    (out, complete)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn plain_globs_partition() {
        let g = [
            Glob::pattern("a*", false, Mode::Plain),
            Glob::pattern("*b", false, Mode::Plain),
        ];
        let words = partition(&g, 10_000).unwrap();
        let mut sigs: Vec<(bool, bool)> = words
            .iter()
            .map(|w| (g[0].matches(w), g[1].matches(w)))
            .collect();
        sigs.sort_unstable();
        sigs.dedup();
        assert_eq!(sigs.len(), 4, "{words:?}");
    }

    #[test]
    fn resource_mode_trailing_star_crosses() {
        let g = Glob::pattern("arn:aws:sqs:us-east-1:*", false, Mode::Resource);
        assert!(g.matches("arn:aws:sqs:us-east-1:1:q"));
        for (p, t) in [
            ("arn:aws:s3:::b*x", "arn:aws:s3:::b:x"),
            ("arn:aws:s3:::b*x", "arn:aws:s3:::b/x"),
            ("arn:a*s:s3:::b", "arn:a:x:s:s3:::b"),
            ("arn:aws:ec2:*", "arn:aws:ec2:us-east-1:1:instance/i"),
            ("arn:*:ec2::1:x", "arn:aws:ec2:us:1:x"),
            ("a?c", "a:c"),
            ("*", ""),
            ("", ""),
        ] {
            let g = Glob::pattern(p, false, Mode::Resource);
            let want =
                crate::semantics::wildcard::match_resource(&crate::semantics::wildcard::Raw(p), t);
            assert_eq!(g.matches(t), want, "{p} vs {t}");
        }
    }
}
