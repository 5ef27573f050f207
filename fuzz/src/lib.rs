//! What the fuzz targets assert beyond "no panic".

/// Every object with `start` and `end` in a serialised letter or report is a
/// span: it must lie inside the text, on character boundaries.
pub fn spans_in_bounds(value: &serde_json::Value, text: &str) {
    match value {
        serde_json::Value::Object(map) => {
            if let (Some(start), Some(end)) = (
                map.get("start").and_then(serde_json::Value::as_u64),
                map.get("end").and_then(serde_json::Value::as_u64),
            ) {
                let (start, end) = (start as usize, end as usize);
                assert!(
                    start <= end && end <= text.len(),
                    "span {start}..{end} outside 0..{}",
                    text.len()
                );
                assert!(
                    text.is_char_boundary(start) && text.is_char_boundary(end),
                    "span {start}..{end} splits a character"
                );
            }
            map.values().for_each(|v| spans_in_bounds(v, text));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| spans_in_bounds(v, text)),
        _ => {}
    }
}
