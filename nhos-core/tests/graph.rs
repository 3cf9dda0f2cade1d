//! `nhos graph`: the example estate as SVG, DOT and Mermaid (reviewed snapshots),
//! the same bytes every time; on every loadable corpus estate and on hostile names,
//! the SVG is well-formed XML naming every profile, and Graphviz accepts the DOT.

mod common;

use nhos_core::graph::{Format, render};
use std::io::Write as _;
use std::process::{Command, Stdio};

const FORMATS: [Format; 3] = [Format::Svg, Format::Dot, Format::Mermaid];

/// The text of every `<text>` and `<title>` of a well-formed SVG; panics on
/// malformed XML.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut r = quick_xml::Reader::from_str(svg);
    let mut out = Vec::new();
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Text(t)) => {
                out.push(t.decode().expect("utf-8").into_owned());
            }
            Ok(quick_xml::events::Event::GeneralRef(e)) => {
                out.push(format!("&{};", String::from_utf8_lossy(&e)));
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed SVG at {}: {e}\n{svg}", r.buffer_position()),
        }
    }
    out
}

/// Graphviz's verdict on a DOT text (it must be installed: tests/run installs it).
fn graphviz_accepts(dot: &str) -> Result<(), String> {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("graphviz's `dot` is not installed: apt-get install graphviz (tests/run does)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dot.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("dot");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn the_example_in_three_formats() {
    let e = nhos_core::load(common::example()).expect("example");
    insta::assert_snapshot!("graph-example-svg", render(&e, Format::Svg));
    insta::assert_snapshot!("graph-example-dot", render(&e, Format::Dot));
    insta::assert_snapshot!("graph-example-mermaid", render(&e, Format::Mermaid));
    for f in FORMATS {
        assert_eq!(render(&e, f), render(&e, f), "deterministic");
    }
    graphviz_accepts(&render(&e, Format::Dot)).expect("graphviz reads the DOT");
    let texts = svg_texts(&render(&e, Format::Svg)).join("\n");
    for p in e.profiles.keys() {
        assert!(texts.contains(p.as_str()), "{p} is drawn");
    }
    assert!(texts.contains("clinical inherits from admin"), "{texts}");
}

#[test]
fn every_loadable_corpus_estate_draws() {
    let mut drawn = 0;
    for (name, path) in common::cases("") {
        let dir = common::materialize(&path);
        let Ok(e) = nhos_core::load(dir.path()) else {
            continue;
        };
        let texts = svg_texts(&render(&e, Format::Svg)).join("\n");
        for p in e.profiles.keys() {
            assert!(texts.contains(p.as_str()), "{name}: {p} is drawn");
        }
        graphviz_accepts(&render(&e, Format::Dot)).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert!(render(&e, Format::Mermaid).starts_with("flowchart BT\n"));
        drawn += 1;
    }
    assert!(drawn > 40, "only {drawn} corpus estates loaded");
}

#[test]
fn hostile_names_are_escaped_in_every_format() {
    let dir = common::materialize(&common::example());
    let path = dir.path().join("estate.toml");
    let hostile = r#"A \"B\" & <C> \\ #D {E} ]]> \n-> x"#;
    let text = std::fs::read_to_string(&path)
        .expect("estate.toml")
        .replace(
            "name = \"Example Valley NHS Foundation Trust\"",
            &format!("name = \"{hostile}\""),
        );
    std::fs::write(&path, text).expect("write");
    let e = nhos_core::load(dir.path()).expect("loads");
    let name = e.organisation.name.clone();
    assert!(name.contains('"') && name.contains('<') && name.contains('\n'));
    let svg = render(&e, Format::Svg);
    let texts = svg_texts(&svg);
    assert!(
        texts
            .iter()
            .any(|t| t.contains("&quot;") || t.contains('"'))
    );
    assert!(!svg.contains("<C>"), "markup is escaped");
    graphviz_accepts(&render(&e, Format::Dot)).expect("graphviz reads the hostile DOT");
    let mermaid = render(&e, Format::Mermaid);
    assert!(
        !mermaid.contains("<C>") && mermaid.lines().count() > 10,
        "{mermaid}"
    );
    // The line break in the name never starts a line of its own.
    assert!(!mermaid.lines().any(|l| l.starts_with("-> x")), "{mermaid}");
    assert!(
        !render(&e, Format::Dot)
            .lines()
            .any(|l| l.starts_with("-> x"))
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// Whatever the names, the SVG is well-formed, the Mermaid keeps one statement
    /// per line and the DOT's strings stay closed.
    #[test]
    fn any_names_keep_every_format_well_formed(
        // Half the characters are ones some format must escape.
        org in "([\"<>&#\\\\\n\r]|\\PC){0,40}",
        names in proptest::collection::btree_set("[a-z][a-z0-9-]{0,12}", 1..6),
        cap in "([\"<>\\\\\n]|\\PC){0,20}",
    ) {
        use nhos_core::graph::picture::{Box, Picture};
        let names: Vec<String> = names.into_iter().collect();
        let profiles = names
            .iter()
            .enumerate()
            .map(|(i, n)| Box {
                name: n.clone(),
                role: (i % 2 == 0).then_some("clinical"),
                is_abstract: i % 2 == 1,
                // Each inherits from the one before (and a name not in the estate).
                parents: if i == 0 { vec!["elsewhere".into()] } else { vec![names[i - 1].clone()] },
                capabilities: vec![cap.clone()],
                outputs: vec!["vm".into()],
            })
            .collect();
        let p = Picture { organisation: org.clone(), profiles };
        let svg = nhos_core::graph::picture::draw(&p, Format::Svg);
        let _ = svg_texts(&svg);
        let mermaid = nhos_core::graph::picture::draw(&p, Format::Mermaid);
        for line in mermaid.lines().skip(1) {
            proptest::prop_assert!(line.starts_with("  "), "{line:?}");
        }
        let dot = nhos_core::graph::picture::draw(&p, Format::Dot);
        // Every line of the body is a statement: balanced, unescaped quotes.
        for line in dot.lines().skip(3).filter(|l| *l != "}") {
            let unescaped = line.replace("\\\\", "").replace("\\\"", "");
            proptest::prop_assert_eq!(unescaped.matches('"').count() % 2, 0, "{}", line);
            proptest::prop_assert!(line.ends_with(';'), "{line:?}");
        }
    }
}
