//! Where in a request or response a schema sits, and the rule ids that
//! position uses: oasdiff names the same change differently for a request
//! body, a property, a parameter or a response header.

use super::super::Direction;
use super::types::Typing;

/// What kind of value the schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Site {
    Body,
    Parameter { header: bool },
    Header,
}

/// A position in a schema being compared, as far as rule ids care: where
/// the value travels and whether it is the body, parameter or header itself.
/// The words for it (which body, which property) are added when changes are
/// reported, so that a schema pair compares once wherever it appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Cursor {
    pub(crate) direction: Direction,
    pub(crate) site: Site,
    root: bool,
    /// Whether the value travels as text (parameters, headers, `text/*`
    /// bodies), where a plain string accepts every value.
    textual: bool,
    /// Whether the body is JSON, where `1` and `"1"` are different values.
    json: bool,
    pub(crate) read_only: bool,
    pub(crate) write_only: bool,
    /// An optional property of an object (not what lies below it).
    pub(crate) optional: bool,
}

impl Cursor {
    /// A body of `media_type`.
    pub(crate) fn body(direction: Direction, media_type: &str) -> Self {
        let textual = media_type
            .trim_start()
            .get(..5)
            .is_some_and(|kind| kind.eq_ignore_ascii_case("text/"));
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        let json = essence.eq_ignore_ascii_case("application/json")
            || essence.to_ascii_lowercase().ends_with("+json");
        Self {
            json,
            ..Self::new(direction, Site::Body, textual)
        }
    }

    pub(crate) fn parameter(header: bool) -> Self {
        Self::new(Direction::Request, Site::Parameter { header }, true)
    }

    pub(crate) fn header() -> Self {
        Self::new(Direction::Response, Site::Header, true)
    }

    fn new(direction: Direction, site: Site, textual: bool) -> Self {
        Self {
            direction,
            site,
            root: true,
            textual,
            json: false,
            read_only: false,
            write_only: false,
            optional: false,
        }
    }

    pub(crate) fn is_root(&self) -> bool {
        self.root
    }

    /// Whether the value itself (not a part of it) travels as text.
    pub(crate) fn is_text(&self) -> bool {
        self.root && self.textual
    }

    /// How a change of `type` reads here (see [`Typing`]).
    pub(crate) fn typing(&self) -> Typing {
        match self.site {
            Site::Body if self.json => Typing::Strong,
            Site::Parameter { .. } if !self.root => Typing::Unknown,
            _ => Typing::Loose,
        }
    }

    /// The position of a sub-schema: a property, `items`, a union member.
    pub(crate) fn child(&self) -> Self {
        Self {
            root: false,
            optional: false,
            ..*self
        }
    }

    /// The ids a change named `suffix` (e.g. `max-decreased`) may have here,
    /// most specific first.
    pub(crate) fn ids(&self, suffix: &str) -> Vec<String> {
        let root = self.root;
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
            (Direction::Response, Site::Body) if self.optional && suffix == "became-nullable" => {
                vec!["response-optional-property-became-nullable".to_owned()]
            }
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
