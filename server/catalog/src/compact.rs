//! The embedded catalog's compact form, written at build time by `build.rs` from
//! `data/catalog.jsonl`:
//!
//! ```text
//! "IAMCATZ1"                      8 bytes
//! header length (u32 LE), header  the first line of catalog.jsonl, as it is
//! service count n (u32 LE)
//! n compressed lengths (u32 LE)
//! n raw-deflate blocks            each one service line of catalog.jsonl
//! ```
//!
//! Each service is compressed on its own, so a service is inflated (and then decoded) only when
//! it is first needed, as with the plain file. Decoding this form is the only thing the crate
//! does with bytes besides parsing JSON; it reads no file.

use std::borrow::Cow;
use std::sync::Arc;

/// The first bytes of a compact catalog.
pub const MAGIC: &[u8; 8] = b"IAMCATZ1";

/// Largest inflated service line accepted (the largest today is ~250 KB).
const MAX_SERVICE_BYTES: usize = 64 << 20;

/// Where a service's line is.
#[derive(Debug)]
pub(crate) enum Source {
    /// A range of a plain JSON Lines file.
    Text(Arc<Cow<'static, str>>, (usize, usize)),
    /// A deflated block of a compact file.
    Deflated(Arc<Cow<'static, [u8]>>, (usize, usize)),
}

impl Source {
    /// The service's JSON line (empty when it cannot be read; the service then has no data).
    pub(crate) fn line(&self) -> Cow<'_, str> {
        match self {
            Source::Text(text, (s, e)) => Cow::Borrowed(text.get(*s..*e).unwrap_or("")),
            Source::Deflated(bytes, (s, e)) => bytes
                .get(*s..*e)
                .and_then(|z| {
                    miniz_oxide::inflate::decompress_to_vec_with_limit(z, MAX_SERVICE_BYTES).ok()
                })
                .and_then(|v| String::from_utf8(v).ok())
                .map_or(Cow::Borrowed(""), Cow::Owned),
        }
    }
}

/// Splits a compact file into its header line and one [`Source`] per service.
pub(crate) fn split(bytes: Cow<'static, [u8]>) -> Result<(String, Vec<Source>), String> {
    let bytes = Arc::new(bytes);
    let mut at = MAGIC.len();
    let u32_at = |at: &mut usize| -> Result<usize, String> {
        let b = bytes
            .get(*at..*at + 4)
            .ok_or_else(|| "truncated compact catalog".to_owned())?;
        *at += 4;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let header_len = u32_at(&mut at)?;
    let header = bytes
        .get(at..at + header_len)
        .ok_or("truncated compact catalog header")?;
    let header = std::str::from_utf8(header)
        .map_err(|e| format!("header not UTF-8: {e}"))?
        .to_owned();
    at += header_len;
    let n = u32_at(&mut at)?;
    let mut lens = Vec::with_capacity(n.min(10_000));
    for _ in 0..n {
        lens.push(u32_at(&mut at)?);
    }
    let mut sources = Vec::with_capacity(lens.len());
    for len in lens {
        let end = at
            .checked_add(len)
            .filter(|&e| e <= bytes.len())
            .ok_or("truncated compact catalog")?;
        sources.push(Source::Deflated(bytes.clone(), (at, end)));
        at = end;
    }
    Ok((header, sources))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    /// The compressed embedded catalog holds exactly what `data/catalog.jsonl` holds.
    #[test]
    fn compact_form_decodes_to_the_plain_file() {
        let plain = Catalog::from_bytes(Cow::Borrowed(include_bytes!("../data/catalog.jsonl")))
            .expect("plain catalog");
        let compact = Catalog::from_bytes(Cow::Borrowed(crate::CATALOG_BYTES)).expect("compact");
        assert!(crate::CATALOG_BYTES.starts_with(MAGIC));
        assert_eq!(plain.metadata(), compact.metadata());
        assert_eq!(plain.services().len(), compact.services().len());
        for (a, b) in plain.services().zip(compact.services()) {
            assert_eq!(a.prefix(), b.prefix());
            assert_eq!(a.data(), b.data(), "{}", a.prefix());
        }
    }

    /// A damaged compact file is an error, or a service without data; never a panic.
    #[test]
    fn truncated_compact_files_are_errors() {
        let bytes = crate::CATALOG_BYTES;
        for cut in [8, 11, 100, 5_000, bytes.len() - 1] {
            let short = bytes[..cut].to_vec();
            assert!(
                Catalog::from_bytes(Cow::Owned(short)).is_err(),
                "cut at {cut}"
            );
        }
        let mut garbled = bytes.to_vec();
        let last = garbled.len() - 10;
        garbled[last..].fill(0xff);
        if let Ok(c) = Catalog::from_bytes(Cow::Owned(garbled)) {
            for s in c.services() {
                let _ = s.data();
            }
        }
    }
}
