//! Every input the fuzzers found a crash with, kept so it never comes back.
//! The inputs live in `tests/data/fuzz/<target>/`.

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    inputs
}

/// The object model once used panicked ("somehow this parsed successfully the second time") on
/// YAML with a duplicate key inside a `$ref`-or-object; loading must turn
/// such documents into a load error (or a document), never a panic.
#[test]
fn contract_documents_that_crashed_the_loader_now_load_or_fail_cleanly() {
    use contract_diff::{compare, Document, Options, Profile};

    for (name, bytes) in inputs("load_contract") {
        let text = String::from_utf8_lossy(&bytes);
        let loaded = std::panic::catch_unwind(|| Document::from_text(&name, &text).map(|_| ()));
        let result = loaded.unwrap_or_else(|_| panic!("{name}: loading panicked"));
        if let Ok(()) = result {
            let document = Document::from_text(&name, &text).unwrap();
            let options = Options::with_profile(Profile::Codegen);
            let _ = compare(&document, &document, &options);
        }
    }
}
