//! Turning a file's bytes into text: byte-order marks, UTF-16, and the Windows-1252 (Latin-1) fallback.

use std::borrow::Cow;

/// How the bytes of a file were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16 with a byte-order mark (Excel's "Unicode text").
    Utf16,
    /// Not valid UTF-8, so read as Windows-1252, the superset of Latin-1 that Excel on Windows writes.
    Windows1252,
}

/// The characters Windows-1252 puts at 0x80..=0x9F, where Latin-1 has C1 controls. The five bytes it leaves
/// undefined map to the control of the same number, as browsers do.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02C6}',
    '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', '\u{0090}', '\u{2018}',
    '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}',
    '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
            // Latin-1 and Windows-1252 agree with Unicode on every other byte.
            _ => char::from(b),
        })
        .collect()
}

fn utf16(bytes: &[u8], little_endian: bool) -> String {
    let units = bytes.chunks(2).map(|c| {
        let (a, b) = (c[0], c.get(1).copied().unwrap_or(0));
        if little_endian {
            u16::from_le_bytes([a, b])
        } else {
            u16::from_be_bytes([a, b])
        }
    });
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Decodes a text file: a UTF-8 or UTF-16 byte-order mark is honoured and dropped; bytes that are not valid
/// UTF-8 are read as Windows-1252 (which covers Latin-1), and the caller should tell the planner so.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => (Cow::Borrowed(s), Encoding::Utf8),
            Err(_) => (Cow::Owned(windows_1252(rest)), Encoding::Windows1252),
        };
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (Cow::Owned(utf16(rest, true)), Encoding::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (Cow::Owned(utf16(rest, false)), Encoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), Encoding::Utf8),
        Err(_) => (Cow::Owned(windows_1252(bytes)), Encoding::Windows1252),
    }
}

/// Picks the delimiter of a CSV from its first non-blank line: whichever of `,`, `;` and tab occurs most often
/// outside double quotes; comma when none occurs or on a tie with it.
pub fn sniff_delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (mut comma, mut semi, mut tab, mut quoted) = (0usize, 0usize, 0usize, false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semi += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests unwrap what they just built
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_dropped() {
        let (t, e) = decode(b"\xEF\xBB\xBFid,lon");
        assert_eq!((t.as_ref(), e), ("id,lon", Encoding::Utf8));
    }

    #[test]
    fn latin1_bytes_decode_as_windows_1252() {
        // "Bogotá;Köln;€" in Windows-1252.
        let (t, e) = decode(b"Bogot\xE1;K\xF6ln;\x80");
        assert_eq!((t.as_ref(), e), ("Bogotá;Köln;€", Encoding::Windows1252));
    }

    #[test]
    fn utf16_little_endian_with_bom() {
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("id,é".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (t, e) = decode(&bytes);
        assert_eq!((t.as_ref(), e), ("id,é", Encoding::Utf16));
    }

    #[test]
    fn delimiter_is_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("id;lon;lat\n1;2,5;3"), b';');
        assert_eq!(sniff_delimiter("\n\"a;b;c\",lon,lat"), b',');
        assert_eq!(sniff_delimiter("id\tlon\tlat"), b'\t');
        assert_eq!(sniff_delimiter("id"), b',');
    }
}
