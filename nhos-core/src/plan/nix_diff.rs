//! The generated Nix of both sides as a text diff, leaving out hunks where only
//! provenance comments moved.

use super::FileDiff;
use crate::generate;
use crate::generate::GenerateOptions;
use crate::model::Estate;
use std::collections::BTreeSet;

/// The unified diff of one text file, leaving out hunks in which every changed line
/// is a comment (provenance comments move whenever a definition line above them
/// does). `None` when nothing but comments changed.
pub(super) fn meaningful_diff(path: &str, old: &str, new: &str) -> Option<String> {
    use similar::{ChangeTag, TextDiff, udiff::UnifiedDiffHunk};
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::new();
    for ops in diff.grouped_ops(3) {
        let only_comments = ops
            .iter()
            .flat_map(|op| diff.iter_changes(op))
            .filter(|c| c.tag() != ChangeTag::Equal)
            .all(|c| c.value().trim_start().starts_with('#'));
        if only_comments {
            continue;
        }
        if out.is_empty() {
            out.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
        }
        out.push_str(&UnifiedDiffHunk::new(ops, &diff, true).to_string());
    }
    (!out.is_empty()).then_some(out)
}

pub(super) fn nix_diff(a: &Estate, b: &Estate, today: crate::Date) -> Vec<FileDiff> {
    // The diff of the generated files is shown whatever the findings: the plan reports those.
    let opts = GenerateOptions {
        today,
        allow_findings: true,
    };
    let (Ok(ga), Ok(gb)) = (generate(a, &opts), generate(b, &opts)) else {
        return Vec::new();
    };
    let paths: BTreeSet<&String> = ga
        .files
        .keys()
        .chain(gb.files.keys())
        .filter(|p| *p != crate::generate::MANIFEST)
        .collect();
    let mut out = Vec::new();
    for p in paths {
        let (fa, fb) = (ga.files.get(p), gb.files.get(p));
        if fa == fb {
            continue;
        }
        let text = |f: Option<&Vec<u8>>| {
            f.map_or(Some(String::new()), |b| String::from_utf8(b.clone()).ok())
        };
        let unified = match (text(fa), text(fb)) {
            (Some(ta), Some(tb)) => match meaningful_diff(p, &ta, &tb) {
                Some(d) => d,
                // Only provenance comments moved (a line above them changed): not a
                // change to the configuration.
                None => continue,
            },
            _ => String::new(),
        };
        out.push(FileDiff {
            path: p.clone(),
            unified,
        });
    }
    out
}
