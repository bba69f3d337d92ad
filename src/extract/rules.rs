//! Every heuristic constant of the extractor, with the page kind that taught it.

use regex::Regex;
use scraper::node::Element;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Elements whose content is never article text: code, styling, embedded
/// documents, and the document head.
pub fn is_never_content(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "iframe"
            | "frame"
            | "frameset"
            | "head"
            | "link"
            | "meta"
            | "title"
            | "base"
            | "object"
            | "embed"
            | "canvas"
            | "map"
            | "area"
            | "source"
            | "track"
            | "param"
            | "dialog"
    )
}

/// Form controls: kept as childless nodes, because how many a block holds
/// tells a form from prose, but their labels and options are never text.
pub fn is_control(name: &str) -> bool {
    matches!(name, "select" | "option" | "textarea" | "input" | "button")
}

/// Matches inline styles that hide an element.
static HIDDEN_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden").expect("valid regex")
});

/// Class names that hide an element or show it only to screen readers
/// ("Skip to content" links, form-state messages such as "Successfully
/// subscribed" that scripts reveal later).
static HIDDEN_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(^|\s)(hidden|is-hidden|d-none|hide|invisible|sr-only|visually-hidden|visuallyhidden|screen-reader-text|screen-reader-only|skip-link|skiplink|skip-to-content|a11y-hidden|u-hidden|element-invisible|offscreen|none|display-none|nodisplay|no-display)(\s|$)",
    )
    .expect("valid regex")
});

/// True when the page hides this element from readers.
pub fn is_hidden(e: &Element) -> bool {
    // One pass over the attributes instead of one per name: this runs for every element.
    let attrs = super::dom::Attrs::of(e);
    if attrs.get("hidden").is_some() {
        return true;
    }
    if e.name() == "input"
        && attrs
            .get("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("hidden"))
    {
        return true;
    }
    if let Some(v) = attrs.get("aria-hidden") {
        // Some sites put aria-hidden on decorative wrappers of lead images
        // whose fallback holds real content; Readability keeps those too.
        if v.eq_ignore_ascii_case("true")
            && !attrs
                .get("class")
                .is_some_and(|c| c.contains("fallback-image"))
        {
            return true;
        }
    }
    if let Some(s) = attrs.get("style") {
        if HIDDEN_STYLE.is_match(s) {
            return true;
        }
    }
    if let Some(c) = attrs.get("class") {
        if HIDDEN_CLASS.is_match(c) {
            return true;
        }
    }
    false
}

/// Commas of Latin, CJK and Arabic scripts: each one is a clause, a sign of prose.
pub fn is_comma(c: char) -> bool {
    matches!(c, ',' | '，' | '、' | '،' | '﹐' | '︐' | '﹑' | '⸲' | '⸴')
}

/// Class/id vocabulary of page furniture (Readability's list, grown with
/// what modern news pages use: newsletter and donation boxes, recirculation
/// rails, consent banners, audio players).
pub static UNLIKELY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)-ad-|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|newsletter|subscri|donat|membership|paywall|cookie|consent|recommend|share|sharing|promo|outbrain|taboola|audio-player|listen|most-popular|mostpopular|trending|signup|sign-up|newsfeed|news-feed|feed-|-feed|editors-pick|editorspick|more-news|morenews|you-may|also-like|toolbar|navbar|masthead|topbar|author-bio|author-box|author-info|author-description|author-card|about-author|about-the-author|authorbio|bio-box|tags|tag-list|taglist|keywords|topics|corrections|print|breadcrumbs|pagination|back-to-top|backtotop|skip|copyright|postmetadata|postmeta|entry-meta|widget|login|log-in|signin|sign-in",
    )
    .expect("valid regex")
});

/// Class/id words that rescue an element that also looks like furniture
/// ("main-content-with-sidebar").
pub static MAYBE_CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)and|article|body|column|content|main|mathjax|shadow|story|entry|post-text")
        .expect("valid regex")
});

/// Class names that publishing systems give the article body itself
/// (WordPress `entry-content`, Blogger `post-body`, news CMSs
/// `article-body`), matched as whole class names.
pub static BODY_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|\s)(entry-content|entry-body|post-content|post-body|post-entry|postbody|article-body|articlebody|article__body|article-content|articlecontent|story-body|storybody|blog-post-body|td-post-content)(\s|$)")
        .expect("valid regex")
});
/// Below this many characters the paragraph vote is too weak to trust over
/// the publisher's own body marker.
pub const SMALL_CONTENT_CHARS: u32 = 300;

/// Text a post's wrapper may add to its marked body: title, date, byline.
pub const POST_HEADER_CHARS: u32 = 250;

/// Blogger's posts column, a "widget" like the sidebar's boxes
/// (`class="widget Blog"`, where the sidebar has `widget BlogArchive`,
/// `widget Profile`…): the one widget that is the content.
pub static POSTS_WIDGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(^|\s)blog(\s|$)").expect("valid regex"));

/// Class/id words of typeset mathematics (MathJax, KaTeX): a formula is a
/// few characters, so no size test could rescue it, and its renderer's
/// class names carry words like "menu" (`CtxtMenu_Attached_0`).
pub static MATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)mathjax|katex|\bmjx-").expect("valid regex"));

/// Class/id words of content containers (+25).
pub static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|prose",
    )
    .expect("valid regex")
});

/// Class/id words of furniture (−25).
pub static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|newsletter|subscri|donat|recommend|teaser|byline|caption|credit",
    )
    .expect("valid regex")
});

/// ARIA roles of furniture.
pub fn is_unlikely_role(role: &str) -> bool {
    matches!(
        role.to_ascii_lowercase().as_str(),
        "menu"
            | "menubar"
            | "complementary"
            | "navigation"
            | "alert"
            | "alertdialog"
            | "dialog"
            | "banner"
            | "contentinfo"
            | "search"
    )
}

/// Class/id of bylines (removed from text; the metadata keeps the author).
pub static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)byline|author|dateline|writtenby|p-author").expect("valid regex")
});

/// Class/id of share widgets, removed inside the article when short.
pub static SHARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(\b|_)(share|sharedaddy)(\b|_)").expect("valid regex"));

/// Class/id of user comment sections.
pub static COMMENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)comment|disqus|respond|replies|discussion").expect("valid regex")
});

/// The whole text of a title that opens a comment section ("Comments",
/// "12 Responses to “…”", "Leave a Reply", "Reader Feedback:"). Section
/// names an article itself uses ("Discussion", "Reactions", "Responses")
/// count only with a number, which a comment counter has and a section
/// heading has not (MovableType and Telegraph blogs open their unmarked
/// comment lists this way).
pub static COMMENTS_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)^(?:(?:user|users'?|reader|readers'?|visitor|leser)?\s*(?:comments|kommentare|commentaires|comentarios|commenti|reacties|komentarze|评论|コメント)(?:\s*\(\d+\))?|\d+\s+(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties|komentarz[ey]?|responses?|replies|reactions|thoughts)(?:\s+(?:on|to)\b.*)?|(?:comments?|responses?|replies)\s+(?:on|to)\s+[“"‘'].*|(?:leave|post|add|write|submit)\s+(?:a|your)\s+(?:comment|reply|response)|reader\s+feedback|have\s+your\s+say|join\s+the\s+(?:discussion|conversation))\s*:?$"#,
    )
    .expect("valid regex")
});

/// The text of an in-page link back to the top of the page ("Back to Top",
/// "↑ Top", "Nach oben"), which long pages repeat after every section.
pub static BACK_TO_TOP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:back to (?:the )?top|(?:go |return |jump )?to top|top(?: of (?:the )?page)?|nach oben|zum seitenanfang|haut de page|retour en haut|volver arriba|torna su|naar boven)\W*$")
        .expect("valid regex")
});

/// Class/id words (whole tokens of a class name split at `-`, `_` and case
/// changes) of advertising slots, which are furniture on every page.
pub fn is_ad_token(t: &str) -> bool {
    matches!(
        t,
        "ad" | "ads"
            | "advert"
            | "adverts"
            | "advertisement"
            | "advertising"
            | "adslot"
            | "adunit"
            | "adsense"
            | "mpu"
            | "dfp"
            | "gpt"
            | "sponsored"
            | "superbanner"
            | "billboard"
            | "leaderboard"
    )
}

/// Class/id words of picture captions and credits, and of small labels that
/// sit on top of content (badges, reading time): they describe the page, not the story.
pub static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)caption|credit|readtime|read-time|reading-time|readingtime|__reading|badge|photo-source|image-source|kicker|eyebrow|overline|views|view-count|viewcount|hits-count|pageviews")
        .expect("valid regex")
});

/// Splits a class/id string into lower-case word tokens (`c-ad__label` →
/// `c`, `ad`, `label`; `ArticleTags` → `article`, `tags`).
///
/// Tokens are borrowed from `raw` unless they hold capitals: this runs on
/// every element of every page.
///
/// ```
/// let t: Vec<_> = copydesk::extract::rules::class_tokens("c-ad__label ArticleTags x2Y").collect();
/// assert_eq!(t, ["c", "ad", "label", "article", "tags", "x2", "y"]);
/// ```
pub fn class_tokens(raw: &str) -> ClassTokens<'_> {
    ClassTokens { raw, pos: 0 }
}

/// The tokens of a class/id string (see [`class_tokens`]).
pub struct ClassTokens<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> Iterator for ClassTokens<'a> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Cow<'a, str>> {
        let b = self.raw.as_bytes();
        let mut i = self.pos;
        while i < b.len() && !b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == b.len() {
            self.pos = i;
            return None;
        }
        let start = i;
        i += 1;
        // A new token starts at a capital after a lower-case letter or digit.
        while i < b.len()
            && b[i].is_ascii_alphanumeric()
            && !(b[i].is_ascii_uppercase()
                && (b[i - 1].is_ascii_lowercase() || b[i - 1].is_ascii_digit()))
        {
            i += 1;
        }
        self.pos = i;
        let token = &self.raw[start..i];
        Some(if token.bytes().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(token.to_ascii_lowercase())
        } else {
            Cow::Borrowed(token)
        })
    }
}

/// Paragraphs shorter than this (in characters) do not vote for their ancestors.
pub const MIN_PARAGRAPH_CHARS: u32 = 25;
/// A paragraph earns a point per comma up to one per this many characters:
/// an open letter's list of signatories ("Name, University" a line, in
/// table cells) outscored the letter itself on commas alone.
pub const CHARS_PER_COMMA: u32 = 60;
/// How many ancestor levels a paragraph's score reaches.
pub const SCORE_ANCESTOR_LEVELS: usize = 5;
/// How many top candidates are compared when choosing the main content.
pub const TOP_CANDIDATES: usize = 5;
/// An extraction shorter than this (characters) is retried with looser rules.
pub const RETRY_CHARS: usize = 500;
/// A class/id match is worth this many points.
pub const CLASS_WEIGHT: f32 = 25.0;
/// A looser retry replaces a stricter result only when it has this many times
/// more prose: short blog posts otherwise lose to their sidebar's "About me"
/// (dragnet's blogs; 1.5 let them through, 6 starts losing real articles).
pub const RETRY_GAIN: f32 = 4.0;
/// Characters outside links that make a line a paragraph of prose rather
/// than a teaser's standfirst.
pub const PROSE_LINE_CHARS: usize = 200;
/// Share of a list's text inside links above which the list is navigation.
pub const LINK_LIST_DENSITY: f32 = 0.8;
/// Linked headings that make a page a list of teasers.
pub const LISTING_MIN_TEASERS: usize = 4;
/// Text per linked heading below which the page is teasers, not posts.
pub const TEASER_CHARS: usize = 400;
/// A trailing line shorter than this without closing punctuation is a label.
pub const LABEL_CHARS: usize = 40;
/// Last lines of an article that are notes about it, not part of it:
/// copyright and licence lines, picture credits ("Titelbild: AFP"). Checked
/// only at the end of the text, where such notes sit.
pub static TAIL_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(©|\(c\) |copyright\b)|all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|^(titelbild|beitragsbild|titelfoto|aufmacherbild|header image|featured image|cover image|foto|fotos|photo|photos|bild|image|credits?)\s*:")
        .expect("valid regex")
});
/// A picture's caption by its text: it ends in a bracketed photo credit
/// ("… (Thomas Coex/AFP/Getty Images)", "… (photo via AP)").
pub static PHOTO_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\([^()]*(?:getty|images?|photo|foto|ap|afp|reuters|dpa|imago|shutterstock)[^()]*\)\W*$")
        .expect("valid regex")
});

/// End notes longer than this are paragraphs that merely mention copyright.
pub const TAIL_NOTE_CHARS: usize = 300;
/// A label closing the text ("Weitere Informationen:") is at most this long…
pub const TAIL_LABEL_CHARS: usize = 60;
/// …and introduces at most this many links.
pub const TAIL_LABEL_MAX_ITEMS: usize = 6;
/// Characters that close a sentence (or a quoted one), in the scripts we meet.
pub const SENTENCE_END: &[char] = &[
    '.', '!', '?', '…', '"', '”', '»', '。', '！', '？', '’', '\'', '؟', '।',
];
/// Link density above which a well-scored sibling of the content is not joined to it.
pub const SIBLING_MAX_LINK_DENSITY: f32 = 0.3;
/// Class/id words of an article's lead paragraph (standfirst), which sites
/// set in the header apart from the body: "lead", "intro", the French
/// "chapo", the German "Vorspann" and "Teaser", the Czech and Slovak
/// "perex", the Scandinavian "ingress", the Spanish "entradilla"/"bajada",
/// the Italian "sommario"; and "subtitle", a paragraph set under the
/// headline in the article head (a broadcaster's `p.subtitle`; headings are
/// no leads, and the length test keeps short subtitles out).
pub static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|[^a-z])(lead|leadtext|lede|intro|introduction|standfirst|summary|excerpt|abstract|deck|dek|subline|subtitle|chapo|chapeau|kurztext|vorspann|teaser|article-teaser|perex|ingress|entradilla|bajada|sommario)([^a-z]|$)")
        .expect("valid regex")
});
/// Same-named blocks that make the article's container (page builders
/// that wrap each paragraph in wrappers of its own, `paragraph-text` or
/// `wpb_text_column`, which the paragraph vote cannot climb out of)...
pub const SHARED_BLOCKS_MIN: usize = 3;
/// ...each scoring at least this share of the best block...
pub const SHARED_BLOCK_SCORE: f32 = 0.2;
/// ...with at most this share of link text (teasers under the story share
/// its generic `module-content`)...
pub const SHARED_BLOCK_LINK_DENSITY: f32 = 0.15;
/// ...found within this many levels above it.
pub const SHARED_BLOCK_LEVELS: usize = 6;
/// Class/id or itemprop words of a recipe's ingredient list, which recipe
/// templates set in a box of its own beside the method.
pub static INGREDIENTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)ingredient|zutaten|skladniki").expect("valid regex"));
/// Ingredient blocks kept beside the content at most: a page with more is a
/// recipe index, not one recipe.
pub const MAX_INGREDIENT_BLOCKS: usize = 3;
/// A lead shorter than this is a kicker or a label, not a paragraph.
pub const LEAD_MIN_CHARS: u32 = 50;
/// Characters that end a label pointing at a link ("Lesen Sie auch:",
/// "À lire aussi »", "Read more →").
pub const LABEL_END: &[char] = &[':', '»', '›', '→', '>'];
/// A paragraph this long whose text outside links is no more than a label...
pub const LINK_TEASER_MIN_CHARS: u32 = 30;
/// ...of at most this many characters points to another page.
pub const LINK_TEASER_LABEL_CHARS: u32 = 25;

#[cfg(test)]
mod tests {
    use super::*;

    /// Words split at non-alphanumerics, then at each capital after a
    /// lower-case letter or digit: the definition `class_tokens` follows.
    fn tokens_by_chars(raw: &str) -> Vec<String> {
        let mut out = Vec::new();
        for w in raw
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let mut cur = String::new();
            let mut prev_lower = false;
            for c in w.chars() {
                if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                cur.push(c.to_ascii_lowercase());
            }
            out.push(cur);
        }
        out
    }

    #[test]
    fn class_tokens_split_as_words_do() {
        for raw in [
            "",
            "  ",
            "c-ad__label ArticleTags",
            "ADSlot mpuTop x2Y Ad",
            "caf\u{e9}Ad--B\u{e9}b\u{e9} \u{2003}Z",
            "a_b-c d",
        ] {
            let got: Vec<String> = class_tokens(raw).map(Cow::into_owned).collect();
            assert_eq!(got, tokens_by_chars(raw), "{raw:?}");
        }
    }

    /// Class/id words never match an empty class/id, which is why callers
    /// may skip the test for elements without one.
    #[test]
    fn class_patterns_need_a_word() {
        for re in [
            &*UNLIKELY,
            &*MAYBE_CANDIDATE,
            &*POSITIVE,
            &*NEGATIVE,
            &*BYLINE,
            &*COMMENTS,
        ] {
            assert!(!re.is_match(""), "{re}");
        }
    }
}
