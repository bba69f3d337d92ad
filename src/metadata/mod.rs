//! Page metadata: title, byline, date, site, language, description, image, canonical URL.

/// What the markup says about the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// Headline without the site suffix.
    pub title: Option<String>,
    /// Author(s).
    pub byline: Option<String>,
    /// Publication date, ISO 8601.
    pub date: Option<String>,
    /// Outlet name.
    pub site_name: Option<String>,
    /// Language declared by the markup (ISO 639-1 where possible).
    pub lang: Option<String>,
    /// Meta description.
    pub description: Option<String>,
    /// Lead image URL.
    pub image: Option<String>,
    /// Canonical URL.
    pub canonical_url: Option<String>,
}

/// Reads the metadata of a parsed page.
pub fn extract(_doc: &scraper::Html, _url: Option<&str>) -> Metadata {
    Metadata::default()
}
