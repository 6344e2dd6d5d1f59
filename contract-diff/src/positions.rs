//! Where each element of a document is written: a line for every JSON
//! pointer, so that annotations can point at the changed element.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, Span, SpannedEventReceiver};

use crate::refs::pointer_of;

/// The line (1-based) of each element of a YAML or JSON text, by JSON
/// pointer (`#/paths/~1pets/get`). A text that does not parse gives the
/// lines found before the error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    lines: HashMap<String, usize>,
}

impl Lines {
    /// Reads the positions of `text`.
    pub fn of(text: &str) -> Self {
        let mut recorder = Recorder::default();
        let _ = Parser::new_from_str(text).load(&mut recorder, false);
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

enum Frame {
    Mapping { key: Option<String> },
    Sequence { next: usize },
}

#[derive(Default)]
struct Recorder {
    frames: Vec<Frame>,
    /// The pointer tokens of the open containers below the root.
    path: Vec<String>,
    lines: HashMap<String, usize>,
}

impl Recorder {
    /// A value starts: the token it sits at in its container, if any. A
    /// mapping's key was recorded when it was read.
    fn value_token(&mut self, line: usize) -> Option<String> {
        match self.frames.last_mut()? {
            Frame::Mapping { key } => key.take(),
            Frame::Sequence { next } => {
                let token = next.to_string();
                *next += 1;
                self.path.push(token.clone());
                self.lines.insert(pointer_of(&self.path), line);
                self.path.pop();
                Some(token)
            }
        }
    }

    fn open(&mut self, frame: Frame, line: usize) {
        if let Some(token) = self.value_token(line) {
            self.path.push(token);
        } else if !self.frames.is_empty() {
            // A container used as a mapping key: give it a token all the same.
            self.path.push(String::new());
        }
        self.frames.push(frame);
    }

    fn close(&mut self) {
        self.frames.pop();
        if !self.frames.is_empty() {
            self.path.pop();
        }
    }
}

impl<'input> SpannedEventReceiver<'input> for Recorder {
    fn on_event(&mut self, event: Event<'input>, span: Span) {
        let line = span.start.line();
        match event {
            Event::MappingStart(..) => self.open(Frame::Mapping { key: None }, line),
            Event::SequenceStart(..) => self.open(Frame::Sequence { next: 0 }, line),
            Event::MappingEnd | Event::SequenceEnd => self.close(),
            Event::Scalar(text, ..) => match self.frames.last_mut() {
                Some(Frame::Mapping { key }) if key.is_none() => {
                    *key = Some(text.to_string());
                    self.path.push(text.to_string());
                    self.lines.insert(pointer_of(&self.path), line);
                    self.path.pop();
                }
                _ => {
                    self.value_token(line);
                }
            },
            Event::Alias(_) => {
                self.value_token(line);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_elements_have_their_lines() {
        let yaml = Lines::of("openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      tags: [a, b]\n");
        assert_eq!(yaml.line("#/paths/~1pets/get"), Some(4));
        assert_eq!(yaml.line("#/paths/~1pets/get/tags/1"), Some(5));
        assert_eq!(yaml.line("#/paths/~1pets/post/responses"), Some(3));
        let json = Lines::of("{\n  \"a\": {\n    \"b\": [1,\n 2]\n  }\n}");
        assert_eq!(json.line("#/a/b/1"), Some(4));
    }
}
