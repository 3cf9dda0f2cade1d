//! The walker understands every keyword and format the definition schemas use, and
//! integer formats bound values (a `uint32` past its type is out of range, at its
//! line).

use super::*;

fn keywords(
    v: &Value,
    out: &mut std::collections::BTreeSet<String>,
    formats: &mut std::collections::BTreeSet<String>,
) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.insert(k.clone());
                if k == "format" {
                    formats.insert(x.as_str().unwrap_or("").to_owned());
                }
                // Property and definition names are not keywords.
                if k == "properties" || k == "$defs" {
                    for sub in x.as_object().into_iter().flat_map(|o| o.values()) {
                        keywords(sub, out, formats);
                    }
                } else {
                    keywords(x, out, formats);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| keywords(x, out, formats)),
        _ => {}
    }
}

#[test]
fn every_schema_keyword_is_understood() {
    use crate::schema::FileKind;
    let mut seen = std::collections::BTreeSet::new();
    let mut formats = std::collections::BTreeSet::new();
    for kind in [
        FileKind::Estate,
        FileKind::Branding,
        FileKind::Policy,
        FileKind::Profile,
    ] {
        keywords(&crate::schema::schema_for(kind), &mut seen, &mut formats);
    }
    let unknown: Vec<&String> = seen
        .iter()
        .filter(|k| !UNDERSTOOD_KEYWORDS.contains(&k.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "schema keywords the walker would ignore: {unknown:?}"
    );
    let unknown: Vec<&String> = formats
        .iter()
        .filter(|f| !UNDERSTOOD_FORMATS.contains(&f.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "formats the walker would ignore: {unknown:?}"
    );
    // Not vacuous: the definition schemas use the constraints that matter.
    for k in [
        "$ref",
        "properties",
        "additionalProperties",
        "oneOf",
        "minimum",
        "format",
    ] {
        assert!(seen.contains(k), "{k} not seen");
    }
}

#[test]
fn an_idle_delay_past_uint32_is_reported_at_its_line() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/example-valley");
    let mut tree = crate::edit::read_dir_tree(&dir).expect("reads");
    let f = tree
        .files
        .get_mut("profiles/clinical.toml")
        .expect("clinical");
    let text = String::from_utf8(f.clone()).expect("utf-8").replacen(
        "idle-delay = 300",
        "idle-delay = 5000000000",
        1,
    );
    *f = text.into_bytes();
    let err = crate::load_tree(&tree).expect_err("refused");
    let d = err
        .diagnostics()
        .iter()
        .find(|d| d.message.contains("out of range"))
        .expect("an out-of-range diagnostic");
    assert!(d.message.contains("4294967295"), "{}", d.message);
    let at = d.location.as_ref().expect("a line");
    assert_eq!((at.file.as_str(), at.line), ("profiles/clinical.toml", 11));
}

#[test]
fn uint32_values_past_the_type_are_out_of_range() {
    assert_eq!(
        format_range(&serde_json::json!({"format": "uint32", "minimum": 0})),
        (Some(0.0), Some(4294967295.0))
    );
    assert_eq!(
        format_range(&serde_json::json!({"format": "date"})),
        (None, None)
    );
}
