//! Escaping for Markdown (pull-request comments, change-board papers): text that
//! cannot start markup or HTML, code spans that a backtick cannot close, fences a
//! diff cannot end. GitHub renders HTML in Markdown, so `<` and `&` are entities.

/// Replaces what no rendered text should hold (controls, bidi overrides,
/// invisible marks) with U+FFFD, and line breaks with spaces.
fn clean(c: char) -> Option<char> {
    match c {
        '\n' | '\r' | '\t' => Some(' '),
        c if crate::structure::forbidden_char(c) => Some('\u{fffd}'),
        _ => None,
    }
}

/// Plain text in Markdown (also inside a table cell): no markup, no HTML.
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if let Some(r) = clean(c) {
            out.push(r);
            continue;
        }
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A code span holding `s` exactly (in a table cell `|` is escaped, as GitHub
/// requires even inside code).
pub fn md_code(s: &str) -> String {
    let body: String = s
        .chars()
        .map(|c| clean(c).unwrap_or(c))
        .collect::<String>()
        .replace('|', "\\|");
    let longest = longest_run(&body, '`');
    let ticks = "`".repeat(longest + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') || body.is_empty() {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{body}{pad}{ticks}")
}

/// A fence for a code block holding `body`: longer than any backtick run in it.
pub fn md_fence(body: &str) -> String {
    "`".repeat((longest_run(body, '`') + 1).max(3))
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        if c == ch {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// Pretty JSON of a value nhos defines. Serialising these cannot fail (every map
/// key is a string, no `Serialize` impl errors); if it ever did, the text says so
/// instead of being empty, so the failure is never silent.
pub fn json_pretty<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| {
        let msg = serde_json::Value::String(format!("nhos could not serialise this document: {e}"));
        format!("{{\n  \"error\": {msg}\n}}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_markup_html_and_controls() {
        assert_eq!(
            md_text("<img src=x onerror=alert(1)> *b* [l](u) a|b \u{1b}x\nnext"),
            "&lt;img src=x onerror=alert(1)&gt; \\*b\\* \\[l\\](u) a\\|b \u{fffd}x next"
        );
        assert_eq!(md_code("plain"), "`plain`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x`"), "`` `x` ``");
        assert_eq!(md_code("a|b"), "`a\\|b`");
        assert_eq!(md_fence("no ticks"), "```");
        assert_eq!(md_fence("a ```` b"), "`````");
    }
}
