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
    /// The record of input line `line`: an invitation, or invalid when its
    /// id or token is empty (so the problem names the line, not a place in
    /// a batch).
    fn into_record(self, line: u64) -> Record {
        let problem = match () {
            _ if self.id.trim().is_empty() => "the id is empty",
            _ if self.validation_token.is_blank() => "the validation token is empty",
            _ => {
                let invitation = Invitation::new(self.id, self.validation_token);
                let invitation = match self.tracking_id.filter(|t| !t.is_empty()) {
                    Some(tracking) => invitation.with_tracking_id(tracking),
                    None => invitation,
                };
                return Record::Invitation { line, invitation };
            }
        };
        Record::Invalid {
            line,
            problem: problem.to_owned(),
        }
    }
}

/// The UTF-8 byte order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Skips a byte order mark and leading white space; returns the first byte
/// after them, if any.
fn first_byte(reader: &mut impl BufRead) -> io::Result<Option<u8>> {
    if reader.fill_buf()?.starts_with(BOM) {
        reader.consume(BOM.len());
    }
    loop {
        let buffer = reader.fill_buf()?;
        match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(at) => return Ok(Some(buffer[at])),
            None if buffer.is_empty() => return Ok(None),
            None => {
                let n = buffer.len();
                reader.consume(n);
            }
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
    // Leading blank lines are skipped here; count them for line numbers.
    let mut skipped = Counted::new(&mut reader);
    let first = first_byte(&mut skipped)?;
    let offset = skipped.newlines;
    match first {
        None | Some(b'{') => Ok(Box::new(json_lines(reader, offset))),
        Some(_) => csv_rows(reader, offset),
    }
}

/// A reader that counts the newlines it consumes.
struct Counted<'a, R> {
    inner: &'a mut R,
    newlines: u64,
}

impl<'a, R: BufRead> Counted<'a, R> {
    fn new(inner: &'a mut R) -> Self {
        Self { inner, newlines: 0 }
    }
}

impl<R: BufRead> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(buffer) = self.inner.fill_buf() {
            let end = amount.min(buffer.len());
            self.newlines += buffer[..end].iter().filter(|b| **b == b'\n').count() as u64;
        }
        self.inner.consume(amount);
    }
}

/// JSON Lines, read as bytes: a line that is not UTF-8 is one invalid
/// record with its number, like any other bad line, and reading goes on
/// from the next. Only an I/O error ends the records.
fn json_lines(
    reader: impl BufRead + Send + 'static,
    offset: u64,
) -> impl Iterator<Item = io::Result<Record>> {
    reader
        .split(b'\n')
        .zip(offset + 1..)
        .filter(|(bytes, _)| {
            bytes
                .as_ref()
                .map_or(true, |b| !b.iter().all(u8::is_ascii_whitespace))
        })
        .map(|(bytes, line)| {
            let bytes = bytes?;
            let Ok(text) = std::str::from_utf8(&bytes) else {
                return Ok(Record::Invalid {
                    line,
                    problem: "the line is not valid UTF-8".to_owned(),
                });
            };
            Ok(match serde_json::from_str::<Row>(text) {
                Ok(row) => row.into_record(line),
                Err(error) => Record::Invalid {
                    line,
                    problem: format!("{EXPECTED} (column {})", error.column()),
                },
            })
        })
}

fn csv_rows(reader: impl Read + Send + 'static, offset: u64) -> io::Result<Records> {
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
            .map(move |row| {
                Ok(match row {
                    Ok(row) => row.into_record(0),
                    Err(error) => match error.kind() {
                        csv::ErrorKind::Io(_) => return Err(io::Error::other(error.to_string())),
                        _ => Record::Invalid {
                            line: error.position().map_or(0, |p| offset + p.line()),
                            problem:
                                "expected id,validationToken[,trackingId] with no empty id or token"
                                    .to_owned(),
                        },
                    },
                })
            })
            .zip(offset + 2..)
            .map(|(record, line)| {
                record.map(|record| match record {
                    Record::Invitation { invitation, .. } => {
                        Record::Invitation { line, invitation }
                    }
                    Record::Invalid { line: 0, problem } => Record::Invalid { line, problem },
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
        .split(b'\n')
        .map_while(Result::ok)
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count() as u64;
    let mut head = BufReader::new(std::fs::File::open(path).ok()?);
    Some(match first_byte(&mut head).ok()? {
        Some(b'{') | None => lines,
        _ => lines.saturating_sub(1),
    })
}
