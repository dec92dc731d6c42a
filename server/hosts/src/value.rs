//! The host-neutral value tree every front end (YAML, JSON, HCL) lowers to, and the emitter that
//! turns a policy value into a virtual JSON document with its source map.

use iam_syntax::TextRange;

/// A host byte range.
pub type Range = TextRange;

/// One piece of a decoded string: either literal text taken from the host (exactly, byte for
/// byte, or through an escape) or a value known only at deploy time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// `exact`: `text` is the host bytes at `host` unchanged (so offsets inside map 1:1).
    Text {
        text: String,
        host: Range,
        exact: bool,
    },
    /// A `${...}` segment, a reference or an interpolation: `subst` is written in the virtual
    /// document in its place (a neutral value such as `*`), and findings that depend on it are
    /// dropped (see [`Placeholder`]).
    Hole {
        subst: String,
        host: Range,
        what: String,
    },
}

/// A string scalar with its pieces; `range` is the whole host scalar (quotes included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str {
    pub pieces: Vec<Piece>,
    pub range: Range,
}

impl Str {
    /// A string taken verbatim from `host`.
    #[must_use]
    pub fn exact(text: &str, host: Range, range: Range) -> Self {
        Self {
            pieces: vec![Piece::Text {
                text: text.to_owned(),
                host,
                exact: true,
            }],
            range,
        }
    }

    /// The decoded text, holes replaced by their substitutes.
    #[must_use]
    pub fn text(&self) -> String {
        let mut s = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text { text, .. } => s.push_str(text),
                Piece::Hole { subst, .. } => s.push_str(subst),
            }
        }
        s
    }

    /// The decoded text when the string holds no hole.
    #[must_use]
    pub fn literal(&self) -> Option<String> {
        self.pieces
            .iter()
            .all(|p| matches!(p, Piece::Text { .. }))
            .then(|| self.text())
    }
}

/// A value of the host document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    Map {
        range: Range,
        entries: Vec<(Str, Val)>,
    },
    Seq {
        range: Range,
        items: Vec<Val>,
    },
    Str(Str),
    /// A number, boolean or null: `json` is its JSON spelling.
    Lit {
        range: Range,
        json: String,
    },
    /// An intrinsic function before resolution (`!Sub`, `{"Fn::Sub": ...}`, `{"Ref": ...}`).
    Fn {
        range: Range,
        name: String,
        arg: Box<Val>,
    },
    /// A value known only at deploy time.
    Hole {
        range: Range,
        what: String,
    },
    /// Alternatives (`Fn::If`): each is checked on its own.
    Choice {
        range: Range,
        branches: Vec<Val>,
    },
    /// `AWS::NoValue`: the element disappears.
    NoValue {
        range: Range,
    },
    /// Unparsable input.
    Error {
        range: Range,
    },
}

impl Val {
    #[must_use]
    pub fn range(&self) -> Range {
        match self {
            Self::Map { range, .. }
            | Self::Seq { range, .. }
            | Self::Lit { range, .. }
            | Self::Fn { range, .. }
            | Self::Hole { range, .. }
            | Self::Choice { range, .. }
            | Self::NoValue { range }
            | Self::Error { range } => *range,
            Self::Str(s) => s.range,
        }
    }

    /// The member `key` of a map.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Self::Map { entries, .. } => entries
                .iter()
                .find(|(k, _)| k.literal().as_deref() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The literal text of a string value.
    #[must_use]
    pub fn as_literal(&self) -> Option<String> {
        match self {
            Self::Str(s) => s.literal(),
            _ => None,
        }
    }

    /// Whether a [`Val::Choice`] occurs anywhere inside.
    #[must_use]
    pub fn has_choice(&self) -> bool {
        match self {
            Self::Choice { .. } => true,
            Self::Map { entries, .. } => entries.iter().any(|(_, v)| v.has_choice()),
            Self::Seq { items, .. } => items.iter().any(Val::has_choice),
            _ => false,
        }
    }
}

/// One mapping from a virtual range to a host range. `exact`: the two have the same bytes, so
/// offsets inside map one to one; otherwise any offset inside maps to the host range's ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub virt: Range,
    pub host: Range,
    pub exact: bool,
}

/// A virtual range whose text stands for a value unknown before deployment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    pub virt: Range,
    pub host: Range,
    /// What it stands for (`!GetAtt Bucket.Arn`, `${Bucket}`, `var.name`).
    pub what: String,
    /// `true`: a part of a string (`${X}` inside `!Sub`, an HCL interpolation): the literal rest
    /// of the string is still checked. `false`: the whole value is unknown.
    pub partial: bool,
}

/// Virtual text with its source map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    pub segments: Vec<Segment>,
    pub placeholders: Vec<Placeholder>,
    /// The host range of the whole policy value: the fallback for offsets outside every segment.
    pub whole: Range,
}

fn r(start: usize, end: usize) -> Range {
    Range::new(
        u32::try_from(start).unwrap_or(u32::MAX),
        u32::try_from(end).unwrap_or(u32::MAX),
    )
}

impl SourceMap {
    fn smallest(&self, offset: u32, as_end: bool) -> Option<&Segment> {
        self.segments
            .iter()
            .filter(|s| {
                if as_end {
                    s.virt.start < offset && offset <= s.virt.end
                } else {
                    s.virt.start <= offset && offset < s.virt.end
                }
            })
            .min_by_key(|s| (s.virt.end - s.virt.start, u32::from(!s.exact)))
    }

    /// Maps a virtual offset to the host, as the start of a range.
    #[must_use]
    pub fn map_start(&self, offset: u32) -> u32 {
        match self.smallest(offset, false) {
            Some(s) if s.exact => (s.host.start + (offset - s.virt.start)).min(s.host.end),
            Some(s) => s.host.start,
            None => self
                .smallest(offset, true)
                .map_or(self.whole.start, |s| s.host.end),
        }
    }

    /// Maps a virtual offset to the host, as the end of a range.
    #[must_use]
    pub fn map_end(&self, offset: u32) -> u32 {
        match self.smallest(offset, true) {
            Some(s) if s.exact => (s.host.start + (offset - s.virt.start)).min(s.host.end),
            Some(s) => s.host.end,
            None => self
                .smallest(offset, false)
                .map_or(self.whole.end, |s| s.host.start),
        }
    }

    /// Maps a virtual range to the host.
    #[must_use]
    pub fn map_range(&self, virt: Range) -> Range {
        let start = self.map_start(virt.start);
        let end = if virt.end <= virt.start {
            start
        } else {
            self.map_end(virt.end).max(start)
        };
        Range::new(start, end)
    }

    /// Whether `virt` lies entirely inside exact segments (so an edit there is an edit of the
    /// host's characters one for one).
    #[must_use]
    pub fn is_exact(&self, virt: Range) -> bool {
        self.segments
            .iter()
            .any(|s| s.exact && s.virt.start <= virt.start && virt.end <= s.virt.end)
    }

    /// Maps a host offset into the virtual text (exact segments only).
    #[must_use]
    pub fn to_virtual(&self, host: u32) -> Option<u32> {
        self.segments
            .iter()
            .filter(|s| s.exact && s.host.start <= host && host <= s.host.end)
            .min_by_key(|s| s.host.end - s.host.start)
            .map(|s| s.virt.start + (host - s.host.start))
    }
}

/// The virtual text of a string value itself (a policy given as a JSON string): every byte of the
/// decoded text maps to where it came from.
#[must_use]
pub fn string_document(s: &Str) -> (String, SourceMap) {
    let mut out = String::new();
    let mut map = SourceMap {
        whole: s.range,
        ..SourceMap::default()
    };
    for p in &s.pieces {
        let start = out.len();
        match p {
            Piece::Text { text, host, exact } => {
                out.push_str(text);
                map.segments.push(Segment {
                    virt: r(start, out.len()),
                    host: *host,
                    exact: *exact && text.len() as u64 == u64::from(host.end - host.start),
                });
            }
            Piece::Hole { subst, host, what } => {
                out.push_str(subst);
                map.segments.push(Segment {
                    virt: r(start, out.len()),
                    host: *host,
                    exact: false,
                });
                map.placeholders.push(Placeholder {
                    virt: r(start, out.len()),
                    host: *host,
                    what: what.clone(),
                    partial: true,
                });
            }
        }
    }
    (out, map)
}

/// Emits `val` as compact JSON; `variant` picks the branch of every [`Val::Choice`] (the last
/// branch when there are fewer). Returns `None` when the whole value is `AWS::NoValue`.
#[must_use]
pub fn emit(val: &Val, variant: usize) -> Option<(String, SourceMap)> {
    let mut e = Emitter {
        out: String::new(),
        map: SourceMap {
            whole: val.range(),
            ..SourceMap::default()
        },
        variant,
    };
    let chosen = e.choose(val)?;
    e.value(chosen);
    Some((e.out, e.map))
}

struct Emitter {
    out: String,
    map: SourceMap,
    variant: usize,
}

impl Emitter {
    /// Resolves choices; `None` for a removed element.
    fn choose<'v>(&self, mut v: &'v Val) -> Option<&'v Val> {
        loop {
            match v {
                Val::Choice { branches, .. } => {
                    v = branches.get(self.variant).or_else(|| branches.last())?;
                }
                Val::NoValue { .. } => return None,
                _ => return Some(v),
            }
        }
    }

    fn seg(&mut self, start: usize, host: Range, exact: bool) {
        self.map.segments.push(Segment {
            virt: r(start, self.out.len()),
            host,
            exact,
        });
    }

    fn value(&mut self, v: &Val) {
        let start = self.out.len();
        match v {
            Val::Map { range, entries } => {
                self.out.push('{');
                let mut first = true;
                for (k, v) in entries {
                    let Some(v) = self.choose(v) else { continue };
                    if !first {
                        self.out.push_str(", ");
                    }
                    first = false;
                    self.string(k);
                    self.out.push_str(": ");
                    self.value(v);
                }
                self.out.push('}');
                self.brackets(start, *range);
                self.seg(start, *range, false);
            }
            Val::Seq { range, items } => {
                self.out.push('[');
                let mut first = true;
                for v in items {
                    let Some(v) = self.choose(v) else { continue };
                    if !first {
                        self.out.push_str(", ");
                    }
                    first = false;
                    self.value(v);
                }
                self.out.push(']');
                self.brackets(start, *range);
                self.seg(start, *range, false);
            }
            Val::Str(s) => self.string(s),
            Val::Lit { range, json } => {
                self.out.push_str(json);
                self.seg(start, *range, false);
            }
            Val::Fn { range, name, .. } => self.hole(*range, name),
            Val::Hole { range, what } => self.hole(*range, what),
            Val::Error { range } => self.hole(*range, "unparsable input"),
            Val::Choice { .. } | Val::NoValue { .. } => {
                if let Some(v) = self.choose(v) {
                    self.value(v);
                }
            }
        }
    }

    /// The opening and closing brackets map to the first and last byte of the host value (a
    /// finding on `{` alone stays one character wide).
    fn brackets(&mut self, start: usize, host: Range) {
        if host.end > host.start {
            let end = self.out.len();
            self.map.segments.push(Segment {
                virt: r(start, start + 1),
                host: Range::new(host.start, host.start + 1),
                exact: false,
            });
            self.map.segments.push(Segment {
                virt: r(end - 1, end),
                host: Range::new(host.end - 1, host.end),
                exact: false,
            });
        }
    }

    fn hole(&mut self, host: Range, what: &str) {
        let start = self.out.len();
        self.out.push_str("\"*\"");
        self.seg(start, host, false);
        self.map.placeholders.push(Placeholder {
            virt: r(start, self.out.len()),
            host,
            what: what.to_owned(),
            partial: false,
        });
    }

    fn string(&mut self, s: &Str) {
        let start = self.out.len();
        self.out.push('"');
        for p in &s.pieces {
            let ps = self.out.len();
            match p {
                Piece::Text { text, host, exact } => {
                    let escaped = escape(text);
                    let same = *exact
                        && escaped.len() == text.len()
                        && text.len() as u64 == u64::from(host.end - host.start);
                    self.out.push_str(&escaped);
                    self.seg(ps, *host, same);
                }
                Piece::Hole { subst, host, what } => {
                    self.out.push_str(&escape(subst));
                    self.seg(ps, *host, false);
                    self.map.placeholders.push(Placeholder {
                        virt: r(ps, self.out.len()),
                        host: *host,
                        what: what.clone(),
                        partial: true,
                    });
                }
            }
        }
        self.out.push('"');
        self.seg(start, s.range, false);
    }
}

/// JSON string escaping.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}
