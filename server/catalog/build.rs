//! Compresses `data/catalog.jsonl` into the embedded form (`OUT_DIR/catalog.z`): the header line
//! as it is, each service line deflated on its own so that a service is still decoded only when
//! it is first needed. The layout is documented in `src/compact.rs`, which reads it.

use std::path::PathBuf;

const MAGIC: &[u8; 8] = b"IAMCATZ1";

fn main() {
    println!("cargo::rerun-if-changed=data/catalog.jsonl");
    println!("cargo::rerun-if-changed=build.rs");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let text = std::fs::read(dir.join("data/catalog.jsonl")).expect("read data/catalog.jsonl");
    let mut lines = text.split(|&b| b == b'\n').collect::<Vec<_>>();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let (header, services) = lines.split_first().expect("a header line");
    let blocks: Vec<Vec<u8>> = services
        .iter()
        .map(|line| miniz_oxide::deflate::compress_to_vec(line, 9))
        .collect();
    let mut out = Vec::with_capacity(text.len() / 6);
    out.extend_from_slice(MAGIC);
    let len = |n: usize| u32::try_from(n).expect("fits in u32").to_le_bytes();
    out.extend_from_slice(&len(header.len()));
    out.extend_from_slice(header);
    out.extend_from_slice(&len(blocks.len()));
    for b in &blocks {
        out.extend_from_slice(&len(b.len()));
    }
    for b in &blocks {
        out.extend_from_slice(b);
    }
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out_dir.join("catalog.z"), out).expect("write catalog.z");
}
