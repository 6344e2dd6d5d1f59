//! Files known by what they are, not by how a path spells them: through
//! `..`, a symbolic link or a hard link, one file is one file.

use std::path::{Path, PathBuf};

/// Whether `a` and `b` name the same file. Both existing: compared by
/// identity (device and inode, or the Windows file index). Otherwise by
/// where they would be created: the canonical parent and the file name.
pub fn same(a: &Path, b: &Path) -> bool {
    match same_file::is_same_file(a, b) {
        Ok(same) => same,
        Err(_) => matches!((resolved(a), resolved(b)), (Some(a), Some(b)) if a == b),
    }
}

/// The canonical path of `path`, or of its parent joined with its name when
/// the file does not exist yet.
pub fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(path) = std::fs::canonicalize(path) {
        return Some(path);
    }
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
}

/// Refuses an output that is one of `others` (named by what they are, e.g.
/// `journal`): writing it would destroy what the run reads.
pub fn refuse_overwrite(output: &Path, others: &[(&str, Option<&Path>)]) -> Result<(), String> {
    for (what, other) in others {
        if let Some(other) = other.filter(|other| same(output, other)) {
            return Err(format!(
                "--output {} is the {what} ({}): the results would overwrite it; write them \
                 elsewhere",
                output.display(),
                other.display()
            ));
        }
    }
    Ok(())
}
