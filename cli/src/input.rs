//! Reading invitations: JSON Lines or CSV (`id,validationToken[,trackingId]`),
//! one record at a time, told apart by the first non-blank byte (`{`).
//! Problems are described without quoting the line: it may hold a token.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};

use linkedin_invitations::{Invitation, Secret};
use serde::Deserialize;

/// One record of the input.
pub enum Record {
    Invitation {
        line: u64,
        invitation: Invitation,
    },
    /// Not an invitation; `id` when the record has one.
    Invalid {
        line: u64,
        id: Option<String>,
        problem: String,
    },
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
            id: Some(self.id).filter(|id| !id.trim().is_empty()),
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
                    id: None,
                    problem: "the line is not valid UTF-8".to_owned(),
                });
            };
            Ok(match serde_json::from_str::<Row>(text) {
                Ok(row) => row.into_record(line),
                Err(error) => Record::Invalid {
                    line,
                    // The id of an object with a bad field, to report it by.
                    id: serde_json::from_str::<serde_json::Value>(text)
                        .ok()
                        .and_then(|v| v.get("id")?.as_str().map(str::to_owned)),
                    problem: format!("{EXPECTED} (column {})", error.column()),
                },
            })
        })
}

fn csv_rows(reader: impl Read + Send + 'static, offset: u64) -> io::Result<Records> {
    let starts = Arc::new(Mutex::new(VecDeque::new()));
    let mut lines = LineOf {
        starts: Arc::clone(&starts),
        offset,
    };
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(LineLog {
            inner: reader,
            read: 0,
            line: 1,
            at_line_start: true,
            starts,
        });
    let headers = csv
        .headers()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
    if !(headers.iter().any(|h| h == "id") && headers.iter().any(|h| h == "validationToken")) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "neither JSON Lines nor CSV with a header naming id and validationToken (and trackingId if any)",
        ));
    }
    let headers = headers.clone();
    let id_column = headers.iter().position(|h| h == "id");
    // Each record by the line its first byte is on.
    Ok(Box::new(csv.into_records().map(move |row| {
        let row = match row {
            Ok(row) => row,
            Err(error) => {
                return match error.kind() {
                    csv::ErrorKind::Io(_) => Err(io::Error::other(error.to_string())),
                    _ => Ok(Record::Invalid {
                        line: error.position().map_or(0, |p| lines.at(p.byte())),
                        id: None,
                        problem: CSV_EXPECTED.to_owned(),
                    }),
                }
            }
        };
        let line = row.position().map_or(0, |p| lines.at(p.byte()));
        Ok(match row.deserialize::<Row>(Some(&headers)) {
            Ok(record) => record.into_record(line),
            Err(_) => Record::Invalid {
                line,
                id: id_column
                    .and_then(|at| row.get(at))
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned),
                problem: CSV_EXPECTED.to_owned(),
            },
        })
    })))
}

/// A reader that logs where each line with content starts (offset, line
/// number). csv's own `Position::line` misses blank lines (row 7 came out
/// as line 6) and its `Position::byte` points before them: the record's line
/// is the first line with content at or after that byte.
struct LineLog<R> {
    inner: R,
    read: u64,
    line: u64,
    at_line_start: bool,
    starts: Arc<Mutex<VecDeque<(u64, u64)>>>,
}

impl<R: Read> Read for LineLog<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut starts = self.starts.lock().unwrap_or_else(|e| e.into_inner());
        for (at, byte) in buf[..n].iter().enumerate() {
            match byte {
                b'\n' => {
                    self.line += 1;
                    self.at_line_start = true;
                }
                b'\r' => {}
                _ if self.at_line_start => {
                    starts.push_back((self.read + at as u64, self.line));
                    self.at_line_start = false;
                }
                _ => {}
            }
        }
        self.read += n as u64;
        Ok(n)
    }
}

/// Line numbers of bytes asked in increasing order; it forgets the lines
/// it has passed, so it holds only those read ahead.
struct LineOf {
    starts: Arc<Mutex<VecDeque<(u64, u64)>>>,
    /// Lines skipped before the reader began.
    offset: u64,
}

impl LineOf {
    fn at(&mut self, byte: u64) -> u64 {
        let mut starts = self.starts.lock().unwrap_or_else(|e| e.into_inner());
        while starts.front().is_some_and(|&(at, _)| at < byte) {
            starts.pop_front();
        }
        self.offset + starts.front().map_or(0, |&(_, line)| line)
    }
}

const CSV_EXPECTED: &str = "expected id,validationToken[,trackingId] with no empty id or token";

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
