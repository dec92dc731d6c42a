// Shared by the host fuzz targets (`#[path]` module): extraction, analysis and mapping back of
// one host document must never panic, and every mapped range must lie inside the host text on
// character boundaries.

use iam_hosts::{HostKind, analyze_extraction, clamp, extract};
use iam_syntax::TextRange;
use iam_validate::config::Config;

fn inside(text: &str, r: TextRange, what: &str) {
    assert!(
        r.start <= r.end && r.end as usize <= text.len(),
        "{what} {r:?} outside the host text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize),
        "{what} {r:?} not on character boundaries"
    );
}

pub fn run(kind: HostKind, text: &str, offsets: &[u32]) {
    let ex = extract(kind, text);
    for (r, _) in &ex.syntax_errors {
        // Syntax errors are clamped when they become findings.
        inside(text, clamp(*r, text), "syntax error");
    }
    for doc in &ex.docs {
        let vlen = u32::try_from(doc.text.len()).unwrap_or(u32::MAX);
        for s in &doc.map.segments {
            assert!(s.virt.end <= vlen, "segment outside the virtual text");
            if s.exact {
                // Exact segments are copies of the host text.
                inside(text, s.host, "exact segment");
                assert_eq!(
                    doc.text.get(s.virt.start as usize..s.virt.end as usize),
                    text.get(s.host.start as usize..s.host.end as usize),
                    "exact segment differs from its host text"
                );
            }
        }
        for &o in offsets {
            let v = o % (vlen + 2);
            let mapped = clamp(doc.map.map_range(TextRange::new(v.min(vlen), vlen)), text);
            inside(text, mapped, "mapped range");
            if let Some(back) = doc.map.to_virtual(o % (u32::try_from(text.len()).unwrap_or(0) + 1)) {
                assert!(back <= vlen, "host offset mapped past the virtual text");
            }
        }
    }
    let a = analyze_extraction(ex, text, None, &Config::default(), &[]);
    for d in &a.diagnostics {
        inside(text, d.range, "diagnostic");
        for f in &d.fixes {
            for e in &f.edits {
                inside(text, e.range, "fix edit");
            }
        }
    }
}
