//! "Did you mean …" suggestions for misspelt names.

/// The candidate nearest to `name`, phrased as a hint, when one is near enough to be a
/// plausible typo (a case-insensitive match, or an edit distance of at most a third of the
/// name's length, and at least 1).
///
/// Ties go to the first candidate in the order given, so the hint is deterministic.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Names longer than this get no suggestion.
const MAX_SUGGEST_LEN: usize = 64;

/// The candidate nearest to `name`, if any is near enough (the did-you-mean of every
/// error that names something unknown).
///
/// # Example
/// ```
/// use dealzone::nearest;
/// assert_eq!(nearest("ukriane", ["russia", "ukraine"]), Some("ukraine"));
/// assert_eq!(nearest("europe", ["russia", "ukraine"]), None);
/// ```
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    // Long names are not typos of short ones, and edit distance is quadratic in length.
    if len > MAX_SUGGEST_LEN {
        return None;
    }
    let lower = name.to_lowercase();
    let limit = (len / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == name || c.chars().count().abs_diff(len) > limit {
            continue;
        }
        let d = if c.to_lowercase() == lower {
            0
        } else {
            strsim::damerau_levenshtein(&lower, &c.to_lowercase())
        };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let names = ["plus2", "plus4", "freeze"];
        assert_eq!(nearest("plus3", names), Some("plus2"));
        assert_eq!(nearest("FREEZE", names), Some("freeze"));
        assert_eq!(nearest("ceasefire", names), None);
        assert_eq!(
            did_you_mean("frezee", names).as_deref(),
            Some("did you mean `freeze`?")
        );
    }
}
