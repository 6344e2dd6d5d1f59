//! The crate's layers import one way: the runtime (`src/runtime/`) names
//! nothing of the action, and no two modules of `src/` import each other,
//! directly or round a circle.
//!
//! Read from the source: every `crate::…` path in code (comments and doc
//! comments are not imports) names the module it reaches; a name the crate
//! root re-exports (`crate::Client`) is followed to the module it comes from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The action's modules: what the runtime must never import.
const ACTION: [&str; 6] = ["client", "outcome", "decode", "bulk", "generated", "hooks"];

#[test]
fn the_runtime_imports_nothing_of_the_action() {
    let graph = import_graph();
    let mut offending = Vec::new();
    for (module, imports) in &graph {
        if !module.starts_with("runtime") {
            continue;
        }
        for import in imports {
            if ACTION.contains(&top(import)) {
                offending.push(format!("{module} imports {import}"));
            }
        }
    }
    assert!(offending.is_empty(), "{}", offending.join("\n"));
}

#[test]
fn no_two_modules_import_each_other_round_a_circle() {
    let graph = import_graph();
    if let Some(circle) = find_circle(&graph) {
        panic!("an import circle: {}", circle.join(" -> "));
    }
}

#[test]
fn the_circle_finder_finds_a_circle_and_the_path_reader_follows_root_reexports() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    graph.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    graph.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(find_circle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.get_mut("c").unwrap().clear();
    assert!(find_circle(&graph).is_none());

    let exports = BTreeMap::from([("Client".to_owned(), "client".to_owned())]);
    let code = "use crate::{Client, runtime::pipeline::Answer};\nlet x = crate::decode::f();";
    let found = imports_of(
        code,
        &exports,
        &modules(&["client", "runtime::pipeline", "decode"]),
    );
    assert_eq!(
        found,
        BTreeSet::from(["client".into(), "runtime::pipeline".into(), "decode".into()])
    );
}

fn modules(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

/// Each module of `src/` (by path: `runtime::pipeline`) and the modules it
/// imports, less itself and its own submodules.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let module_of = |file: &Path| {
        let relative = file.strip_prefix(&src).unwrap().with_extension("");
        let parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .filter(|p| p != "mod")
            .collect();
        parts.join("::")
    };
    let known: BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    let exports = root_exports(
        &std::fs::read_to_string(src.join("lib.rs")).unwrap(),
        &known,
    );
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(file);
        // The crate root and the command's own files are not layers.
        if module == "lib" || module.starts_with("bin") {
            continue;
        }
        let code = std::fs::read_to_string(file).unwrap();
        // `super::` in a file is its parent module's (a `mod.rs` is its
        // directory's module, whose parent is one up).
        let is_dir_module = file.file_name().is_some_and(|n| n == "mod.rs");
        let parent = match (is_dir_module, module.rsplit_once("::")) {
            (false, Some((parent, _))) => parent.to_owned(),
            (false, None) => String::new(),
            (true, _) => module
                .rsplit_once("::")
                .map_or(String::new(), |p| p.0.to_owned()),
        };
        let code = code.replace("super::", &format!("crate::{parent}::"));
        let code = code.replace("crate::::", "crate::");
        // A submodule's items named by a relative path (`batch::Run`).
        let mut code = code;
        for child in declared_modules(&code) {
            let path = format!("crate::{module}::{child}::");
            code = replace_word(&code, &format!("{child}::"), &path);
        }
        let imports = imports_of(&code, &exports, &known)
            .into_iter()
            .filter(|i| *i != module)
            .collect();
        graph.insert(module, imports);
    }
    graph
}

/// The names of `mod x;` declarations.
fn declared_modules(code: &str) -> Vec<String> {
    code_only(code)
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub(crate) mod ")
                .or_else(|| line.strip_prefix("pub mod "))
                .or_else(|| line.strip_prefix("mod "))?;
            rest.strip_suffix(';').map(str::to_owned)
        })
        .collect()
}

/// `text` with `word` replaced where it starts a path (not inside another
/// name or path).
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let starts = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
        out.push_str(&rest[..at]);
        out.push_str(if starts { with } else { word });
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The crate root's `pub use a::b::{X, Y}`: each name and the module it
/// comes from.
fn root_exports(lib: &str, known: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut exports = BTreeMap::new();
    for statement in code_only(lib).split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        for path in expand(rest) {
            let (module, name) = match path.rsplit_once("::") {
                Some(split) => split,
                None => continue,
            };
            exports.insert(name.to_owned(), resolve(module, known));
        }
    }
    exports
}

/// The modules a file's code reaches through `crate::` paths.
fn imports_of(
    code: &str,
    exports: &BTreeMap<String, String>,
    known: &BTreeSet<String>,
) -> BTreeSet<String> {
    let code = code_only(code);
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || "_:{}, \n".contains(c)))
            .unwrap_or(rest.len());
        for path in expand(&rest[..end]) {
            let first = path.split("::").next().unwrap_or_default();
            if let Some(module) = exports.get(first) {
                found.insert(module.clone());
            } else if !first.is_empty() && first.chars().next().unwrap().is_lowercase() {
                found.insert(resolve(&path, known));
            }
        }
    }
    found
}

/// The longest known module `path` starts with.
fn resolve(path: &str, known: &BTreeSet<String>) -> String {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|candidate| known.contains(candidate))
        .unwrap_or_else(|| parts[0].to_owned())
}

/// `a::{b, c::{d}}` as `a::b`, `a::c::d`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    expand_into("", &tree, &mut out);
    out
}

fn expand_into(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let Some(open) = tree.find('{') else {
        let path = format!("{prefix}{tree}");
        if !path.is_empty() && !path.ends_with("::") {
            out.push(path.trim_end_matches("::self").to_owned());
        }
        return;
    };
    let head = format!("{prefix}{}", &tree[..open]);
    let inner = tree[open + 1..].trim_end_matches('}');
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand_into(&head, &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    expand_into(&head, &inner[start..], out);
}

/// The code of a file less its comments (doc links are not imports) and
/// its unit tests.
fn code_only(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A circle of imports, as the modules round it, the first repeated.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}
