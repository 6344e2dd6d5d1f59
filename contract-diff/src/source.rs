//! Where a document comes from: a file, or a path at a git revision.

use std::path::PathBuf;
use std::process::Command;

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

    /// The document's text.
    pub fn read(&self) -> Result<String, LoadError> {
        let unreadable =
            |why: String| LoadError::new(self.display_name(), Problem::Unreadable(why));
        match self {
            Source::File(path) => {
                std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))
            }
            Source::Git { rev, path } => {
                let output = Command::new("git")
                    .arg("show")
                    .arg(format!("{rev}:{path}"))
                    .output()
                    .map_err(|e| unreadable(format!("cannot run git: {e}")))?;
                if !output.status.success() {
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    let first_line = stderr.lines().next().unwrap_or("git show failed").trim();
                    return Err(unreadable(format!("git show {rev}:{path}: {first_line}")));
                }
                String::from_utf8(output.stdout)
                    .map_err(|_| unreadable("not UTF-8 text".to_owned()))
            }
        }
    }
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
