//! Bytes plus a declared content type become UTF-8 text.

use crate::Error;

/// Decodes page bytes to text.
pub fn decode(bytes: &[u8], _content_type: Option<&str>) -> Result<String, Error> {
    Ok(String::from_utf8_lossy(bytes).into_owned())
}
