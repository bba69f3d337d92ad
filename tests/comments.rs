//! `Options::comments`: user comments go to their own field, never into `text`.

use copydesk::{Extractor, Options};

fn with_comments(fixture: &str) -> copydesk::Article {
    let html = std::fs::read(format!("fixtures/{fixture}.html")).expect("fixture exists");
    let opts = Options {
        comments: true,
        ..Options::default()
    };
    Extractor::new(opts).extract_bytes(&html, None, None)
}

fn wordpress() -> copydesk::Article {
    with_comments("wordpress-comments")
}

#[test]
fn comments_are_collected_in_order_without_their_furniture() {
    let a = wordpress();
    let comments = a.comments.expect("the post has comments");
    let lines: Vec<&str> = comments.lines().collect();
    assert_eq!(lines.len(), 7, "one line per comment paragraph: {comments}");
    assert!(lines[0].starts_with("This matches my experience almost exactly."));
    // Replies nest inside their parent's list item and keep thread order.
    assert!(lines[1].starts_with("Thank you, Margaret!"));
    assert!(lines[6].starts_with("Just what I needed to read"));
    for furniture in [
        "Reply",
        "says:",
        "15 April 2024",
        "Leave a Reply",
        "Post Comment",
    ] {
        assert!(
            !comments.contains(furniture),
            "{furniture:?} leaked into comments"
        );
    }
}

#[test]
fn comments_never_enter_the_text() {
    let a = wordpress();
    assert!(!a.text.contains("grapefruit halves"));
    assert!(a.text.contains("slugs"));
}

#[test]
fn comments_are_absent_unless_asked_for() {
    let html = std::fs::read("fixtures/wordpress-comments.html").expect("fixture exists");
    let a = Extractor::default().extract_bytes(&html, None, None);
    assert!(a.comments.is_none());
    let json = serde_json::to_value(&a).expect("serialises");
    assert!(
        json.get("comments").is_none(),
        "the field appears only when asked for"
    );
}

#[test]
fn comments_after_an_unmarked_title_are_collected() {
    // MovableType: no comment class, only `<h2 id="comments">` and bare divs.
    let a = with_comments("movabletype-unmarked-comments");
    let comments = a.comments.expect("the entry has comments");
    let said: Vec<&str> = comments
        .lines()
        .filter(|l| !l.starts_with("Posted by"))
        .collect();
    assert_eq!(said.len(), 3, "one line per comment: {comments}");
    assert!(said[0].starts_with("The same happened"));
    assert!(said[1].starts_with("I would add"));
    assert!(said[2].starts_with("Good piece, but"));
    assert!(!comments.contains("Post a comment"));
    assert!(!a.text.contains("northern route"));
    assert!(a.text.contains("A postponed refit is not a saving."));
}

/// A page whose article is followed by `after`, with `comments: true`.
fn page_with(after: &str) -> copydesk::Article {
    let para = "The article itself runs to several sentences, with commas and clauses, so that the scorer takes it for prose and keeps it as the story.";
    let html = format!(
        "<html><body><div id=\"main\"><h1>A headline for the story</h1>\
         <p>{para}</p><p>{para} It has a second paragraph.</p>{after}</div></body></html>"
    );
    let opts = Options {
        comments: true,
        ..Options::default()
    };
    Extractor::new(opts).extract_bytes(html.as_bytes(), None, None)
}

const COMMENT: &str = "<div class=\"b_box\">Posted by: tom, Bolton on 8:21pm</div>\
    <div class=\"entry\">I agree with every word of this, although the second half seemed a little rushed to me, frankly.</div>";

#[test]
fn comments_after_their_jump_anchor_are_collected() {
    let a = page_with(&format!("<a name=\"comments\"></a>{COMMENT}"));
    assert!(!a.text.contains("I agree with every word"), "{}", a.text);
    assert!(a
        .comments
        .expect("found")
        .contains("I agree with every word"));
}

#[test]
fn an_anchor_repeated_after_every_post_marks_no_comments() {
    // Blogger's front page: each post ends in its own `<a name="comments">`.
    let post = "<div class=\"post\"><p>Another post on the front page of this blog, long enough to be prose, with commas, and a full stop.</p></div><a name=\"comments\"></a>";
    let a = page_with(&post.repeat(2));
    assert!(
        a.text.contains("Another post on the front page"),
        "{}",
        a.text
    );
}

#[test]
fn a_comment_counter_above_the_article_cuts_nothing() {
    let para = "A counter above the story links down to the comments, and the story after it must stay whole, every sentence of it.";
    let a = page_with(&format!(
        "<div class=\"count\"><a href=\"#comments\">12 comments</a></div><p>{para}</p>"
    ));
    assert!(a.text.contains("must stay whole"), "{}", a.text);
}
