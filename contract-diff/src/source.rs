//! Where a document comes from: a file, or a path at a git revision.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::error::{LoadError, Problem};

/// A document's origin, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A YAML or JSON file.
    File(PathBuf),
    /// `git:REV:PATH`: the file at `PATH` in revision `REV` of the repository
    /// the process runs in, read with `git show REV:PATH`.
    Git {
        /// Any revision `git show` accepts: `HEAD~1`, a tag, a commit.
        rev: String,
        /// The path inside the repository.
        path: String,
    },
}

impl Source {
    /// Reads `git:REV:PATH` as a git source and anything else as a file path.
    pub fn parse(spec: &str) -> Self {
        if let Some(rest) = spec.strip_prefix("git:") {
            // The path follows the last colon: revisions may not contain one
            // in practice, but `HEAD:dir/file` style paths never do either.
            if let Some((rev, path)) = rest.rsplit_once(':') {
                if !rev.is_empty() && !path.is_empty() {
                    return Source::Git {
                        rev: rev.to_owned(),
                        path: path.to_owned(),
                    };
                }
            }
        }
        Source::File(PathBuf::from(spec))
    }

    /// How errors and reports name this source.
    pub fn display_name(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Git { rev, path } => format!("git:{rev}:{path}"),
        }
    }

    /// The document's text, refused past `max_bytes` (reading stops there,
    /// so an endless input such as `/dev/zero` ends quickly).
    pub fn read(&self, max_bytes: u64) -> Result<String, LoadError> {
        let fail = |problem| LoadError::new(self.display_name(), problem);
        let unreadable = |why: String| fail(Problem::Unreadable(why));
        let bytes = match self {
            Source::File(path) => {
                let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
                let size = file.metadata().map_or(0, |meta| meta.len());
                read_at_most(file, max_bytes, size).map_err(|e| unreadable(e.to_string()))?
            }
            Source::Git { rev, .. } if rev.starts_with('-') => {
                return Err(unreadable(format!(
                    "git revision '{rev}' starts with '-': refused, it would read as an option"
                )));
            }
            Source::Git { rev, path } => {
                // Nothing from the command line may be read as an option.
                let mut child = Command::new("git")
                    .args(["show", "--end-of-options", &format!("{rev}:{path}")])
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .map_err(|e| unreadable(format!("cannot run git: {e}")))?;
                let stdout = child
                    .stdout
                    .take()
                    .map(|out| read_at_most(out, max_bytes, 0));
                let bytes = match stdout {
                    Some(Ok(Some(bytes))) => Some(bytes),
                    Some(Ok(None)) => {
                        let _ = child.kill();
                        None
                    }
                    Some(Err(e)) => return Err(unreadable(e.to_string())),
                    None => return Err(unreadable("git show wrote nothing".to_owned())),
                };
                let output = child
                    .wait_with_output()
                    .map_err(|e| unreadable(format!("git show: {e}")))?;
                if bytes.is_some() && !output.status.success() {
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    let first_line = stderr.lines().next().unwrap_or("git show failed").trim();
                    return Err(unreadable(format!("git show {rev}:{path}: {first_line}")));
                }
                bytes
            }
        };
        let bytes = bytes.ok_or_else(|| fail(Problem::TooLarge { limit: max_bytes }))?;
        String::from_utf8(bytes).map_err(|_| unreadable("not UTF-8 text".to_owned()))
    }
}

/// Everything `reader` gives, or `None` when that is more than `max_bytes`.
/// `expected` is the size the reader announced: reading into a buffer of that
/// size, rather than one doubled as it fills, keeps a large document's text
/// at its own size in memory.
fn read_at_most(
    reader: impl Read,
    max_bytes: u64,
    expected: u64,
) -> std::io::Result<Option<Vec<u8>>> {
    let capacity = expected.min(max_bytes.saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max_bytes).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_sources_split_at_the_last_colon() {
        assert_eq!(
            Source::parse("git:HEAD~1:openapi/invitations.yaml"),
            Source::Git {
                rev: "HEAD~1".into(),
                path: "openapi/invitations.yaml".into()
            }
        );
        assert_eq!(Source::parse("spec.yaml"), Source::File("spec.yaml".into()));
        assert_eq!(
            Source::parse("git:nopath"),
            Source::File("git:nopath".into())
        );
    }
}
