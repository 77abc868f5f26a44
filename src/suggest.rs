//! "Did you mean": the known name closest to a mistyped one (edit distance), and lists
//! of known names short enough to read (a generated Terraform file has 150 blocks).

/// How many names a list shows before "and N more".
const SHOWN: usize = 10;

/// The candidate closest to `wanted`, when it is close enough to be a typo: at most a
/// third of its length in edits (and at least 2).
pub fn closest<'c>(wanted: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .iter()
        .map(|candidate| (distance(wanted, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// `did you mean `x`? ` when one is close, then `what: a, b, c (and 140 more)`.
pub fn hint(wanted: &str, candidates: &[&str], what: &str) -> String {
    let guess = closest(wanted, candidates)
        .map(|guess| format!("did you mean `{guess}`? "))
        .unwrap_or_default();
    if candidates.is_empty() {
        return format!("{guess}{what}: none");
    }
    let shown: Vec<&str> = candidates.iter().take(SHOWN).copied().collect();
    let more = candidates.len().saturating_sub(SHOWN);
    let rest = if more > 0 {
        format!(" (and {more} more)")
    } else {
        String::new()
    };
    format!("{guess}{what}: {}{rest}", shown.join(", "))
}

/// The Levenshtein distance between `a` and `b`, in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, b_char) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_char != *b_char);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{closest, hint};

    #[test]
    fn a_typo_finds_its_name_and_long_lists_are_cut() {
        let blocks = [
            "resource.aws_eks_cluster.main",
            "resource.aws_vpc.main",
            "module.network",
        ];
        assert_eq!(
            closest("resource.aws_eks_clustr.main", &blocks),
            Some("resource.aws_eks_cluster.main")
        );
        assert_eq!(closest("variable.region", &blocks), None);
        let many: Vec<String> = (0..150)
            .map(|n| format!("resource.aws_s3_bucket.b{n}"))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let text = hint("resource.aws_s3_bucket.b7x", &many, "blocks in the file");
        assert!(
            text.starts_with("did you mean `resource.aws_s3_bucket.b7`? blocks in the file: "),
            "{text}"
        );
        assert!(text.ends_with("(and 140 more)"), "{text}");
        assert_eq!(hint("x", &[], "sources"), "sources: none");
    }
}
