//! `cargo xtask consumer`: every Rust example of the README and of the crate
//! docs, compiled as a crate that depends on this one would compile it (see
//! `USAGE`).

mod snippets;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::Instant;

use serde_json::Value;
use toml::{Table, Value as Toml};

use crate::run::{cargo, root, Failure};
use snippets::{Block, Kind, Program};

const USAGE: &str = "\
usage: cargo xtask consumer [--list]

Compiles every Rust example of README.md and of the doc comments of src/
the way a crate depending on linkedin-invitations would:
as the examples of a crate written to DIR/consumer (DIR: $CARGO_TARGET_DIR,
else target/), checked by `cargo check --examples` (every error and warning a
build reports, without linking) with its own target directory,
DIR/consumer/target.

  dependencies  the README's Usage ```toml block, linkedin-invitations made a
                path dependency on this checkout (its features kept), plus the
                [dependencies] of any other ```toml block of the README or the
                docs (a snippet that needs a crate says so next to it); the
                repository's Cargo.lock is copied in, so versions match CI's
  features      a snippet in a module or item under `cfg(feature = \"X\")` (as
                rustdoc compiles it only then) enables X, and its docs must name
                `X`; a `cfg(feature = \"X\")` in a snippet enables X too (the
                consumer crate declares every feature of the crate, forwarded)
  README blocks compiled verbatim, as a consumer's src/main.rs: no line
                added, a warning is a failure too
  doc blocks    as rustdoc compiles them: `# ` lines kept, `#![allow(unused)]`,
                crate attributes first, `fn main` added when there is none (with
                a `Result` for `?` when the block ends in `(())`)
  skipped       fences rustdoc does not compile: ignore, compile_fail, and any
                other language (text, sh, toml...)

options:
  --list  list the snippets, their examples and features; build nothing

exit status: 0 every snippet compiles; 1 a snippet fails (each is named by
file and line); 2 setup error (no Usage block, the crate itself does not
build, cargo cannot run)";

/// A Rust example to compile.
#[derive(Debug)]
struct Snippet {
    /// `README.md` or `src/...rs`.
    file: String,
    /// The line of its opening fence.
    line: usize,
    /// The example's name.
    name: String,
    program: Program,
    /// The block as written (hidden lines with their `#`).
    raw: String,
    verbatim: bool,
    /// Features it needs; the `bool` says whether its docs must name them
    /// (a module or item gate; a `cfg` inside the snippet is its own).
    features: BTreeMap<String, bool>,
    /// The text next to it: its doc comment and its module's docs, or the
    /// README section.
    context: String,
}

pub fn main(args: &[String]) -> Result<ExitCode, Failure> {
    let mut list = false;
    for arg in args {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            "--list" => list = true,
            other => {
                return Err(Failure::usage(format!(
                    "unknown option `{other}`\n\n{USAGE}"
                )))
            }
        }
    }
    let root = root();
    let manifest = read_toml(&root.join("Cargo.toml"))?;
    let crate_features: Vec<String> = manifest
        .get("features")
        .and_then(Toml::as_table)
        .map(|t| t.keys().filter(|k| *k != "default").cloned().collect())
        .unwrap_or_default();
    let edition = manifest
        .get("package")
        .and_then(|p| p.get("edition"))
        .and_then(Toml::as_str)
        .unwrap_or("2021")
        .to_owned();

    let readme = read(&root.join("README.md"))?;
    let readme_lines = numbered(&readme);
    let readme_blocks = snippets::blocks(&readme_lines);
    let usage = usage_block(&readme_lines, &readme_blocks).ok_or_else(|| {
        Failure::usage("README.md has no ```toml block under its `## Usage` heading")
    })?;
    let mut dependencies =
        dependencies_of(&usage.body, "README.md", usage.line)?.ok_or_else(|| {
            Failure::usage(format!(
                "README.md:{}: the Usage block has no [dependencies]",
                usage.line
            ))
        })?;
    if !dependencies.contains_key("linkedin-invitations") {
        return Err(Failure::usage(format!(
            "README.md:{}: the Usage block does not list linkedin-invitations",
            usage.line
        )));
    }

    let mut found = Vec::new();
    let gates = module_gates(&read(&root.join("src/lib.rs"))?);
    for file in sources(&root.join("src"))? {
        let relative = file
            .strip_prefix(root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        let gate = module_of(&relative).and_then(|m| gates.get(m));
        if gate.is_some_and(|cfg| snippets::features_named(cfg).is_empty()) {
            // `cfg(fuzzing)` and the like: rustdoc never compiles this module.
            continue;
        }
        let gate: Vec<String> = gate
            .map(|cfg| snippets::features_named(cfg))
            .unwrap_or_default();
        let groups = snippets::doc_groups(&read(&file)?);
        let module_docs = groups
            .iter()
            .take_while(|g| g.inner)
            .map(|g| g.text())
            .collect::<String>();
        for group in &groups {
            let item_gate: Vec<String> = group
                .after
                .iter()
                .filter(|a| a.starts_with("#[cfg(") || a.starts_with("#[cfg_attr(docsrs, doc(cfg("))
                .flat_map(|a| snippets::features_named(a))
                .collect();
            for block in snippets::blocks(&group.lines) {
                if block.info.split(',').any(|w| w.trim() == "toml") {
                    if let Some(more) = dependencies_of(&block.body, &relative, block.line)? {
                        merge(&mut dependencies, more);
                    }
                    continue;
                }
                if snippets::kind(&block.info) != Kind::Compiled {
                    continue;
                }
                let mut features = BTreeMap::new();
                for name in gate.iter().chain(&item_gate) {
                    features.insert(name.clone(), true);
                }
                let program = snippets::doctest_program(&block.body);
                for (_, line) in &program {
                    if line.contains("cfg(") {
                        for name in snippets::features_named(line) {
                            features.entry(name).or_insert(false);
                        }
                    }
                }
                found.push(Snippet {
                    raw: raw(&block),
                    name: example_name(&relative, block.line),
                    file: relative.clone(),
                    line: block.line,
                    program,
                    verbatim: false,
                    features,
                    context: format!("{}{}", group.text(), module_docs),
                });
            }
        }
    }
    for block in &readme_blocks {
        if block.line == usage.line {
            continue;
        }
        if block.info.split(',').any(|w| w.trim() == "toml") {
            if let Some(more) = dependencies_of(&block.body, "README.md", block.line)? {
                merge(&mut dependencies, more);
            }
            continue;
        }
        if snippets::kind(&block.info) != Kind::Compiled {
            continue;
        }
        // A README example is a copy of a doc example (tests/self_contained.rs):
        // it needs what that one needs.
        let text = raw(block);
        let features = found
            .iter()
            .find(|s| s.raw.contains(&text))
            .map(|s| s.features.clone())
            .unwrap_or_default();
        found.push(Snippet {
            raw: text,
            file: "README.md".to_owned(),
            line: block.line,
            name: example_name("README.md", block.line),
            program: snippets::verbatim_program(&block.body),
            verbatim: true,
            features,
            context: section_of(&readme_lines, block.line),
        });
    }
    found.sort_by(|a, b| {
        (a.file != "README.md", &a.file, a.line).cmp(&(b.file != "README.md", &b.file, b.line))
    });

    let mut findings: Vec<(String, Vec<String>)> = Vec::new();
    let mut enabled = BTreeSet::new();
    for snippet in &found {
        for (feature, must_be_named) in &snippet.features {
            if !crate_features.contains(feature) {
                findings.push((
                    place(snippet),
                    vec![format!(
                        "it needs feature `{feature}`, which Cargo.toml does not declare"
                    )],
                ));
                continue;
            }
            enabled.insert(feature.clone());
            let named = snippet.context.contains(&format!("`{feature}`"))
                || snippet.context.contains(&format!("\"{feature}\""));
            if *must_be_named && !named {
                findings.push((
                    place(snippet),
                    vec![format!(
                        "it compiles only with feature `{feature}`, and the text next to it does not say so"
                    )],
                ));
            }
        }
    }

    if list {
        for s in &found {
            let features: Vec<&str> = s.features.keys().map(String::as_str).collect();
            println!(
                "{:<28} examples/{}.rs{}{}",
                place(s),
                s.name,
                if s.verbatim { "  (verbatim)" } else { "" },
                if features.is_empty() {
                    String::new()
                } else {
                    format!("  features: {}", features.join(", "))
                }
            );
        }
        return Ok(ExitCode::SUCCESS);
    }

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                std::env::current_dir().unwrap_or_default().join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"));
    let dir = target.join("consumer");
    write_crate(
        &dir,
        root,
        &edition,
        dependencies,
        &crate_features,
        &enabled,
        &found,
    )?;

    let readme_count = found.iter().filter(|s| s.verbatim).count();
    let features: Vec<&str> = enabled.iter().map(String::as_str).collect();
    println!(
        "consumer: {} snippets (README.md {}, src/ {}) as examples of {}, features: {}",
        found.len(),
        readme_count,
        found.len() - readme_count,
        dir.display(),
        if features.is_empty() {
            "none".to_owned()
        } else {
            features.join(", ")
        }
    );
    let started = Instant::now();
    let output = crate::run::output(
        cargo()
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .args([
                "check",
                "--examples",
                "--keep-going",
                "--quiet",
                "--message-format=json",
            ])
            .stdin(Stdio::null()),
    )?;
    let by_name: BTreeMap<&str, &Snippet> = found.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut failed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut elsewhere = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let diagnostic = &message["message"];
        let level = diagnostic["level"].as_str().unwrap_or("");
        let rendered = diagnostic["rendered"]
            .as_str()
            .unwrap_or("")
            .trim_end()
            .to_owned();
        let text = diagnostic["message"].as_str().unwrap_or("");
        if text.starts_with("aborting due to")
            || text.ends_with("warnings emitted")
            || text.ends_with("warning emitted")
        {
            continue;
        }
        let target = message["target"]["name"].as_str().unwrap_or("");
        let is_example = message["target"]["kind"]
            .as_array()
            .is_some_and(|k| k.iter().any(|k| k == "example"));
        match by_name.get(target).filter(|_| is_example) {
            Some(snippet)
                if level.starts_with("error") || (snippet.verbatim && level == "warning") =>
            {
                let at = diagnostic["spans"]
                    .as_array()
                    .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true))
                    .and_then(|span| span["line_start"].as_u64())
                    .and_then(|n| source_line(snippet, n as usize))
                    .map(|n| format!(" at {}:{n}", snippet.file))
                    .unwrap_or_default();
                let what = if level.starts_with("error") {
                    "error"
                } else {
                    "warning (a consumer copying it sees it)"
                };
                failed
                    .entry(place(snippet))
                    .or_default()
                    .push(format!("{what}{at}:\n{}", indent(&rendered)));
            }
            Some(_) => {}
            None if level.starts_with("error") => elsewhere.push(rendered),
            None => {}
        }
    }
    let elapsed = started.elapsed().as_secs_f32();
    if !elsewhere.is_empty() || (!output.status.success() && failed.is_empty()) {
        for text in &elsewhere {
            eprintln!("{text}");
        }
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
        return Err(Failure::usage(
            "the consumer crate does not build apart from its examples (its manifest, a dependency or linkedin-invitations itself): see above",
        ));
    }
    findings.extend(failed);
    for (place, notes) in &findings {
        println!("consumer: FAIL {place}");
        for note in notes {
            println!("    {}", note.trim_start());
        }
    }
    if findings.is_empty() {
        println!(
            "consumer: all {} snippets compile ({elapsed:.1} s)",
            found.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        let places: BTreeSet<&String> = findings.iter().map(|(p, _)| p).collect();
        println!(
            "consumer: {} of {} snippets fail ({elapsed:.1} s)",
            places.len(),
            found.len()
        );
        Ok(ExitCode::from(1))
    }
}

fn raw(block: &Block) -> String {
    block.body.iter().map(|(_, l)| format!("{l}\n")).collect()
}

fn place(snippet: &Snippet) -> String {
    format!("{}:{}", snippet.file, snippet.line)
}

/// The source line of line `n` (1-based) of a snippet's example file (its
/// first line is the header).
fn source_line(snippet: &Snippet, n: usize) -> Option<usize> {
    snippet.program.get(n.checked_sub(2)?)?.0
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("      {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))
}

fn read_toml(path: &Path) -> Result<Table, Failure> {
    read(path)?
        .parse::<Table>()
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
}

fn numbered(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.to_owned()))
        .collect()
}

/// The first ```toml block after the `## Usage` heading.
fn usage_block<'a>(lines: &[(usize, String)], blocks: &'a [Block]) -> Option<&'a Block> {
    let heading = lines.iter().find(|(_, l)| l.trim() == "## Usage")?.0;
    blocks
        .iter()
        .find(|b| b.line > heading && b.info.split(',').any(|w| w.trim() == "toml"))
}

/// The README text from the heading above `line` to the next heading.
fn section_of(lines: &[(usize, String)], line: usize) -> String {
    let start = lines
        .iter()
        .rev()
        .find(|(n, l)| *n < line && l.starts_with('#'))
        .map_or(1, |(n, _)| *n);
    let end = lines
        .iter()
        .find(|(n, l)| *n > line && l.starts_with('#'))
        .map_or(usize::MAX, |(n, _)| *n);
    lines
        .iter()
        .filter(|(n, _)| *n >= start && *n < end)
        .map(|(_, l)| format!("{l}\n"))
        .collect()
}

/// The `[dependencies]` of a ```toml block, if it has any.
fn dependencies_of(
    body: &[(usize, String)],
    file: &str,
    line: usize,
) -> Result<Option<Table>, Failure> {
    let text: String = body.iter().map(|(_, l)| format!("{l}\n")).collect();
    let table = text.parse::<Table>().map_err(|e| {
        Failure::usage(format!(
            "{file}:{line}: the ```toml block does not parse: {e}"
        ))
    })?;
    Ok(table.get("dependencies").and_then(Toml::as_table).cloned())
}

/// Adds `more` to `dependencies`: a crate already there keeps its version
/// and gains the features `more` asks for.
fn merge(dependencies: &mut Table, more: Table) {
    for (name, spec) in more {
        match dependencies.get_mut(&name) {
            None => {
                dependencies.insert(name, spec);
            }
            Some(have) => {
                let wanted = features_of(&spec);
                if wanted.is_empty() {
                    continue;
                }
                let mut features = features_of(have);
                features.extend(wanted);
                let mut table = match &*have {
                    Toml::Table(t) => t.clone(),
                    other => Table::from_iter([("version".to_owned(), other.clone())]),
                };
                table.insert(
                    "features".to_owned(),
                    Toml::Array(features.into_iter().map(Toml::String).collect()),
                );
                *have = Toml::Table(table);
            }
        }
    }
}

fn features_of(spec: &Toml) -> BTreeSet<String> {
    spec.get("features")
        .and_then(Toml::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Toml::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The `cfg` of each module `src/lib.rs` declares under one:
/// `#[cfg(feature = "emulator")] pub mod emulator;` gives
/// `emulator` → `#[cfg(feature = "emulator")]`.
fn module_gates(lib: &str) -> BTreeMap<String, String> {
    let mut gates = BTreeMap::new();
    let mut pending: Option<String> = None;
    for line in lib.lines().map(str::trim) {
        if line.starts_with("#[cfg(") {
            pending = Some(line.to_owned());
        } else if line.starts_with("#[") || line.starts_with("//") {
        } else if let Some(name) = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|rest| rest.strip_suffix(';'))
        {
            if let Some(cfg) = pending.take() {
                gates.insert(name.trim().to_owned(), cfg);
            }
        } else {
            pending = None;
        }
    }
    gates
}

/// The top-level module a file of `src/` belongs to.
fn module_of(relative: &str) -> Option<&str> {
    let rest = relative.strip_prefix("src/")?;
    let first = rest.split('/').next()?;
    Some(first.strip_suffix(".rs").unwrap_or(first))
}

/// The `.rs` files under `src/`, `src/bin/` excepted, in order.
fn sources(src: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut found = Vec::new();
    let mut todo = vec![src.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", dir.display())))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path != src.join("bin") {
                    todo.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `README.md`, 46 → `readme_46`; `src/bulk/mod.rs`, 4 → `bulk_mod_4`.
fn example_name(file: &str, line: usize) -> String {
    let stem = file.strip_prefix("src/").unwrap_or(file);
    let stem = stem
        .strip_suffix(".rs")
        .or_else(|| stem.strip_suffix(".md"))
        .unwrap_or(stem);
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{stem}_{line}")
}

/// Writes the consumer crate, touching only files whose content changes
/// (so that a second run rebuilds nothing it need not).
fn write_crate(
    dir: &Path,
    root: &Path,
    edition: &str,
    mut dependencies: Table,
    crate_features: &[String],
    enabled: &BTreeSet<String>,
    found: &[Snippet],
) -> Result<(), Failure> {
    let ours = dependencies
        .remove("linkedin-invitations")
        .expect("checked above");
    let mut path_dependency = Table::new();
    path_dependency.insert("path".to_owned(), Toml::String(root.display().to_string()));
    if let Toml::Table(spec) = &ours {
        for key in ["features", "default-features"] {
            if let Some(value) = spec.get(key) {
                path_dependency.insert(key.to_owned(), value.clone());
            }
        }
    }
    let mut manifest = format!(
        "# Written by `cargo xtask consumer`: the README's Usage dependencies, with\n\
         # linkedin-invitations as a path dependency; each example is one snippet.\n\
         [package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"{edition}\"\npublish = false\n\n\
         # Not a member of the repository's workspace.\n[workspace]\n\n[dependencies]\n\
         linkedin-invitations = {}\n\
         # The repository's emulator, which the crate docs' examples run against.\n\
         linkedin-invitations-emulator = {{ path = {:?} }}\n",
        Toml::Table(path_dependency),
        root.join("emulator").display().to_string()
    );
    for (name, spec) in &dependencies {
        manifest.push_str(&format!("{name} = {spec}\n"));
    }
    manifest.push_str("\n# The crate's features, for the snippets that need one (and their `cfg`s).\n[features]\n");
    let default: Vec<String> = enabled.iter().map(|f| format!("{f:?}")).collect();
    manifest.push_str(&format!("default = [{}]\n", default.join(", ")));
    for feature in crate_features {
        manifest.push_str(&format!(
            "{feature} = [\"linkedin-invitations/{feature}\"]\n"
        ));
    }
    manifest.push_str("\n[profile.dev]\n# Compiling is the check: no debug info, less to write and link.\ndebug = false\n");

    let examples = dir.join("examples");
    std::fs::create_dir_all(&examples)
        .map_err(|e| Failure::usage(format!("cannot create {}: {e}", examples.display())))?;
    std::fs::create_dir_all(dir.join("src"))
        .map_err(|e| Failure::usage(format!("cannot create {}: {e}", dir.display())))?;
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(
        &dir.join("src/lib.rs"),
        "//! The snippets are this crate's examples.\n",
    )?;
    let lock = read(&root.join("Cargo.lock"))?;
    write_if_changed(&dir.join("Cargo.lock"), &lock)?;

    let mut wanted = BTreeSet::new();
    for snippet in found {
        let file = format!("{}.rs", snippet.name);
        let mut text = format!(
            "// {}:{}{}\n",
            snippet.file,
            snippet.line,
            if snippet.verbatim {
                ", verbatim"
            } else {
                ", as rustdoc compiles it"
            }
        );
        for (_, line) in &snippet.program {
            text.push_str(line);
            text.push('\n');
        }
        write_if_changed(&examples.join(&file), &text)?;
        wanted.insert(file);
    }
    if let Ok(entries) = std::fs::read_dir(&examples) {
        for entry in entries.flatten() {
            if !wanted.contains(&*entry.file_name().to_string_lossy()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), Failure> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text)
        .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_under_a_cfg_are_found_in_lib_rs() {
        let lib = "mod client;\n#[cfg(feature = \"test-util\")]\npub mod test_util;\n\n#[cfg(fuzzing)]\n#[doc(hidden)]\npub mod fuzzing;\n#[cfg(feature = \"emulator\")]\npub use x;\nmod tls;\n";
        let gates = module_gates(lib);
        assert_eq!(gates.len(), 2, "{gates:?}");
        assert_eq!(gates["test_util"], "#[cfg(feature = \"test-util\")]");
        assert_eq!(gates["fuzzing"], "#[cfg(fuzzing)]");
        assert_eq!(module_of("src/emulator/auth.rs"), Some("emulator"));
        assert_eq!(module_of("src/azure.rs"), Some("azure"));
    }

    #[test]
    fn example_names_say_file_and_line() {
        assert_eq!(example_name("README.md", 46), "readme_46");
        assert_eq!(example_name("src/bulk/mod.rs", 4), "bulk_mod_4");
        assert_eq!(example_name("src/test_util.rs", 13), "test_util_13");
    }

    #[test]
    fn dependencies_merge_features_and_keep_the_first_version() {
        let mut usage = "[dependencies]\nlinkedin-invitations = \"0.2\"\ntokio = { version = \"1\", features = [\"macros\"] }\n"
            .parse::<Table>()
            .unwrap()["dependencies"]
            .as_table()
            .unwrap()
            .clone();
        let more = "linkedin-invitations = { version = \"0.1\", features = [\"azure-identity\"] }\nazure_identity = \"1\"\n"
            .parse::<Table>()
            .unwrap();
        merge(&mut usage, more);
        assert_eq!(
            usage["linkedin-invitations"].to_string(),
            "{ features = [\"azure-identity\"], version = \"0.2\" }"
        );
        assert_eq!(usage["azure_identity"].as_str(), Some("1"));
        assert_eq!(
            features_of(&usage["tokio"]),
            BTreeSet::from(["macros".to_owned()])
        );
    }

    #[test]
    fn the_usage_block_is_the_toml_block_under_its_heading() {
        let text =
            "# x\n```toml\n[a]\n```\n## Usage\n\n```rust\n```\n```toml\n[dependencies]\n```\n";
        let lines = numbered(text);
        let found = snippets::blocks(&lines);
        assert_eq!(usage_block(&lines, &found).map(|b| b.line), Some(9));
        assert_eq!(
            section_of(&lines, 7),
            "## Usage\n\n```rust\n```\n```toml\n[dependencies]\n```\n"
        );
    }
}
