//! Time formatting for messages: a leaf module, so errors and reports can both use it
//! without importing each other.

/// Formats Unix seconds as RFC 3339 UTC.
pub(crate) fn fmt_time(secs: i64) -> String {
    ::time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&::time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("{secs} s after 1970"))
}
