//! Typed condition values: numbers (exact decimals), dates (ISO 8601 or epoch seconds),
//! IP addresses / CIDRs, base64 and booleans (spec S53 table).

use std::cmp::Ordering;
use std::net::IpAddr;

use base64::Engine as _;
use ipnet::IpNet;
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

/// A decimal number kept exactly: sign, integer digits without leading zeros, fraction digits
/// without trailing zeros. `"100"` equals `"100.0"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decimal<'a> {
    negative: bool,
    int: &'a str,
    frac: &'a str,
}

impl<'a> Decimal<'a> {
    /// Parses `[+-]digits[.digits]` (or `.5`, `5.`); no exponents. `None` when not a number.
    #[must_use]
    pub fn parse(s: &'a str) -> Option<Self> {
        let s = s.trim();
        let (negative, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        let zero = int.is_empty() && frac.is_empty();
        Some(Self {
            negative: negative && !zero,
            int,
            frac,
        })
    }

    fn cmp_magnitude(&self, other: &Self) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(other.int))
            .then_with(|| self.frac.cmp(other.frac))
    }
}

impl Ord for Decimal<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Parses a date to nanoseconds since the UNIX epoch. Accepts RFC 3339 / ISO 8601 date-times
/// (`2024-06-01T12:00:00Z`, `…+02:00`, `…12:00:00.000Z`, `…T12:00Z`), a bare date (`2024-06-01`,
/// midnight UTC) and UNIX epoch seconds (`1717243200`, optionally signed or with a fraction).
#[must_use]
pub fn parse_date(s: &str) -> Option<i128> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(d) = Decimal::parse(s) {
        return epoch_nanos(&d);
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp_nanos());
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Iso8601::PARSING) {
        return Some(t.unix_timestamp_nanos());
    }
    if let Ok(d) = Date::parse(s, &Iso8601::PARSING) {
        return Some(
            PrimitiveDateTime::new(d, Time::MIDNIGHT)
                .assume_utc()
                .unix_timestamp_nanos(),
        );
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt).ok().map(|d| {
        PrimitiveDateTime::new(d, Time::MIDNIGHT)
            .assume_utc()
            .unix_timestamp_nanos()
    })
}

fn epoch_nanos(d: &Decimal<'_>) -> Option<i128> {
    if d.int.len() > 18 {
        return None;
    }
    let secs: i128 = if d.int.is_empty() {
        0
    } else {
        d.int.parse().ok()?
    };
    let mut frac = 0i128;
    let mut scale = 100_000_000i128;
    for b in d.frac.bytes().take(9) {
        frac += i128::from(b - b'0') * scale;
        scale /= 10;
    }
    let n = secs * 1_000_000_000 + frac;
    Some(if d.negative { -n } else { n })
}

/// Parses a CIDR, or a bare address as /32 (IPv4) or /128 (IPv6).
#[must_use]
pub fn parse_cidr(s: &str) -> Option<IpNet> {
    let s = s.trim();
    if let Ok(net) = s.parse::<IpNet>() {
        return Some(net);
    }
    s.parse::<IpAddr>().ok().map(IpNet::from)
}

/// Parses a request IP address (a bare address; a CIDR is accepted and its address used).
#[must_use]
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<IpNet>().ok().map(|n| n.addr()))
}

/// Decodes standard base64 (padding optional).
#[must_use]
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .ok()
        .or_else(|| {
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(s)
                .ok()
        })
}

/// `true` / `false` in any case (S53 table: [undocumented] any case).
#[must_use]
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Decimal<'_> {
        Decimal::parse(s).expect("number")
    }

    #[test]
    fn s53_numbers() {
        assert_eq!(num("100"), num("100.0"));
        assert_eq!(num("-0"), num("0.000"));
        assert!(num("900") < num("3600"));
        assert!(num("-5") < num("-4.5"));
        assert!(num("10.25") > num("10.2"));
        assert!(num("007") == num("7"));
        for bad in ["", "-", ".", "1e5", "abc", "1.2.3", " "] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn s53_dates() {
        let a = parse_date("2024-06-01T14:00:00+02:00");
        assert!(a.is_some());
        assert_eq!(a, parse_date("2024-06-01T12:00:00Z"));
        assert_eq!(a, parse_date("2024-06-01T12:00:00.000Z"));
        assert_eq!(a, parse_date("1717243200"));
        assert_eq!(parse_date("2024-06-01"), parse_date("2024-06-01T00:00:00Z"));
        assert_eq!(parse_date("2024-06-01T12:00Z"), a);
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("99999999999999999999999").is_none());
    }

    #[test]
    fn s53_ips() {
        let net = parse_cidr("2001:DB8:1234:5678::/64").expect("cidr");
        assert!(net.contains(&parse_ip("2001:db8:1234:5678::1").expect("ip")));
        assert!(
            parse_cidr("0.0.0.0/0")
                .expect("cidr")
                .contains(&parse_ip("8.8.8.8").expect("ip"))
        );
        assert!(
            !parse_cidr("0.0.0.0/0")
                .expect("cidr")
                .contains(&parse_ip("::1").expect("ip"))
        );
        assert_eq!(parse_cidr("10.0.0.1"), parse_cidr("10.0.0.1/32"));
    }
}
