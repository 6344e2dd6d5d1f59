//! Where in a request or response a schema sits, and the rule ids that
//! position uses: oasdiff names the same change differently for a request
//! body, a property, a parameter or a response header.

use super::super::Direction;

/// What kind of value the schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    Body,
    Parameter { header: bool },
    Header,
}

/// A position in a schema being compared.
#[derive(Debug, Clone)]
pub(crate) struct Cursor {
    pub(crate) direction: Direction,
    pub(crate) site: Site,
    /// The body, parameter or header, in words.
    subject: String,
    /// Property path below the subject, `a/items/b`; empty at the root.
    pub(crate) path: String,
    pub(crate) read_only: bool,
    pub(crate) write_only: bool,
}

impl Cursor {
    pub(crate) fn body(direction: Direction, subject: String) -> Self {
        Self::new(direction, Site::Body, subject)
    }

    pub(crate) fn parameter(header: bool, subject: String) -> Self {
        Self::new(Direction::Request, Site::Parameter { header }, subject)
    }

    pub(crate) fn header(subject: String) -> Self {
        Self::new(Direction::Response, Site::Header, subject)
    }

    fn new(direction: Direction, site: Site, subject: String) -> Self {
        Self {
            direction,
            site,
            subject,
            path: String::new(),
            read_only: false,
            write_only: false,
        }
    }

    pub(crate) fn is_root(&self) -> bool {
        self.path.is_empty()
    }

    /// The position of a sub-schema: a property, `items`, a union member.
    pub(crate) fn child(&self, segment: &str) -> Self {
        let mut child = self.clone();
        if !child.path.is_empty() {
            child.path.push('/');
        }
        child.path.push_str(segment);
        child
    }

    /// "request body (application/json) property 'a/b'".
    pub(crate) fn describe(&self) -> String {
        if self.path.is_empty() {
            self.subject.clone()
        } else {
            format!("{} property '{}'", self.subject, self.path)
        }
    }

    /// The ids a change named `suffix` (e.g. `max-decreased`) may have here,
    /// most specific first.
    pub(crate) fn ids(&self, suffix: &str) -> Vec<String> {
        let root = self.is_root();
        match (self.direction, self.site) {
            (Direction::Request, Site::Body) if root => vec![format!("request-body-{suffix}")],
            (Direction::Request, Site::Body) if self.read_only => vec![
                format!("request-read-only-property-{suffix}"),
                format!("request-property-{suffix}"),
            ],
            (Direction::Request, Site::Body) => vec![format!("request-property-{suffix}")],
            (Direction::Request, Site::Parameter { .. }) if root => {
                vec![format!("request-parameter-{suffix}")]
            }
            (Direction::Request, Site::Parameter { header }) => {
                let mut ids = vec![format!("request-parameter-property-{suffix}")];
                if header {
                    ids.push(format!("request-header-property-{suffix}"));
                }
                ids
            }
            (Direction::Response, Site::Body) if root && suffix == "enum-value-removed" => {
                vec!["response-mediatype-enum-value-removed".to_owned()]
            }
            (Direction::Response, Site::Body) if root => vec![format!("response-body-{suffix}")],
            (Direction::Response, Site::Body) if self.write_only => vec![
                format!("response-write-only-property-{suffix}"),
                format!("response-property-{suffix}"),
            ],
            (Direction::Response, Site::Body) => vec![format!("response-property-{suffix}")],
            (Direction::Response, Site::Header) if root => {
                vec![format!("response-header-{suffix}")]
            }
            _ => Vec::new(),
        }
    }
}
