//! `nhos explain DIR PROFILE ITEM`: why an item is in a profile.

use crate::{CheckFormat, fail, load_or_report};
use std::process::ExitCode;

pub fn run(dir: &std::path::Path, profile: &str, item: &str, format: CheckFormat) -> ExitCode {
    let estate = match load_or_report(dir) {
        Ok(e) => e,
        Err(code) => return code,
    };
    match nhos_core::explain(&estate, profile, item) {
        Ok(ex) => {
            match format {
                CheckFormat::Text => out!("{ex}"),
                CheckFormat::Json => {
                    outln!("{}", serde_json::to_string_pretty(&ex).unwrap_or_default())
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}
