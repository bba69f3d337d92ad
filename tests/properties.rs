//! Property tests: on any bytes and on random tag soup, extraction never
//! panics, always yields a record that round-trips through JSON, and keeps
//! control characters out of `text`; the normalisers are idempotent. They
//! stand in for fuzzing in CI (the fuzz targets in fuzz/ need a nightly
//! toolchain), with a modest number of cases each.

use copydesk::{Article, Extractor, Options};
use proptest::prelude::*;

/// Pieces random pages are made of: tags that matter to the parser or the
/// extractor, entities, stray markup, and awkward characters.
const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<span>",
    "</span>",
    "<b>",
    "</b>",
    "<i>",
    "<a href=x>",
    "</a>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</table>",
    "<ul>",
    "<li>",
    "</ul>",
    "<pre>",
    "</pre>",
    "<code>",
    "<br>",
    "<h1>",
    "</h1>",
    "<article>",
    "</article>",
    "<nav>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<svg>",
    "</svg>",
    "<math>",
    "<title>",
    "<textarea>",
    "<select><option>",
    "<template>",
    "<noscript>",
    "<plaintext>",
    "<frameset>",
    "<![CDATA[",
    "]]>",
    "<?xml ?>",
    "<!doctype html>",
    "<meta charset=utf-16>",
    "<base href=//x>",
    "&amp;",
    "&#0;",
    "&#x1;",
    "&#xD800;",
    "&#128512;",
    "&nbsp;",
    "&bogus;",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "=",
    "/",
    "\0",
    "\u{1}",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{9c}",
    "\r",
    "\r\n",
    "\t",
    "\n",
    " ",
    "\u{a0}",
    "\u{200b}",
    "\u{2028}",
    "\u{feff}",
    "\u{fffd}",
    "é",
    "日本語",
    "🙂",
    "Words, with commas, and a sentence that runs on for a while.",
];

fn tag_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..200).prop_map(|p| p.concat())
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Keep shrinking short: CI time matters more than a minimal case.
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    }
}

/// The checks every record must pass.
fn check(article: &Article) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(article).expect("a record serialises");
    let back: Article = serde_json::from_str(&json).expect("a record parses back");
    prop_assert_eq!(&back, article);
    let bad = article
        .text
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t');
    prop_assert!(
        bad.is_none(),
        "control character {:?} in {:?}",
        bad,
        article.text
    );
    prop_assert!(
        !article.text.contains("\n\n"),
        "empty line in {:?}",
        article.text
    );
    prop_assert_eq!(
        article.word_count,
        copydesk::article::count_words(&article.text)
    );
    if article.error.is_some() {
        prop_assert!(article.text.is_empty());
    }
    Ok(())
}

fn extractor() -> Extractor {
    Extractor::new(Options {
        markdown: true,
        comments: true,
        ..Options::default()
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_bytes_give_a_valid_record(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(&extractor().extract_bytes(&bytes, None, None))?;
    }

    #[test]
    fn tag_soup_gives_a_valid_record(html in tag_soup()) {
        check(&extractor().extract(&html, Some("https://example.com/a")))?;
        check(&extractor().extract_bytes(html.as_bytes(), Some("text/html; charset=utf-8"), None))?;
    }

    #[test]
    fn tight_limits_still_give_a_valid_record(
        html in tag_soup(),
        max_bytes in 0usize..400,
        max_nodes in 1usize..50,
        max_depth in 0usize..6,
    ) {
        let tight = Extractor::new(Options {
            max_bytes,
            truncate: true,
            max_nodes,
            max_depth,
            ..Options::default()
        });
        let article = tight.extract(&html, None);
        check(&article)?;
        prop_assert!(article.error.is_none(), "{:?}", article.error);
    }

    #[test]
    fn the_pre_pass_drops_only_markup(html in tag_soup()) {
        let caps = copydesk::limits::tame::Caps { max_depth: 2, max_formatting: 1, max_attrs: 1 };
        let tamed = copydesk::limits::tame::tame(&html, &caps);
        // Besides dropping, the pass only adds empty comments (after a `<`
        // of text, so that it does not open a tag with what follows).
        let kept = tamed.html.replace("<!---->", "");
        let mut rest = html.chars();
        prop_assert!(kept.chars().all(|c| rest.any(|d| d == c)));
    }

    /// The pre-pass tames as the tame pass would, so that the tame pass can
    /// be skipped after it. (In SVG and MathML the pre-pass reads CDATA
    /// sections, which the tame pass takes for markup: pages with foreign
    /// content are left out.)
    #[test]
    fn the_merged_pre_pass_leaves_nothing_for_the_tame_pass(html in tag_soup()) {
        let caps = copydesk::limits::tame::Caps { max_depth: 2, max_formatting: 1, max_attrs: 1 };
        let stripped = copydesk::prefilter::strip_tamed(&html, false, &caps);
        let foreign = html.contains("<svg") || html.contains("<math");
        if stripped.whole && !foreign {
            let again = copydesk::limits::tame::tame(&stripped.html, &caps);
            prop_assert_eq!((again.dropped_tags, again.dropped_attrs), (0, 0), "{}", stripped.html);
        }
    }

    #[test]
    fn prefix_is_the_longest_char_boundary_prefix(s in ".{0,40}", max in 0usize..60) {
        let p = copydesk::limits::prefix(&s, max);
        prop_assert!(s.starts_with(p) && p.len() <= max);
        prop_assert!(p.len() == s.len() || p.len() + 4 > max);
        prop_assert_eq!(copydesk::limits::prefix(p, max), p);
    }

    #[test]
    fn space_normalisation_is_idempotent(s in "[ \t\r\na-zé\u{a0}\u{2028}]{0,40}") {
        let once = copydesk::eval::metrics::normalize_space(&s);
        prop_assert_eq!(copydesk::eval::metrics::normalize_space(&once), once);
    }

    #[test]
    fn language_tags_normalise_idempotently(tag in "[a-zA-Z]{0,3}([-_][a-zA-Z0-9]{0,4}){0,2}") {
        if let Some(once) = copydesk::lang::normalize(&tag) {
            prop_assert_eq!(copydesk::lang::normalize(&once), Some(once.clone()));
        }
    }

    #[test]
    fn dates_normalise_idempotently(
        raw in "(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]( |T)?([0-2][0-9]:[0-5][0-9](:[0-5][0-9])?)?(Z|[+-][01][0-9]:?[0-5][0-9])?"
    ) {
        if let Some(once) = copydesk::metadata::date::normalize(&raw) {
            prop_assert_eq!(copydesk::metadata::date::normalize(&once), Some(once.clone()));
        }
    }
}
