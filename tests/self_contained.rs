//! The repository stands on its own and its front page renders anywhere:
//! nothing points at notes outside it, the README's Rust examples are
//! compiled doctests of the crate docs (so they stay correct) and show no
//! hidden doctest lines, and it has no link that breaks off the repository.

use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files under `dir`; none when it is absent (a packaged crate has no
/// `.ci/`).
fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "node_modules" || name == "target" || name == "data" {
            continue;
        }
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).unwrap()
}

/// The Rust code blocks of a Markdown text.
fn rust_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.starts_with("```rust") => current = Some(String::new()),
            Some(block) if line.starts_with("```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn nothing_points_at_notes_outside_the_repository() {
    let mut files = vec![repo().join("build.rs"), repo().join("README.md")];
    for dir in [
        ".ci", "src", "tests", "benches", "examples", "emulator", "cli",
    ] {
        files_under(&repo().join(dir), &mut files);
    }
    let outside = [
        concat!("NOTES", " §"),
        concat!("/work/", "shared"),
        concat!("../", "shared"),
    ];
    // The contract-diff tests are leaving this crate for their own, with
    // their reference data; they are not judged here.
    files.retain(|f| {
        let name = f.file_name().unwrap().to_string_lossy();
        !name.starts_with("contract_")
    });
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for needle in outside {
            assert!(
                !text.contains(needle),
                "{} mentions {needle}",
                file.display()
            );
        }
    }
}

#[test]
fn the_readme_shows_no_hidden_doctest_line_and_no_relative_link() {
    for block in rust_blocks(&readme()) {
        for line in block.lines() {
            assert!(
                !(line.trim_start().starts_with("# ") || line.trim() == "#"),
                "a hidden doctest line shows in the README: {line}"
            );
        }
    }
    let text = readme();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("](") {
        let target = &rest[at + 2..];
        assert!(
            target.starts_with("https://") || target.starts_with('#'),
            "a link that breaks off the repository: {}",
            &target[..target.find(')').unwrap_or(target.len())]
        );
        rest = target;
    }
}

#[test]
fn every_readme_rust_example_is_a_compiled_doctest() {
    let mut docs = String::new();
    let mut sources = Vec::new();
    files_under(&repo().join("src"), &mut sources);
    for file in sources
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
    {
        for line in std::fs::read_to_string(file).unwrap().lines() {
            let line = line.trim_start();
            if let Some(doc) = line
                .strip_prefix("//!")
                .or_else(|| line.strip_prefix("///"))
            {
                let doc = doc.strip_prefix(' ').unwrap_or(doc);
                docs.push_str(doc);
                docs.push('\n');
            }
        }
    }
    let blocks = rust_blocks(&readme());
    assert!(
        blocks.len() >= 2,
        "the README's Rust examples were not found"
    );
    for block in blocks {
        assert!(
            docs.contains(&block),
            "this README example is in no doc comment of src/, so no doctest compiles it:\n{block}"
        );
    }
}

#[test]
fn the_readme_lists_prerequisites_before_its_commands() {
    let text = readme();
    let prerequisites = text
        .find("**Prerequisites.**")
        .expect("a prerequisites paragraph");
    let commands = text
        .find("cargo run -p linkedin-invitations-quickstart")
        .unwrap();
    assert!(prerequisites < commands);
    let rust_version = env!("CARGO_PKG_RUST_VERSION");
    assert!(
        text[prerequisites..commands].contains(&format!("Rust {rust_version}")),
        "the prerequisites name Rust {rust_version}, the crate's rust-version"
    );
    for tool in ["Node.js", "Python"] {
        assert!(text[prerequisites..commands].contains(tool), "{tool}");
    }
}

#[test]
fn the_crate_docs_feature_table_lists_exactly_the_features_of_cargo_toml() {
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let section = manifest
        .split("\n[features]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("a [features] table");
    let mut declared: Vec<&str> = section
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim()))
        .filter(|name| *name != "default")
        .collect();
    let docs = std::fs::read_to_string(repo().join("src/lib.rs")).unwrap();
    let mut documented: Vec<&str> = docs
        .lines()
        .filter_map(|line| line.strip_prefix("//! | `"))
        .filter_map(|row| row.split_once('`').map(|(name, _)| name))
        .collect();
    declared.sort_unstable();
    documented.sort_unstable();
    assert_eq!(
        documented, declared,
        "the feature table in src/lib.rs and [features] in Cargo.toml disagree"
    );
}
