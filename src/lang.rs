//! Language of a text when the markup does not say, and normalisation of the
//! language tags that markup does carry.

use whatlang::Lang;

/// Texts with fewer characters than this are not guessed at: trigram
/// statistics over a headline-sized snippet are noise.
const MIN_CHARS: usize = 50;

/// Only this many bytes (at most) are given to the detector; a paragraph or
/// two decide the language as well as a whole book and cost far less. On
/// the 2,694 bench pages, 1 KiB and 4 KiB samples disagree on one page, and
/// the detector takes 40 % less time (`copydesk bench`, stage "finish").
const MAX_SAMPLE_BYTES: usize = 1024;

/// Confidence accepted below whatlang's own "reliable" mark (0.9), but only for
/// texts of at least [`LONG_TEXT_CHARS`]: on long texts a clear lead over the
/// runner-up is rarely wrong, while closely related languages (Danish and
/// Norwegian, Serbian and Croatian) keep confidence low however long the text.
const LONG_TEXT_MIN_CONFIDENCE: f64 = 0.5;

/// See [`LONG_TEXT_MIN_CONFIDENCE`].
const LONG_TEXT_CHARS: usize = 200;

/// Share of the words of a sample, in percent, that English function words
/// must reach for [`detect`] to settle on English without the detector.
/// Running English text has 35 to 50 % of them; on the bench pages whose
/// markup declares no language, no text the detector calls another
/// language reaches 9 %, and nine in ten English texts pass 25 %.
const ENGLISH_FUNCTION_WORD_PERCENT: usize = 25;

/// Words a sample needs before the function-word share is trusted.
const MIN_SAMPLE_WORDS: usize = 30;

/// Detects the language of `text`, as a lowercase ISO 639-1 code.
///
/// Returns `None` for texts shorter than 50 characters and when the detector
/// is unsure (whatlang confidence at most 0.9, or below 0.5 on texts of 200
/// characters or more). Plain English prose, where a quarter of the words
/// or more are English function words ("the", "of", "and", ...), is
/// settled without the detector, which costs the same on any text (it
/// scores the sample against every Latin-script language) and is the
/// largest cost of extraction after the parse on the pages that need it.
///
/// ```
/// let text = "The quick brown fox jumps over the lazy dog, and then it runs \
///     away into the forest where nobody can find it ever again.";
/// assert_eq!(copydesk::lang::detect(text).as_deref(), Some("en"));
/// assert_eq!(copydesk::lang::detect("Too short"), None);
/// ```
pub fn detect(text: &str) -> Option<String> {
    let sample = text.trim();
    let sample = &sample[..floor_char_boundary(sample, MAX_SAMPLE_BYTES)];
    let chars = sample.chars().count();
    if chars < MIN_CHARS {
        return None;
    }
    if is_plain_english(sample) {
        return Some("en".to_owned());
    }
    let info = whatlang::detect(sample)?;
    let confident = info.is_reliable()
        || (chars >= LONG_TEXT_CHARS && info.confidence() >= LONG_TEXT_MIN_CONFIDENCE);
    confident.then(|| iso639_1(info.lang()).to_owned())
}

/// Whether English function words make up [`ENGLISH_FUNCTION_WORD_PERCENT`]
/// of the words of `sample` (of at least [`MIN_SAMPLE_WORDS`]).
fn is_plain_english(sample: &str) -> bool {
    let (mut words, mut function) = (0usize, 0usize);
    for word in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        function += usize::from(is_english_function_word(word));
    }
    words >= MIN_SAMPLE_WORDS && function * 100 >= words * ENGLISH_FUNCTION_WORD_PERCENT
}

/// The forty most frequent English function words, in any case.
fn is_english_function_word(word: &str) -> bool {
    let mut buf = [0u8; 5];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"the"
            | b"and"
            | b"of"
            | b"to"
            | b"in"
            | b"is"
            | b"that"
            | b"for"
            | b"it"
            | b"with"
            | b"was"
            | b"on"
            | b"as"
            | b"are"
            | b"be"
            | b"this"
            | b"by"
            | b"have"
            | b"from"
            | b"at"
            | b"a"
            | b"an"
            | b"he"
            | b"she"
            | b"his"
            | b"her"
            | b"they"
            | b"we"
            | b"you"
            | b"not"
            | b"but"
            | b"or"
            | b"has"
            | b"had"
            | b"were"
            | b"been"
            | b"which"
            | b"their"
            | b"will"
            | b"would"
    )
}

/// Turns a markup language tag (`en-US`, `EN`, `en_GB`, `de-DE`, `zh-Hans-CN`)
/// into its lowercase primary subtag (`en`, `de`, `zh`).
///
/// Returns `None` when the primary subtag is not 2 or 3 ASCII letters, which
/// also rejects placeholders such as `x-default`, `*` and empty values.
///
/// ```
/// use copydesk::lang::normalize;
/// assert_eq!(normalize("en-US").as_deref(), Some("en"));
/// assert_eq!(normalize(" EN_gb ").as_deref(), Some("en"));
/// assert_eq!(normalize("x-default"), None);
/// ```
pub fn normalize(tag: &str) -> Option<String> {
    // `content-language` may list several languages; the first one leads.
    let first = tag.split([',', ';']).next()?.trim();
    let primary = first.split(['-', '_']).next()?;
    let ok = (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
    ok.then(|| primary.to_ascii_lowercase())
}

/// The largest index `<= max` that falls on a char boundary of `s`.
fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    // A UTF-8 char is at most 4 bytes, so a boundary lies within 3 steps back.
    (max.saturating_sub(3)..=max)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

/// The ISO 639-1 code of a whatlang language. The match has no wildcard so
/// that a language added by a whatlang upgrade fails to compile here rather
/// than silently going unmapped.
fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_languages() {
        let de = "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für \
                  erneuerbare Energien im kommenden Jahr deutlich zu erhöhen.";
        let ru = "Правительство в среду решило значительно увеличить поддержку \
                  возобновляемой энергетики в следующем году.";
        let ja = "政府は水曜日、来年の再生可能エネルギーへの支援を大幅に増やすことを決定した。\
                  これにより多くの企業が新しい事業を始めることができるようになると見られている。";
        assert_eq!(detect(de).as_deref(), Some("de"));
        assert_eq!(detect(ru).as_deref(), Some("ru"));
        assert_eq!(detect(ja).as_deref(), Some("ja"));
    }

    #[test]
    fn plain_english_is_settled_as_the_detector_would() {
        let en = "The committee said on Tuesday that it would review the rules for the \
                  next season, and that clubs which had broken them in the past would be \
                  asked to explain what they had done with the money they were given.";
        assert!(is_plain_english(en));
        assert_eq!(iso639_1(whatlang::detect(en).unwrap().lang()), "en");
        assert_eq!(detect(en).as_deref(), Some("en"));
        // Other languages share a few of the words ("in", "on", "a"), never a quarter.
        for other in [
            "Le comité a déclaré mardi qu'il examinerait les règles de la saison prochaine, \
             et que les clubs qui les avaient enfreintes par le passé seraient invités à \
             expliquer ce qu'ils avaient fait de l'argent qui leur avait été donné.",
            "De commissie zei dinsdag dat zij de regels voor het volgende seizoen zou \
             herzien, en dat clubs die ze in het verleden hadden overtreden zouden moeten \
             uitleggen wat zij hadden gedaan met het geld dat zij hadden gekregen.",
            "Der Ausschuss sagte am Dienstag, er werde die Regeln für die nächste Saison \
             überprüfen, und Vereine, die in der Vergangenheit dagegen verstoßen hätten, \
             müssten erklären, was sie mit dem Geld gemacht hätten, das sie bekommen hatten.",
        ] {
            assert!(!is_plain_english(other), "{other}");
        }
        // A heading-sized English text is left to the detector.
        assert!(!is_plain_english("The end of the road for the old bridge"));
    }

    #[test]
    fn short_or_meaningless_text_is_none() {
        assert_eq!(detect(""), None);
        assert_eq!(detect("Hello world, how are you?"), None);
        assert_eq!(detect(&"1234567890 ".repeat(20)), None);
    }

    #[test]
    fn huge_text_is_sampled_without_splitting_chars() {
        let text = "Это длинный русский текст о погоде и политике. ".repeat(2000);
        assert_eq!(detect(&text).as_deref(), Some("ru"));
    }

    #[test]
    fn every_whatlang_language_maps_to_two_letters() {
        for &lang in Lang::all() {
            let code = iso639_1(lang);
            assert_eq!(code.len(), 2, "{lang:?}");
            assert!(code.bytes().all(|b| b.is_ascii_lowercase()), "{lang:?}");
        }
    }

    #[test]
    fn normalizes_tags() {
        assert_eq!(normalize("de-DE").as_deref(), Some("de"));
        assert_eq!(normalize("pt_BR").as_deref(), Some("pt"));
        assert_eq!(normalize("fr").as_deref(), Some("fr"));
        assert_eq!(normalize("en-US, fr").as_deref(), Some("en"));
        assert_eq!(normalize("fil-PH").as_deref(), Some("fil"));
        assert_eq!(normalize(""), None);
        assert_eq!(normalize("*"), None);
        assert_eq!(normalize("english"), None);
    }
}
