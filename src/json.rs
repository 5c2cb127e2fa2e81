//! A small JSON reader and writer, just what the wire types need: no floats (numbers
//! stay as their text until a field asks for an integer), strings borrowed from the
//! input when they hold no escapes, nesting bounded so no input can exhaust the stack.
//! Hand-written instead of serde_json to keep the WebAssembly module small and the
//! enqueue path to one pass (measured: `bench/RESULTS.md`).

use std::borrow::Cow;

/// Deepest nesting accepted (objects and arrays); deeper input is refused, not recursed.
pub const MAX_DEPTH: usize = 64;

/// A parsed JSON value, borrowing from the text where it can.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Num(&'a str),
    /// A string, unescaped.
    Str(Cow<'a, str>),
    /// An array.
    Arr(Vec<Value<'a>>),
    /// An object's members in text order (a repeated key: the last one counts).
    Obj(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl<'a> Value<'a> {
    /// The member `key` of an object (the last, if repeated).
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Obj(members) => members.iter().rev().find(|(k, _)| k == key).map(|m| &m.1),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The number as an integer, when it is a whole number below 2^53 in magnitude
    /// (JavaScript numbers arrive as `5`, `5.0` or `5e0`).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Num(text) => whole_number(text),
            _ => None,
        }
    }
}

/// Parses one JSON text (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<Value<'_>, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("trailing characters"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, what: &str) -> String {
        format!("{what} at byte {}", self.i)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn lit(&mut self, word: &str, v: Value<'a>) -> Result<Value<'a>, String> {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.err("invalid literal"))
        }
    }

    #[inline(never)]
    fn value(&mut self, depth: usize) -> Result<Value<'a>, String> {
        match self.s.get(self.i) {
            Some(b'"') => self.string().map(Value::Str),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b't') => self.lit("true", Value::Bool(true)),
            Some(b'f') => self.lit("false", Value::Bool(false)),
            Some(b'n') => self.lit("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("unexpected character")),
            None => Err(self.err("unexpected end of input")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, String> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.eat(b'}') {
            return Ok(Value::Obj(members));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.err("expected a key"));
            }
            let k = self.string()?;
            self.ws();
            if !self.eat(b':') {
                return Err(self.err("expected ':'"));
            }
            self.ws();
            let v = self.value(depth)?;
            members.push((k, v));
            self.ws();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                return Ok(Value::Obj(members));
            }
            return Err(self.err("expected ',' or '}'"));
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, String> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.eat(b']') {
            return Ok(Value::Arr(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth)?);
            self.ws();
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                return Ok(Value::Arr(items));
            }
            return Err(self.err("expected ',' or ']'"));
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value<'a>, String> {
        let start = self.i;
        self.eat(b'-');
        let lead = self.s.get(self.i) == Some(&b'0');
        let n = self.digits();
        if n == 0 || (lead && n > 1) {
            return Err(self.err("invalid number"));
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.err("invalid number"));
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
        }
        Ok(Value::Num(sub(self.text, start, self.i)))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("short \\u escape"))?;
        let mut v = 0;
        for &b in h {
            let d = (b as char)
                .to_digit(16)
                .ok_or_else(|| self.err("invalid \\u escape"))?;
            v = v * 16 + d;
        }
        self.i += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<Cow<'a, str>, String> {
        self.i += 1;
        let start = self.i;
        // Fast path: no escapes, borrowed.
        loop {
            match self.s.get(self.i) {
                Some(b'"') => {
                    let s = sub(self.text, start, self.i);
                    self.i += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(b) if *b < 0x20 => return Err(self.err("control character in string")),
                Some(_) => self.i += 1,
                None => return Err(self.err("unterminated string")),
            }
        }
        let mut out = String::from(sub(self.text, start, self.i));
        loop {
            match self.s.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = match self.s.get(self.i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.i += 1;
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !(self.eat(b'\\') && self.eat(b'u')) {
                                    return Err(self.err("lone surrogate in \\u escape"));
                                }
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("lone surrogate in \\u escape"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            let c = char::from_u32(code)
                                .ok_or_else(|| self.err("lone surrogate in \\u escape"))?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.err("invalid escape")),
                    };
                    self.i += 1;
                    out.push(c);
                }
                Some(b) if *b < 0x20 => return Err(self.err("control character in string")),
                Some(_) => {
                    // Copy the run up to the next quote or backslash (UTF-8 intact).
                    let run = self.i;
                    while let Some(&b) = self.s.get(self.i) {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.i += 1;
                    }
                    out.push_str(sub(self.text, run, self.i));
                }
                None => return Err(self.err("unterminated string")),
            }
        }
    }
}

/// A JSON number's text as an integer when it is exactly a whole number of magnitude
/// below 2^53 (`5`, `-5`, `5.0`, `5e2`, `500e-2`); no float arithmetic involved.
pub fn whole_number(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let (neg, b) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let (mantissa, exp) = match b.iter().position(|c| matches!(c, b'e' | b'E')) {
        Some(k) => (&b[..k], exponent(&b[k + 1..])?),
        None => (b, 0),
    };
    let frac_len = mantissa
        .iter()
        .position(|&c| c == b'.')
        .map_or(0, |k| mantissa.len() - k - 1);
    // digits * 10^scale, the digits without their leading zeros.
    let scale = i64::from(exp) - frac_len as i64;
    if scale < i64::from(i32::MIN) {
        return None;
    }
    let digits = || {
        mantissa
            .iter()
            .copied()
            .filter(|&c| c != b'.')
            .skip_while(|&c| c == b'0')
    };
    let len = digits().count() as u64;
    let (keep, scale) = if scale < 0 {
        let keep = len.saturating_sub(scale.unsigned_abs());
        if digits().skip(keep as usize).any(|c| c != b'0') {
            return None;
        }
        (keep, 0)
    } else {
        (len, scale as u64)
    };
    if keep == 0 {
        return Some(0);
    }
    if keep + scale > 16 {
        return None;
    }
    let mut v = digits()
        .take(keep as usize)
        .fold(0i64, |v, c| v * 10 + i64::from(c - b'0'));
    for _ in 0..scale {
        v = v.checked_mul(10)?;
    }
    if v >= 1 << 53 {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// A JSON number's exponent digits (sign optional), when they fit an `i32`. Read by
/// hand: `str::parse` brings a generic integer parser per type into the module.
fn exponent(t: &[u8]) -> Option<i32> {
    let (neg, t) = match t.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, t),
    };
    if t.is_empty() {
        return None;
    }
    let mut e: i64 = 0;
    for &c in t {
        if !c.is_ascii_digit() {
            return None;
        }
        e = e * 10 + i64::from(c - b'0');
        if e > 1 << 31 {
            return None;
        }
    }
    i32::try_from(if neg { -e } else { e }).ok()
}

/// `s[a..b]`, where both ends are known to be character boundaries (next to an ASCII
/// byte, or an end): `get` rather than indexing, so that no string-slicing panic (with
/// its message formatting) comes into the module for cases that cannot happen; one
/// would give "".
#[inline]
pub(crate) fn sub(s: &str, a: usize, b: usize) -> &str {
    s.get(a..b).unwrap_or_default()
}

/// Appends `s` as a JSON string literal, escaped as `JSON.stringify` and serde_json
/// escape it (quote, backslash, control characters; nothing else).
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(sub(s, run, i));
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        } else {
            out.push_str(esc);
        }
        run = i + 1;
    }
    out.push_str(sub(s, run, s.len()));
    out.push('"');
}

/// The UTF-8 length of `s` as the JSON string literal [`write_str`] writes, counted
/// without writing it.
pub fn str_len(s: &str) -> usize {
    let mut n = s.len() + 2;
    for b in s.bytes() {
        n += match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
            0..=0x1f => 5,
            _ => 0,
        };
    }
    n
}

/// `s` as a JSON string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str(&mut out, s);
    out
}

/// Appends an integer.
pub fn write_int(out: &mut String, v: i64) {
    use std::fmt::Write;
    let _ = write!(out, "{v}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_borrows() {
        let v = parse(r#" {"a":"x","b":[1,-2.5e3,true,null],"c":{"d":"\u00e9\n"}} "#).unwrap();
        assert_eq!(v.get("a"), Some(&Value::Str(Cow::Borrowed("x"))));
        assert!(matches!(v.get("a"), Some(Value::Str(Cow::Borrowed(_)))));
        assert_eq!(
            v.get("c").and_then(|c| c.get("d")),
            Some(&Value::Str(Cow::Owned("é\n".into())))
        );
        assert_eq!(
            v.get("b"),
            Some(&Value::Arr(vec![
                Value::Num("1"),
                Value::Num("-2.5e3"),
                Value::Bool(true),
                Value::Null
            ]))
        );
    }

    #[test]
    fn refuses_bad_json_without_recursing_forever() {
        for bad in [
            "",
            "{",
            "{\"a\"}",
            "[1,]",
            "01",
            "1.",
            "-",
            "\"\\x\"",
            "\"a",
            "\"\\ud800\"",
            "\"\u{1}\"",
            "{} x",
            "tru",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).unwrap_err().contains("nested too deeply"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn surrogate_pairs_decode() {
        assert_eq!(
            parse(r#""\ud83d\ude00""#).unwrap(),
            Value::Str(Cow::Owned("😀".into()))
        );
    }

    #[test]
    fn whole_numbers() {
        for (t, v) in [
            ("5", Some(5)),
            ("-5", Some(-5)),
            ("5.0", Some(5)),
            ("5e2", Some(500)),
            ("500e-2", Some(5)),
            ("0.5e1", Some(5)),
            ("0", Some(0)),
            ("-0", Some(0)),
            ("0.0e5", Some(0)),
            ("5.5", None),
            ("1e21", None),
            ("9007199254740991", Some(9_007_199_254_740_991)),
            ("9007199254740992", None),
            ("1e-400", None),
            ("1e999999999999", None),
            ("0e999999999999", None),
            ("0e2147483647", Some(0)),
            ("1.000e3", Some(1000)),
            ("100e-2", Some(1)),
            ("-0.0", Some(0)),
            ("1E+2", Some(100)),
            ("12345678901234567", None),
            ("1000000000000000e0", Some(1_000_000_000_000_000)),
            ("0.000", Some(0)),
            ("10e-1", Some(1)),
            ("10e-2", None),
            ("5e-2147483648", None),
        ] {
            assert_eq!(whole_number(t), v, "{t}");
        }
    }

    #[test]
    fn writes_like_json_stringify() {
        assert_eq!(
            quote("a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}é\u{2028}/"),
            r#""a\"b\\c\n\r\t\b\f\u0001\u001fé\u{2028}/""#.replace("\\u{2028}", "\u{2028}")
        );
    }
}
