//! The corpus's own target directory. The copy's package hashes do not
//! depend on its path, so a build of an edited document in the repository's
//! `target/` would overwrite this crate's artifacts there, and cargo would
//! take them for fresh: the next `cargo test` of the unchanged repository
//! would fail against the edited contract. A target of its own cannot be
//! poisoned, whatever stops the corpus (Ctrl-C included).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run::Failure;

/// The workspace's own packages: never seeded, the copy builds them itself.
const OWN: &[&str] = &[
    "linkedin_invitations",
    "linkedin-invitations",
    "linkedin_invitations_emulator",
    "linkedin_invitations_cli",
    "linkedin_invitations_quickstart",
    "quickstart",
    "contract_diff",
    "contract-diff",
    "xtask",
];

/// `given`, else `<repository target>/corpus`; never the repository's own.
pub fn choose(given: Option<PathBuf>, repository: &Path) -> Result<PathBuf, Failure> {
    let absolute = |path: &Path| {
        std::path::absolute(path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
    };
    let repository = absolute(repository)?;
    let target = match given {
        Some(given) => absolute(&given)?,
        None => repository.join("corpus"),
    };
    if target == repository {
        return Err(Failure::usage(format!(
            "--target-dir {} is the repository's own target directory: the edited copies \
             would overwrite its artifacts of this crate; give the corpus a directory of its own",
            target.display()
        )));
    }
    Ok(target)
}

/// Seeds an empty `target` with a copy of the repository's compiled
/// dependencies (not links: a rebuild there must not write through), so
/// that only the workspace's packages compile on the first run.
pub fn seed(target: &Path, repository: &Path) -> Result<(), Failure> {
    let (from, to) = (repository.join("debug"), target.join("debug"));
    if to.join(".fingerprint").exists() || !from.join(".fingerprint").exists() {
        return Ok(());
    }
    eprintln!(
        "corpus: first run: copying the compiled dependencies of {} into {} (once)",
        from.display(),
        to.display()
    );
    std::fs::create_dir_all(&to)
        .map_err(|e| Failure::usage(format!("cannot create {}: {e}", to.display())))?;
    for dir in [".fingerprint", "build", "deps"] {
        // `cp -a` keeps the times cargo's freshness reads.
        let copied = Command::new("cp")
            .args(["-a", "--reflink=auto"])
            .arg(from.join(dir))
            .arg(&to)
            .status()
            .map_err(|e| Failure::usage(format!("cannot run cp: {e}")))?;
        if !copied.success() {
            return Err(Failure::usage(format!(
                "cannot copy {}",
                from.join(dir).display()
            )));
        }
        forget_own(&to.join(dir))?;
    }
    Ok(())
}

/// Removes the copied artifacts of the workspace's own packages.
fn forget_own(dir: &Path) -> Result<(), Failure> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Failure::usage(format!("{}: {e}", dir.display())))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let bare = name.strip_prefix("lib").unwrap_or(&name);
        if OWN
            .iter()
            .any(|own| bare.starts_with(&format!("{own}-")) || bare.starts_with(&format!("{own}.")))
        {
            let path = entry.path();
            let removed = match path.is_dir() {
                true => std::fs::remove_dir_all(&path),
                false => std::fs::remove_file(&path),
            };
            removed
                .map_err(|e| Failure::usage(format!("cannot remove {}: {e}", path.display())))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_never_builds_in_the_repository_target() {
        let repository = std::env::temp_dir().join("corpus-target-test/target");
        let default = choose(None, &repository).unwrap();
        assert_ne!(default, repository);
        assert!(default.starts_with(&repository), "{}", default.display());
        assert!(choose(Some(repository.clone()), &repository).is_err());
        let elsewhere = std::env::temp_dir().join("elsewhere");
        assert_eq!(
            choose(Some(elsewhere.clone()), &repository).unwrap(),
            elsewhere
        );
    }

    #[test]
    fn the_seed_keeps_dependencies_and_drops_the_workspace_packages() {
        let root = std::env::temp_dir().join(format!("corpus-seed-{}", std::process::id()));
        let (repository, target) = (root.join("repo"), root.join("corpus"));
        for (dir, file) in [
            ("deps", "libserde-1a2b.rlib"),
            ("deps", "liblinkedin_invitations-3c4d.rlib"),
            ("deps", "contract_diff-5e6f.d"),
            ("build", "linkedin-invitations-7a8b/out/generated.rs"),
            ("build", "serde-9c0d/out/private.rs"),
            (".fingerprint", "xtask-1f2e/lib-xtask"),
        ] {
            let path = repository.join("debug").join(dir).join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        seed(&target, &repository).unwrap();
        let has = |path: &str| target.join("debug").join(path).exists();
        assert!(has("deps/libserde-1a2b.rlib") && has("build/serde-9c0d/out/private.rs"));
        assert!(!has("deps/liblinkedin_invitations-3c4d.rlib"));
        assert!(!has("deps/contract_diff-5e6f.d"));
        assert!(!has("build/linkedin-invitations-7a8b"));
        assert!(!has(".fingerprint/xtask-1f2e"));
        // The repository's own files stay.
        assert!(repository
            .join("debug/build/linkedin-invitations-7a8b/out/generated.rs")
            .exists());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
