//! Where elements of a document are written: the line of each JSON pointer
//! a report asks for, so that annotations can point at the changed element.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, Span, SpannedEventReceiver};

/// The line (1-based) of elements of a YAML or JSON text, by JSON pointer
/// (`#/paths/~1pets/get`). A text that does not parse gives the lines found
/// before the error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    lines: HashMap<String, usize>,
}

impl Lines {
    /// Reads where the elements at `pointers`, and their ancestors, are
    /// written in `text`. Only those are recorded: a large document has
    /// millions of elements and a report points at a few.
    pub fn of<'p>(text: &str, pointers: impl IntoIterator<Item = &'p str>) -> Self {
        let mut wanted = HashSet::new();
        for pointer in pointers {
            let mut prefix = pointer;
            while wanted.insert(prefix.to_owned()) {
                match prefix.rfind('/') {
                    Some(end) => prefix = &prefix[..end],
                    None => break,
                }
            }
        }
        let mut recorder = Recorder {
            wanted,
            frames: Vec::new(),
            lines: HashMap::new(),
        };
        let unmarked = text.strip_prefix('\u{feff}').unwrap_or(text);
        if unmarked.trim_start().starts_with('{') {
            scan_json(unmarked, &mut recorder);
        } else {
            let _ = Parser::new_from_str(text).load(&mut recorder, false);
        }
        Self {
            lines: recorder.lines,
        }
    }

    /// The line of the element at `pointer`, or of its nearest ancestor written in the text.
    pub fn line(&self, pointer: &str) -> Option<usize> {
        let mut pointer = pointer;
        loop {
            if let Some(line) = self.lines.get(pointer) {
                return Some(*line);
            }
            pointer = &pointer[..pointer.rfind('/')?];
        }
    }
}

enum Kind {
    /// The key whose value comes next, once read.
    Mapping {
        key: Option<String>,
    },
    Sequence {
        next: usize,
    },
}

/// An open container, with its pointer when an element asked for may be inside it.
struct Frame {
    kind: Kind,
    pointer: Option<String>,
}

struct Recorder {
    /// The pointers asked for and all their ancestors.
    wanted: HashSet<String>,
    frames: Vec<Frame>,
    lines: HashMap<String, usize>,
}

impl Recorder {
    /// The pointer of child `token` of the innermost container, when wanted.
    fn child(&self, token: &str) -> Option<String> {
        let parent = self.frames.last()?.pointer.as_deref()?;
        let pointer = format!("{parent}/{}", token.replace('~', "~0").replace('/', "~1"));
        self.wanted.contains(&pointer).then_some(pointer)
    }

    /// A value starts: its pointer when wanted. A mapping value's line is
    /// that of its key, recorded when the key was read.
    fn value(&mut self, line: usize) -> Option<String> {
        let token = match &mut self.frames.last_mut()?.kind {
            Kind::Mapping { key } => return key.take().and_then(|key| self.child(&key)),
            Kind::Sequence { next } => {
                *next += 1;
                (*next - 1).to_string()
            }
        };
        let pointer = self.child(&token)?;
        self.lines.insert(pointer.clone(), line);
        Some(pointer)
    }

    /// A scalar: a mapping's key, or a value.
    fn scalar(&mut self, text: &str, line: usize) {
        match self.frames.last_mut() {
            Some(Frame {
                kind: Kind::Mapping { key },
                ..
            }) if key.is_none() => {
                *key = Some(text.to_owned());
                if let Some(pointer) = self.child(text) {
                    self.lines.insert(pointer, line);
                }
            }
            _ => {
                self.value(line);
            }
        }
    }

    fn open(&mut self, kind: Kind, line: usize) {
        let pointer = if self.frames.is_empty() {
            Some("#".to_owned())
        } else {
            // A container used as a mapping key has no pointer: nothing inside is wanted.
            self.value(line)
        };
        self.frames.push(Frame { kind, pointer });
    }
}

impl<'input> SpannedEventReceiver<'input> for Recorder {
    fn on_event(&mut self, event: Event<'input>, span: Span) {
        let line = span.start.line();
        match event {
            Event::MappingStart(..) => self.open(Kind::Mapping { key: None }, line),
            Event::SequenceStart(..) => self.open(Kind::Sequence { next: 0 }, line),
            Event::MappingEnd | Event::SequenceEnd => {
                self.frames.pop();
            }
            Event::Scalar(text, ..) => self.scalar(&text, line),
            Event::Alias(_) => {
                self.value(line);
            }
            _ => {}
        }
    }
}

/// Feeds the structure of a JSON text to `recorder`. The YAML parser
/// reads JSON too, but queues a whole single-line JSON document as tokens
/// (hundreds of MB for a few MB of text); JSON's structure is simple enough
/// to follow in one pass over its bytes. Malformed text ends the scan early.
fn scan_json(text: &str, recorder: &mut Recorder) {
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\n' => line += 1,
            b'{' => recorder.open(Kind::Mapping { key: None }, line),
            b'[' => recorder.open(Kind::Sequence { next: 0 }, line),
            b'}' | b']' => {
                recorder.frames.pop();
            }
            b'"' => {
                let start = at;
                at += 1;
                while let Some(&byte) = bytes.get(at) {
                    match byte {
                        b'"' => break,
                        b'\\' => at += 2,
                        _ => at += 1,
                    }
                }
                let Some(quoted) = text.get(start..=at) else {
                    return;
                };
                let unquoted = &quoted[1..quoted.len() - 1];
                if unquoted.contains('\\') {
                    let decoded: String = serde_json::from_str(quoted).unwrap_or_default();
                    recorder.scalar(&decoded, line);
                } else {
                    recorder.scalar(unquoted, line);
                }
            }
            b',' | b':' | b' ' | b'\t' | b'\r' => {}
            // A number, `true`, `false` or `null`: one scalar up to the next delimiter.
            _ => {
                recorder.scalar("", line);
                while bytes
                    .get(at + 1)
                    .is_some_and(|b| !b",]} \t\r\n".contains(b))
                {
                    at += 1;
                }
            }
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_elements_have_their_lines() {
        let yaml = "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      tags: [a, b]\n";
        let wanted = [
            "#/paths/~1pets/get",
            "#/paths/~1pets/get/tags/1",
            "#/paths/~1pets/post/responses",
        ];
        let lines = Lines::of(yaml, wanted);
        assert_eq!(lines.line("#/paths/~1pets/get"), Some(4));
        assert_eq!(lines.line("#/paths/~1pets/get/tags/1"), Some(5));
        assert_eq!(lines.line("#/paths/~1pets/post/responses"), Some(3));
        let json = Lines::of("{\n  \"a\": {\n    \"b\": [1,\n 2]\n  }\n}", ["#/a/b/1"]);
        assert_eq!(json.line("#/a/b/1"), Some(4));
        let escaped = "{\"x\": [true, \"a\\\"b\"],\n \"c/\\u0064\": {\"e\":\n null}}";
        let json = Lines::of(escaped, ["#/c~1d/e", "#/x/1"]);
        assert_eq!(
            (json.line("#/c~1d/e"), json.line("#/x/1")),
            (Some(2), Some(1))
        );
    }

    #[test]
    fn only_the_elements_asked_for_are_recorded() {
        let lines = Lines::of("a: {b: 1, c: 2}\nd: [3]\n", ["#/a/c"]);
        assert_eq!(lines.lines.len(), 2, "{lines:?}");
        assert_eq!(lines.line("#/d/0"), None);
    }
}
