//! Reading invitations: JSON Lines or CSV (`id,validationToken[,trackingId]`),
//! one record at a time, told apart by the first non-blank byte (`{`).
//! Problems are described without quoting the line: it may hold a token.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use linkedin_invitations::{Invitation, Secret};
use serde::Deserialize;

/// One record of the input.
pub enum Record {
    Invitation { line: u64, invitation: Invitation },
    Invalid { line: u64, problem: String },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    id: String,
    validation_token: Secret,
    #[serde(default)]
    tracking_id: Option<String>,
}

impl Row {
    fn into_invitation(self) -> Invitation {
        let invitation = Invitation::new(self.id, self.validation_token);
        match self.tracking_id.filter(|t| !t.is_empty()) {
            Some(tracking) => invitation.with_tracking_id(tracking),
            None => invitation,
        }
    }
}

const EXPECTED: &str =
    r#"expected {"id": string, "validationToken": string, "trackingId"?: string}"#;

/// The input's records, read lazily.
pub type Records = Box<dyn Iterator<Item = io::Result<Record>> + Send>;

/// Opens `path` (`-` is standard input) and checks its format.
pub fn open(path: &Path) -> io::Result<Records> {
    let source: Box<dyn Read + Send> = match path.to_str() {
        Some("-") => Box::new(io::stdin()),
        _ => Box::new(std::fs::File::open(path)?),
    };
    let mut reader = BufReader::with_capacity(64 * 1024, source);
    let json = loop {
        let buffer = reader.fill_buf()?;
        match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => break buffer[at] == b'{',
            None if buffer.is_empty() => break true,
            None => {
                let n = buffer.len();
                reader.consume(n);
            }
        }
    };
    match json {
        true => Ok(Box::new(json_lines(reader))),
        false => csv_rows(reader),
    }
}

fn json_lines(reader: impl BufRead + Send + 'static) -> impl Iterator<Item = io::Result<Record>> {
    reader
        .lines()
        .zip(1u64..)
        .filter(|(text, _)| text.as_ref().map_or(true, |t| !t.trim().is_empty()))
        .map(|(text, line)| {
            let text = text?;
            Ok(match serde_json::from_str::<Row>(&text) {
                Ok(row) => Record::Invitation {
                    line,
                    invitation: row.into_invitation(),
                },
                Err(error) => Record::Invalid {
                    line,
                    problem: format!("{EXPECTED} (column {})", error.column()),
                },
            })
        })
}

fn csv_rows(reader: impl Read + Send + 'static) -> io::Result<Records> {
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
    if !(headers.iter().any(|h| h == "id") && headers.iter().any(|h| h == "validationToken")) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "neither JSON Lines nor CSV with a header naming id and validationToken (and trackingId if any)",
        ));
    }
    Ok(Box::new(
        csv.into_deserialize::<Row>()
            .map(|row| {
                Ok(match row {
                    Ok(row) => Record::Invitation {
                        line: 0,
                        invitation: row.into_invitation(),
                    },
                    Err(error) => match error.kind() {
                        csv::ErrorKind::Io(_) => return Err(io::Error::other(error.to_string())),
                        _ => Record::Invalid {
                            line: error.position().map_or(0, |p| p.line()),
                            problem:
                                "expected id,validationToken[,trackingId] with no empty id or token"
                                    .to_owned(),
                        },
                    },
                })
            })
            .zip(2u64..)
            .map(|(record, line)| {
                record.map(|record| match record {
                    Record::Invitation { invitation, .. } => {
                        Record::Invitation { line, invitation }
                    }
                    invalid => invalid,
                })
            }),
    ))
}

/// How many records a file holds, for the progress bar (none for stdin).
pub fn count(path: &Path) -> Option<u64> {
    if path.to_str() == Some("-") {
        return None;
    }
    let reader = BufReader::new(std::fs::File::open(path).ok()?);
    let lines = reader
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .count() as u64;
    let mut head = BufReader::new(std::fs::File::open(path).ok()?);
    let first = loop {
        let buffer = head.fill_buf().ok()?;
        match buffer.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(&b) => break Some(b),
            None if buffer.is_empty() => break None,
            None => {
                let n = buffer.len();
                head.consume(n);
            }
        }
    };
    Some(match first {
        Some(b'{') => lines,
        _ => lines.saturating_sub(1),
    })
}
