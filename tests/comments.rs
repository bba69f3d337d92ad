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
