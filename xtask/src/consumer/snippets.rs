//! Finding the Rust code blocks of the README and of the crate docs, and
//! turning each into the source of one example, the way rustdoc turns a
//! doctest into a program.

/// One fenced code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The 1-based line of its opening fence.
    pub line: usize,
    /// The fence's info string (`rust,no_run`, `toml`, empty...).
    pub info: String,
    /// Its lines, each with its 1-based line in the source file.
    pub body: Vec<(usize, String)>,
}

/// A run of consecutive doc comment lines of one source file (`//!` or
/// `///`), their prefix and common indentation removed, as rustdoc reads
/// them; `after` is the code lines that follow a `///` run up to the item
/// (its attributes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocGroup {
    pub inner: bool,
    pub lines: Vec<(usize, String)>,
    pub after: Vec<String>,
}

impl DocGroup {
    pub fn text(&self) -> String {
        let mut text = String::new();
        for (_, line) in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }
}

/// The doc comment runs of a Rust source file.
pub fn doc_groups(source: &str) -> Vec<DocGroup> {
    let lines: Vec<&str> = source.lines().collect();
    let mut groups = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((inner, _)) = doc_line(lines[i]) else {
            i += 1;
            continue;
        };
        let mut raw = Vec::new();
        while let Some((same, text)) = lines.get(i).and_then(|l| doc_line(l)) {
            if same != inner {
                break;
            }
            raw.push((i + 1, text));
            i += 1;
        }
        // rustdoc's unindent: the least indentation of the non-blank lines.
        let indent = raw
            .iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(_, t)| t.len() - t.trim_start().len())
            .min()
            .unwrap_or(0);
        let text = raw
            .into_iter()
            .map(|(n, t)| (n, t.get(indent..).unwrap_or("").to_owned()))
            .collect();
        let mut after = Vec::new();
        if !inner {
            while let Some(line) = lines.get(i + after.len()) {
                let trimmed = line.trim_start();
                if !trimmed.starts_with("#[") {
                    break;
                }
                after.push(trimmed.to_owned());
            }
        }
        groups.push(DocGroup {
            inner,
            lines: text,
            after,
        });
    }
    groups
}

/// `Some((inner, text))` for a `//!` or `///` line (not `////`).
fn doc_line(line: &str) -> Option<(bool, &str)> {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("//!") {
        return Some((true, rest));
    }
    match trimmed.strip_prefix("///") {
        Some(rest) if !rest.starts_with('/') => Some((false, rest)),
        _ => None,
    }
}

/// The fenced code blocks of Markdown lines (CommonMark: ``` or ~~~, three
/// or more; the closing fence at least as long; the opening fence's
/// indentation taken off the body).
pub fn blocks(lines: &[(usize, String)]) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<(char, usize, usize, Block)> = None;
    for (number, line) in lines {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = &line[indent..];
        let fence = trimmed
            .chars()
            .next()
            .filter(|c| *c == '`' || *c == '~')
            .map(|c| (c, trimmed.chars().take_while(|x| *x == c).count()))
            .filter(|(_, n)| *n >= 3 && indent < 4);
        match (&mut open, fence) {
            (None, Some((c, n))) => {
                let info = trimmed[n..].trim().to_owned();
                if c == '`' && info.contains('`') {
                    continue;
                }
                let block = Block {
                    line: *number,
                    info,
                    body: Vec::new(),
                };
                open = Some((c, n, indent, block));
            }
            (Some((c, n, _, _)), Some((d, m)))
                if *c == d && m >= *n && trimmed[m..].trim().is_empty() =>
            {
                found.push(open.take().expect("a block is open").3);
            }
            (Some((_, _, fence_indent, block)), _) => {
                let strip = indent.min(*fence_indent);
                block.body.push((*number, line[strip..].to_owned()));
            }
            (None, None) => {}
        }
    }
    found
}

/// What rustdoc does with a block whose fence says `info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Not Rust (`text`, `sh`, `toml`...): not compiled.
    NotRust,
    /// Rust that rustdoc does not compile as a program that must build
    /// (`ignore`, `compile_fail`).
    Skipped,
    /// Rust that rustdoc compiles (`rust`, `no_run`, `should_panic`, none).
    Compiled,
}

/// rustdoc's reading of a fence's info string: words separated by commas,
/// spaces or tabs; a word it does not know makes the block another
/// language unless `rust` is among the words.
pub fn kind(info: &str) -> Kind {
    let mut rust = false;
    let mut other = false;
    let mut skipped = false;
    for word in info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        match word {
            "rust" => rust = true,
            "no_run" | "should_panic" | "test_harness" | "standalone_crate" => {}
            "ignore" | "compile_fail" => skipped = true,
            w if w.starts_with("ignore-") => skipped = true,
            w if w.starts_with("edition") => {}
            w if w.len() == 5
                && w.starts_with('E')
                && w[1..].chars().all(|c| c.is_ascii_digit()) => {}
            _ => other = true,
        }
    }
    if other && !rust {
        Kind::NotRust
    } else if skipped {
        Kind::Skipped
    } else {
        Kind::Compiled
    }
}

/// A doctest line as rustdoc compiles it: `# code` is hidden but compiled
/// (as `code`), a lone `#` is an empty line, `##` stands for `#`.
pub fn unhide(line: &str) -> String {
    let trimmed = line.trim();
    if trimmed.starts_with("##") {
        line.replacen("##", "#", 1)
    } else if let Some(code) = trimmed
        .strip_prefix("# ")
        .or_else(|| trimmed.strip_prefix("#\t"))
    {
        code.to_owned()
    } else if trimmed == "#" {
        String::new()
    } else {
        line.to_owned()
    }
}

/// A program's lines, each with the source line it comes from (`None` for
/// the lines rustdoc adds).
pub type Program = Vec<(Option<usize>, String)>;

/// The program rustdoc compiles for a doctest body: hidden lines kept,
/// crate attributes (`#![..]`) first, `#![allow(unused)]` (rustdoc's
/// default), and, when the code has no `fn main` of its own, the code
/// wrapped in one: when it ends in `(())` (the `Ok::<(), E>(())`
/// convention), in a function returning `Result<(), impl Debug>` whose
/// result `main` unwraps, so that `?` works.
pub fn doctest_program(body: &[(usize, String)]) -> Program {
    let code: Vec<(usize, String)> = body.iter().map(|(n, l)| (*n, unhide(l))).collect();
    let depths = depths(code.iter().map(|(_, l)| l.as_str()));
    let mut attrs = Vec::new();
    let mut rest = Vec::new();
    for ((n, line), depth) in code.into_iter().zip(&depths) {
        if *depth == 0 && line.trim_start().starts_with("#![") {
            attrs.push((Some(n), line));
        } else {
            rest.push((n, line));
        }
    }
    let has_main = top_level_main(rest.iter().map(|(_, l)| l.as_str()));
    let mut program: Program = vec![(None, "#![allow(unused)]".to_owned())];
    program.extend(attrs);
    let text: String = rest.iter().map(|(_, l)| format!("{l}\n")).collect();
    let body = rest.into_iter().map(|(n, l)| (Some(n), l));
    if has_main {
        program.extend(body);
    } else if text.trim_end().ends_with("(())") {
        program.push((
            None,
            "fn main() { #[allow(non_snake_case)] fn _inner() -> core::result::Result<(), impl core::fmt::Debug> {"
                .to_owned(),
        ));
        program.extend(body);
        program.push((None, "} _inner().unwrap() }".to_owned()));
    } else {
        program.push((None, "fn main() {".to_owned()));
        program.extend(body);
        program.push((None, "}".to_owned()));
    }
    program
}

/// Whether the code declares `fn main` outside any braces.
fn top_level_main<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> bool {
    let depths = depths(lines.clone());
    lines.zip(depths).any(|(line, depth)| {
        depth == 0 && {
            let code = line.split("//").next().unwrap_or("");
            code.match_indices("fn main").any(|(at, _)| {
                let before = code[..at].chars().next_back();
                let after = code[at + "fn main".len()..].chars().next();
                before.is_none_or(|c| c.is_whitespace() || c == ']')
                    && matches!(after, None | Some('(' | '<' | ' '))
            })
        }
    })
}

/// The brace depth at the start of each line, outside strings, character
/// literals and comments (a plain reading, enough for examples).
fn depths<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<usize> {
    let mut depth = 0usize;
    let mut in_block_comment = 0usize;
    let mut in_string = false;
    let mut out = Vec::new();
    for line in lines {
        out.push(depth);
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            if in_block_comment > 0 {
                if c == '*' && next == Some('/') {
                    in_block_comment -= 1;
                    i += 1;
                } else if c == '/' && next == Some('*') {
                    in_block_comment += 1;
                    i += 1;
                }
            } else if in_string {
                if c == '\\' {
                    i += 1;
                } else if c == '"' {
                    in_string = false;
                }
            } else {
                match c {
                    '/' if next == Some('/') => break,
                    '/' if next == Some('*') => {
                        in_block_comment += 1;
                        i += 1;
                    }
                    '"' => in_string = true,
                    '\'' => {
                        // A character literal ('x', '\n'), not a lifetime.
                        if next == Some('\\') {
                            while i + 1 < chars.len() && chars[i + 1] != '\'' {
                                i += 1;
                            }
                            i += 1;
                        } else if chars.get(i + 2) == Some(&'\'') {
                            i += 2;
                        }
                    }
                    '{' => depth += 1,
                    '}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            i += 1;
        }
    }
    out
}

/// The README's blocks are compiled as they are shown: as a consumer's
/// `src/main.rs`, with no line added.
pub fn verbatim_program(body: &[(usize, String)]) -> Program {
    body.iter().map(|(n, l)| (Some(*n), l.clone())).collect()
}

/// The `feature = "NAME"` names in a text (a `cfg` attribute, a
/// `cfg_attr(docsrs, doc(cfg(..)))`).
pub fn features_named(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("feature") {
        rest = &rest[at + "feature".len()..];
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let Some(value) = value.trim_start().strip_prefix('"') else {
            continue;
        };
        if let Some(end) = value.find('"') {
            let name = value[..end].to_owned();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(text: &str) -> Vec<(usize, String)> {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_owned()))
            .collect()
    }

    fn code(program: &Program) -> String {
        program.iter().map(|(_, l)| format!("{l}\n")).collect()
    }

    #[test]
    fn fence_tags_are_read_as_rustdoc_reads_them() {
        for info in [
            "",
            "rust",
            "no_run",
            "rust,no_run",
            "should_panic",
            "rust, edition2021",
            "E0277",
        ] {
            assert_eq!(kind(info), Kind::Compiled, "{info:?}");
        }
        for info in [
            "ignore",
            "compile_fail",
            "rust,ignore",
            "no_run,compile_fail",
            "ignore-windows",
        ] {
            assert_eq!(kind(info), Kind::Skipped, "{info:?}");
        }
        for info in ["text", "sh", "toml", "yaml", "json", "text,no_run"] {
            assert_eq!(kind(info), Kind::NotRust, "{info:?}");
        }
        // An unknown word with `rust` is still Rust.
        assert_eq!(kind("rust,custom"), Kind::Compiled);
    }

    #[test]
    fn doc_comments_lose_their_prefix_and_common_indentation() {
        let source = "//! Module.\n//!\n//! ```\n//! let a = 1;\n//! ```\nuse x;\n\n    /// An item.\n    ///\n    ///   indented\n    #[cfg(feature = \"emulator\")]\n    #[inline]\n    pub fn f() {}\n//// not a doc\n";
        let groups = doc_groups(source);
        assert_eq!(groups.len(), 2);
        assert!(groups[0].inner);
        assert_eq!(groups[0].lines[0], (1, "Module.".to_owned()));
        assert_eq!(groups[0].lines[3], (4, "let a = 1;".to_owned()));
        assert!(!groups[1].inner);
        assert_eq!(groups[1].lines[2], (10, "  indented".to_owned()));
        assert_eq!(
            groups[1].after,
            ["#[cfg(feature = \"emulator\")]", "#[inline]"]
        );
        assert_eq!(features_named(&groups[1].after.join("\n")), ["emulator"]);
    }

    #[test]
    fn blocks_are_found_with_their_lines_and_tags() {
        let text = "intro\n```rust,no_run\nfn main() {}\n```\n\n- item:\n  ```sh\n  cargo run\n  ```\n~~~~\n```\nstill inside\n~~~~\n";
        let found = blocks(&numbered(text));
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].info, "rust,no_run");
        assert_eq!(found[0].body, [(3, "fn main() {}".to_owned())]);
        assert_eq!(found[1].info, "sh");
        assert_eq!(found[1].body, [(8, "cargo run".to_owned())]);
        assert_eq!(found[2].info, "");
        assert_eq!(
            found[2].body.len(),
            2,
            "a shorter or other fence does not close"
        );
    }

    #[test]
    fn hidden_lines_are_compiled() {
        assert_eq!(unhide("# let a = 1;"), "let a = 1;");
        assert_eq!(unhide("    # let a = 1;"), "let a = 1;");
        assert_eq!(unhide("#"), "");
        assert_eq!(unhide("## not hidden"), "# not hidden");
        assert_eq!(unhide("#[derive(Debug)]"), "#[derive(Debug)]");
        assert_eq!(unhide("let b = 2; # not hidden"), "let b = 2; # not hidden");
    }

    #[test]
    fn a_block_without_main_is_wrapped_in_one() {
        let program = doctest_program(&numbered("use std::fmt;\nlet a = 1;\nprintln!(\"{a}\");"));
        assert_eq!(
            code(&program),
            "#![allow(unused)]\nfn main() {\nuse std::fmt;\nlet a = 1;\nprintln!(\"{a}\");\n}\n"
        );
        // Each line keeps its source line; the added ones have none.
        assert_eq!(program[0].0, None);
        assert_eq!(program[2].0, Some(1));
        assert_eq!(program.last().unwrap().0, None);
    }

    #[test]
    fn a_block_ending_in_ok_unit_gets_a_result_for_the_question_mark() {
        let program = doctest_program(&numbered(
            "let n: u8 = \"1\".parse()?;\n# Ok::<(), std::num::ParseIntError>(())\n",
        ));
        let text = code(&program);
        assert!(text.starts_with("#![allow(unused)]\nfn main() { #[allow(non_snake_case)] fn _inner() -> core::result::Result<(), impl core::fmt::Debug> {\n"), "{text}");
        assert!(
            text.contains("\nOk::<(), std::num::ParseIntError>(())\n} _inner().unwrap() }\n"),
            "{text}"
        );
    }

    #[test]
    fn a_block_with_its_own_main_is_left_as_it_is() {
        for body in [
            "#[tokio::main]\nasync fn main() -> Result<(), E> {\n    Ok(())\n}",
            "#[tokio::main] async fn main() {}",
            "# mod run {\npub fn main() {}\n# }\n# fn main() { run::main() }",
            "pub fn main() {}",
        ] {
            let text = code(&doctest_program(&numbered(body)));
            assert!(
                !text.contains("fn main() {\n")
                    || text.contains("async fn main")
                    || text.contains("pub fn main"),
                "{text}"
            );
            assert!(!text.contains("_inner"), "{text}");
            assert_eq!(
                text.matches("fn main").count(),
                body.matches("fn main").count(),
                "{text}"
            );
        }
        // A `main` only inside braces, in a comment or in a string is not the program's.
        for body in [
            "mod run {\n    pub fn main() {}\n}",
            "// fn main() is not needed\nlet a = 1;",
            "let s = \"fn main() {}\";",
            "fn main_loop() {}",
        ] {
            let text = code(&doctest_program(&numbered(body)));
            assert!(
                text.starts_with("#![allow(unused)]\nfn main() {\n"),
                "{body}: {text}"
            );
        }
    }

    #[test]
    fn crate_attributes_go_first() {
        let text = code(&doctest_program(&numbered(
            "#![allow(dead_code)]\nlet a = 1;",
        )));
        assert_eq!(
            text,
            "#![allow(unused)]\n#![allow(dead_code)]\nfn main() {\nlet a = 1;\n}\n"
        );
    }

    #[test]
    fn braces_in_strings_chars_and_comments_do_not_count() {
        assert_eq!(
            depths(
                [
                    "let a = '{';",
                    "let s = \"}{\"; // }",
                    "/* { */ fn f<'a>(x: &'a str) {",
                    "}"
                ]
                .into_iter()
            ),
            [0, 0, 0, 1]
        );
    }

    #[test]
    fn readme_blocks_are_compiled_verbatim() {
        let program = verbatim_program(&numbered("use a;\nfn main() {}"));
        assert_eq!(code(&program), "use a;\nfn main() {}\n");
    }
}
