//! `nhos graph DIR [--format svg|dot|mermaid] [-o FILE]`: the estate as a picture.

use crate::{fail, load_or_report};
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum GraphFormat {
    Svg,
    Dot,
    Mermaid,
}

/// The `graph` command's arguments.
#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// The estate directory.
    pub dir: std::path::PathBuf,
    #[arg(long, value_enum, default_value_t = GraphFormat::Svg)]
    pub format: GraphFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long)]
    pub output: Option<std::path::PathBuf>,
}

pub fn run(args: &GraphArgs) -> ExitCode {
    let estate = match load_or_report(&args.dir) {
        Ok(e) => e,
        Err(code) => return code,
    };
    use nhos_core::graph::Format;
    let format = match args.format {
        GraphFormat::Svg => Format::Svg,
        GraphFormat::Dot => Format::Dot,
        GraphFormat::Mermaid => Format::Mermaid,
    };
    let text = nhos_core::graph::render(&estate, format);
    match args.output.as_deref() {
        Some(o) => match nhos_core::write_atomic(Path::new(o), text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
        None => {
            out!("{text}");
            ExitCode::SUCCESS
        }
    }
}
