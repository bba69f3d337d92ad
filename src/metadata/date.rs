//! Publication dates in the many forms pages write them, normalised to ISO 8601.
//!
//! The output rule: when the input gives a time of day *and* a zone (an
//! offset, `Z`, or a zone name such as `GMT` or `EST`), the result is RFC 3339
//! to the second, `2024-05-01T10:00:00+03:00` or `2024-05-01T10:00:00Z`, keeping
//! the offset as written so the calendar day stays the one the page printed.
//! Otherwise the result is the day alone, `2024-05-01`: a time without a zone
//! is dropped rather than guessed as UTC, which could move it to another day.
//! Input that cannot be read without guessing (an unknown word, a two-digit
//! year, `03/04/2024` where day and month could swap) gives `None`.

use std::sync::LazyLock;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone,
};
use regex::Regex;

/// Strings longer than this are prose, not dates.
const MAX_LEN: usize = 80;

/// Years outside this range are typos or placeholders (`0001-01-01`), not
/// publication dates of web pages or of the archives they reprint.
const YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

/// ISO 8601 and its everyday relatives: `-`, `/` or `.` between the parts,
/// `T` or spaces before the time, optional seconds and fraction, and a zone
/// written `Z`, `UTC`, `+03:00`, `+0300` or `+03`, with or without a space.
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^
        (\d{4}) [-/.] (\d{1,2}) [-/.] (\d{1,2})
        (?: (?:T|\s+) (\d{1,2}) : (\d{2}) (?: : (\d{2}) (?: [.,]\d+ )? )? )?
        \s* (Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?
        $",
    )
    .expect("valid regex")
});

/// The compact ISO form, `20240501` or `20240501T100000Z` or `20240501100000`.
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$")
        .expect("valid regex")
});

/// Normalises a date string to `YYYY-MM-DD`, or to RFC 3339 when both a time
/// and a zone are known; `None` when it cannot be read with confidence.
///
/// ```
/// use copydesk::metadata::date::normalize;
/// assert_eq!(normalize("2024-05-01T10:00:00+03:00").as_deref(), Some("2024-05-01T10:00:00+03:00"));
/// assert_eq!(normalize("2015-03-27T13:07:55.096Z").as_deref(), Some("2015-03-27T13:07:55Z"));
/// assert_eq!(normalize("Mon, 01 May 2024 10:00:00 GMT").as_deref(), Some("2024-05-01T10:00:00Z"));
/// assert_eq!(normalize("May 1, 2024").as_deref(), Some("2024-05-01"));
/// assert_eq!(normalize("2024-05-01 10:00").as_deref(), Some("2024-05-01"));
/// assert_eq!(normalize("next Tuesday"), None);
/// ```
pub fn normalize(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > MAX_LEN {
        return None;
    }
    let parsed = parse_iso(s)
        .or_else(|| parse_rfc2822(s))
        .or_else(|| parse_words(s))
        .or_else(|| parse_iso(strip_labels(s)))?;
    parsed.render()
}

/// Drops leading label words ("Updated:", "Published on") before a date.
fn strip_labels(mut s: &str) -> &str {
    loop {
        let t = s.trim_start_matches(|c: char| c.is_whitespace() || c == ':');
        let word_end = t.find(|c: char| !c.is_alphabetic()).unwrap_or(t.len());
        if word_end == 0 || !is_filler(&t[..word_end].to_lowercase()) {
            return t;
        }
        s = &t[word_end..];
    }
}

/// A date with what is known of its time and zone.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Parsed {
    date: NaiveDate,
    time: Option<NaiveTime>,
    offset: Option<FixedOffset>,
}

impl Parsed {
    fn render(self) -> Option<String> {
        if !YEARS.contains(&self.date.year()) {
            return None;
        }
        match (self.time, self.offset) {
            (Some(time), Some(offset)) => {
                let dt = offset
                    .from_local_datetime(&NaiveDateTime::new(self.date, time))
                    .single()?;
                Some(dt.to_rfc3339_opts(SecondsFormat::Secs, true))
            }
            _ => Some(self.date.format("%Y-%m-%d").to_string()),
        }
    }
}

fn parse_iso(s: &str) -> Option<Parsed> {
    let caps = ISO.captures(s).or_else(|| COMPACT.captures(s))?;
    let num = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(i32::try_from(num(1)?).ok()?, num(2)?, num(3)?)?;
    let time = match (num(4), num(5)) {
        (Some(h), Some(m)) => Some(NaiveTime::from_hms_opt(h, m, num(6).unwrap_or(0))?),
        _ => None,
    };
    let offset = match caps.get(7) {
        Some(z) => Some(parse_offset(z.as_str())?),
        None => None,
    };
    Some(Parsed { date, time, offset })
}

fn parse_rfc2822(s: &str) -> Option<Parsed> {
    let dt = DateTime::parse_from_rfc2822(s).ok()?;
    Some(Parsed {
        date: dt.date_naive(),
        time: Some(dt.time()),
        offset: Some(*dt.offset()),
    })
}

/// Reads `Z`, `UTC`, `GMT`, `+03:00`, `+0300`, `-04`.
fn parse_offset(z: &str) -> Option<FixedOffset> {
    if z.eq_ignore_ascii_case("z") || z.eq_ignore_ascii_case("utc") || z.eq_ignore_ascii_case("gmt")
    {
        return FixedOffset::east_opt(0);
    }
    let sign = match z.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = z[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// One lexical piece of a date written in words.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A run of digits: its value and how many digits it had.
    Num(u32, usize),
    /// A run of letters, lowercased.
    Word(String),
    /// `10:00` or `10:00:05`.
    Time(u32, u32, u32),
    /// `+0100`, `-04:00` right after a time.
    Offset(FixedOffset),
    /// A separator that matters for numeric dates: `/`, `.` or `-`.
    Sep(char),
}

/// Parses dates written with month names or as day/month/year numbers:
/// `May 1, 2024`, `1 May 2024`, `Fri Mar 13 21:30:09 EST 2015`,
/// `March 11, 2015 3:46 PM`, `1. Mai 2024`, `21/12/2018`, `21.12.2018`.
fn parse_words(s: &str) -> Option<Parsed> {
    let tokens = tokenize(s)?;
    let mut month: Option<u32> = None;
    let mut year: Option<i32> = None;
    let mut small: Vec<u32> = Vec::new();
    let mut time: Option<(u32, u32, u32)> = None;
    let mut offset: Option<FixedOffset> = None;
    let mut pm: Option<bool> = None;
    let mut seps: Vec<char> = Vec::new();
    let mut year_first = false;
    for token in &tokens {
        match token {
            Token::Num(n, 4) if year.is_none() => {
                year_first = small.is_empty();
                year = Some(i32::try_from(*n).ok()?);
            }
            Token::Num(n, 1 | 2) => small.push(*n),
            Token::Num(..) => return None,
            Token::Time(h, m, sec) if time.is_none() => time = Some((*h, *m, *sec)),
            Token::Time(..) => return None,
            Token::Offset(o) => offset = Some(*o),
            Token::Sep(c) => seps.push(*c),
            Token::Word(w) => {
                if let Some(m) = month_number(w) {
                    if month.replace(m).is_some() {
                        return None;
                    }
                } else if let Some(o) = zone_offset(w) {
                    offset = Some(o);
                } else if w == "am" || w == "pm" {
                    pm = Some(w == "pm");
                } else if !is_filler(w) {
                    return None;
                }
            }
        }
    }
    let year = year?;
    let (month, day) = match (month, small.as_slice()) {
        (Some(m), [d]) => (m, *d),
        // Numbers led by the year were ISO's to read (and failed there);
        // day/month/year is the only numeric order read here.
        (None, [a, b]) if !year_first => numeric_day_month(*a, *b, &seps)?,
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let time = match time {
        Some((h, m, sec)) => {
            let h = match pm {
                Some(true) if h < 12 => h + 12,
                Some(false) if h == 12 => 0,
                _ => h,
            };
            Some(NaiveTime::from_hms_opt(h, m, sec)?)
        }
        None => None,
    };
    Some(Parsed { date, time, offset })
}

/// Day and month of `a/b/yyyy`: a number above 12 must be the day; with dots
/// the European day-first order is the convention; otherwise it is a guess and
/// we decline.
fn numeric_day_month(a: u32, b: u32, seps: &[char]) -> Option<(u32, u32)> {
    if a > 12 && b <= 12 {
        Some((b, a))
    } else if b > 12 && a <= 12 {
        Some((a, b))
    } else if a == b || (!seps.is_empty() && seps.iter().all(|&c| c == '.')) {
        Some((b, a))
    } else {
        None
    }
}

fn tokenize(s: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = s.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            if chars.get(i) == Some(&':') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                let mut parts = vec![digits.parse::<u32>().ok()?];
                while chars.get(i) == Some(&':')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                    && parts.len() < 3
                {
                    i += 1;
                    let s0 = i;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                    parts.push(chars[s0..i].iter().collect::<String>().parse().ok()?);
                }
                // A fraction of a second adds nothing to a publication date.
                if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                {
                    i += 1;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                tokens.push(Token::Time(
                    parts[0],
                    parts[1],
                    parts.get(2).copied().unwrap_or(0),
                ));
            } else {
                if digits.len() > 8 {
                    return None;
                }
                tokens.push(Token::Num(digits.parse().ok()?, digits.len()));
            }
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            tokens.push(Token::Word(
                chars[start..i].iter().collect::<String>().to_lowercase(),
            ));
        } else if (c == '+' || c == '-')
            && matches!(tokens.last(), Some(Token::Time(..)) | Some(Token::Word(_)))
            && tokens.iter().any(|t| matches!(t, Token::Time(..)))
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ':') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            tokens.push(Token::Offset(parse_offset(&text)?));
        } else {
            if matches!(c, '/' | '.' | '-') {
                tokens.push(Token::Sep(c));
            }
            i += 1;
        }
    }
    Some(tokens)
}

/// Month names in the languages of most pages we see, full and abbreviated.
fn month_number(w: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &[
            "january", "jan", "januar", "janvier", "enero", "ene", "gennaio", "janeiro", "januari",
            "jänner",
        ],
        &[
            "february",
            "feb",
            "februar",
            "février",
            "fevrier",
            "febrero",
            "febbraio",
            "fevereiro",
            "februari",
        ],
        &["march", "mar", "märz", "mars", "marzo", "março", "maart"],
        &["april", "apr", "avril", "abril", "aprile", "abr"],
        &["may", "mai", "mayo", "maggio", "maio", "mei"],
        &["june", "jun", "juni", "juin", "junio", "giugno", "junho"],
        &["july", "jul", "juli", "juillet", "julio", "luglio", "julho"],
        &["august", "aug", "août", "aout", "agosto", "augustus"],
        &[
            "september",
            "sep",
            "sept",
            "septembre",
            "septiembre",
            "settembre",
            "setembro",
        ],
        &[
            "october", "oct", "oktober", "octobre", "octubre", "ottobre", "outubro", "okt",
        ],
        &["november", "nov", "novembre", "noviembre", "novembro"],
        &[
            "december",
            "dec",
            "dezember",
            "décembre",
            "decembre",
            "diciembre",
            "dicembre",
            "dezembro",
            "dez",
        ],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&w))
        .map(|i| i as u32 + 1)
}

/// Zone names with a single meaning; ambiguous ones (IST, CST in Asia) are
/// read as their North American or European sense, the common one on the web.
fn zone_offset(w: &str) -> Option<FixedOffset> {
    let hours = match w {
        "z" | "utc" | "gmt" | "ut" => 0,
        "bst" | "cet" | "wat" => 1,
        "cest" | "eet" => 2,
        "eest" | "msk" => 3,
        "est" => -5,
        "edt" => -4,
        "cst" => -6,
        "cdt" => -5,
        "mst" => -7,
        "mdt" => -6,
        "pst" => -8,
        "pdt" => -7,
        _ => return None,
    };
    FixedOffset::east_opt(hours * 3600)
}

/// Words that may surround a date without changing it: weekdays, ordinal
/// suffixes, "at", "on", "de" (Spanish/Portuguese "1 de mayo de 2024"), and
/// the labels pages put in front of dates.
fn is_filler(w: &str) -> bool {
    const WEEKDAYS: &[&str] = &[
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    const OTHER: &[&str] = &[
        "st",
        "nd",
        "rd",
        "th",
        "at",
        "on",
        "of",
        "the",
        "de",
        "del",
        "le",
        "um",
        "uhr",
        "à",
        "published",
        "posted",
        "updated",
        "modified",
        "created",
        "edited",
        "last",
        "date",
    ];
    WEEKDAYS.contains(&w) || OTHER.contains(&w)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    fn n(s: &str) -> Option<String> {
        normalize(s)
    }

    #[test]
    fn rfc3339_keeps_offset() {
        assert_eq!(
            n("2024-05-01T10:00:00+03:00").unwrap(),
            "2024-05-01T10:00:00+03:00"
        );
        assert_eq!(n("2024-05-01T10:00:00Z").unwrap(), "2024-05-01T10:00:00Z");
        assert_eq!(
            n("2024-05-01T10:00:00.123456+00:00").unwrap(),
            "2024-05-01T10:00:00Z"
        );
        assert_eq!(
            n("2021-11-01T10:52:50+0100").unwrap(),
            "2021-11-01T10:52:50+01:00"
        );
        assert_eq!(n("2017-11-16T14:15+0000").unwrap(), "2017-11-16T14:15:00Z");
        assert_eq!(
            n("2015-07-10 09:53:00 -0400").unwrap(),
            "2015-07-10T09:53:00-04:00"
        );
        assert_eq!(
            n("2020-11-11 12:00:00.000-0600").unwrap(),
            "2020-11-11T12:00:00-06:00"
        );
    }

    #[test]
    fn times_without_zone_become_days() {
        assert_eq!(n("2018-04-05T06:00").unwrap(), "2018-04-05");
        assert_eq!(n("2017-11-03 03:01:00.000000").unwrap(), "2017-11-03");
        assert_eq!(n("2017-11-24T18:42:20.314667").unwrap(), "2017-11-24");
        assert_eq!(n("March 11, 2015 3:46 PM").unwrap(), "2015-03-11");
    }

    #[test]
    fn day_only_and_compact_forms() {
        assert_eq!(n("2024-05-01").unwrap(), "2024-05-01");
        assert_eq!(n("2024/05/01").unwrap(), "2024-05-01");
        assert_eq!(n("2024.5.1").unwrap(), "2024-05-01");
        assert_eq!(n("20240501").unwrap(), "2024-05-01");
        assert_eq!(n("20170113000004").unwrap(), "2017-01-13");
        assert_eq!(n("20240501T100000Z").unwrap(), "2024-05-01T10:00:00Z");
    }

    #[test]
    fn rfc2822_and_ctime() {
        assert_eq!(
            n("Mon, 01 May 2024 10:00:00 GMT").unwrap(),
            "2024-05-01T10:00:00Z"
        );
        assert_eq!(
            n("Wed, 02 Oct 2002 15:00:00 +0200").unwrap(),
            "2002-10-02T15:00:00+02:00"
        );
        assert_eq!(
            n("Fri Mar 13 21:30:09 EST 2015").unwrap(),
            "2015-03-13T21:30:09-05:00"
        );
    }

    #[test]
    fn words() {
        assert_eq!(n("May 1, 2024").unwrap(), "2024-05-01");
        assert_eq!(n("1 May 2024").unwrap(), "2024-05-01");
        assert_eq!(n("1st May 2024").unwrap(), "2024-05-01");
        assert_eq!(n("Jan. 13, 2017").unwrap(), "2017-01-13");
        assert_eq!(n("Sept. 3, 2019").unwrap(), "2019-09-03");
        assert_eq!(n("Thursday, September 5, 2019").unwrap(), "2019-09-05");
        assert_eq!(n("April 28, 2019 at 6:01 am").unwrap(), "2019-04-28");
        assert_eq!(
            n("Published May 1, 2024 10:00 am EDT").unwrap(),
            "2024-05-01T10:00:00-04:00"
        );
        assert_eq!(
            n("12:30 am May 2, 2024 UTC").unwrap(),
            "2024-05-02T00:30:00Z"
        );
        assert_eq!(n("1. Mai 2024").unwrap(), "2024-05-01");
        assert_eq!(
            n("Last updated: 2024-05-01T10:00:00Z").unwrap(),
            "2024-05-01T10:00:00Z"
        );
        assert_eq!(n("1 de mayo de 2024").unwrap(), "2024-05-01");
        assert_eq!(n("3 décembre 2023").unwrap(), "2023-12-03");
    }

    #[test]
    fn numeric_day_month_order() {
        assert_eq!(n("21/12/2018").unwrap(), "2018-12-21");
        assert_eq!(n("05/29/2007 09:49:00").unwrap(), "2007-05-29");
        assert_eq!(n("21.12.2018").unwrap(), "2018-12-21");
        assert_eq!(n("03.04.2018").unwrap(), "2018-04-03");
        assert_eq!(n("03/04/2018"), None);
    }

    #[test]
    fn garbage_is_none() {
        for s in [
            "",
            "   ",
            "True",
            "yesterday",
            "3 hours ago",
            "2024-13-01",
            "2024-02-30",
            "0000-00-00",
            "0001-01-01",
            "May 2024",
            "May 1, 24",
            "1/2",
            "2024-05-01T25:00:00Z",
            "2024-05-01T10:00:00+99:00",
            "12345678901234567890",
            "By John Smith",
            "::::",
            "+-+-",
            "99:99 May 1 2024",
        ] {
            assert_eq!(n(s), None, "{s:?}");
        }
        assert_eq!(n(&"2024-05-01 ".repeat(1000)), None);
    }
}
