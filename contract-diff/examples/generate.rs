//! Writes the benchmark's generated document pairs as JSON files, to time
//! the binary on them (e.g. with `/usr/bin/time -v`):
//!
//! ```text
//! cargo run -p contract-diff --example generate -- DIR              # every pair, benchmark sizes
//! cargo run -p contract-diff --example generate -- DIR ring 24      # one shape at another size
//! cargo run -p contract-diff --example generate -- --revise IN OUT  # a lightly edited copy of any document
//! ```
//!
//! Each pair is `DIR/<name>.base.json` and `DIR/<name>.revision.json`.

#[path = "../benches/shapes/mod.rs"]
mod shapes;

use std::path::Path;
use std::process::ExitCode;

fn write(dir: &Path, name: &str, base: &serde_json::Value, revision: &serde_json::Value) {
    for (side, doc) in [("base", base), ("revision", revision)] {
        let path = dir.join(format!("{name}.{side}.json"));
        let text = serde_json::to_string(doc).expect("a JSON value serializes");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        println!("{}", path.display());
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, input, output] = args.as_slice() {
        if flag == "--revise" {
            let text = std::fs::read_to_string(input).expect("a readable document");
            let mut doc: serde_json::Value = serde_json::from_str(&text).expect("a JSON document");
            let applied = shapes::revise(&mut doc);
            let text = serde_json::to_string(&doc).expect("a JSON value serializes");
            std::fs::write(output, text).expect("the revision is written");
            println!("{applied} edits");
            return ExitCode::SUCCESS;
        }
    }
    let Some(dir) = args.first().map(Path::new) else {
        eprintln!(
            "usage: generate DIR [nested_one_of|ring|expandable|fan_out_dag|many_paths|shared_release SIZE]"
        );
        return ExitCode::from(2);
    };
    std::fs::create_dir_all(dir).expect("the output directory");
    match (
        args.get(1).map(String::as_str),
        args.get(2).and_then(|n| n.parse().ok()),
    ) {
        (None, _) => {
            for (name, base, revision) in shapes::all() {
                write(dir, name, &base, &revision);
            }
        }
        (Some(shape), Some(size)) => {
            let (base, revision) = match shape {
                "nested_one_of" => shapes::nested_one_of(size),
                "ring" => shapes::ring(size),
                "expandable" => shapes::expandable(size),
                "fan_out_dag" => shapes::fan_out_dag(size),
                "many_paths" => shapes::many_paths(size),
                "shared_release" => shapes::shared_release(size),
                other => {
                    eprintln!("unknown shape '{other}'");
                    return ExitCode::from(2);
                }
            };
            write(dir, &format!("{shape}_{size}"), &base, &revision);
        }
        _ => {
            eprintln!("a shape needs a size");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
