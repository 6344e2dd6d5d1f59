//! The crate's version against the changes of its contract, as Cargo reads
//! semver: the one place the gate, the corpus and `regenerate` judge a version.

use std::path::Path;

use semver::Version;

use crate::run::Failure;

/// What the contract's changes ask of the version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// A compatible release (0.2.0 -> 0.2.1, 1.2.0 -> 1.3.0).
    Compatible,
    /// A breaking release (0.2 -> 0.3, 1.x -> 2.0).
    Breaking,
}

/// The verdict on `current` for changes since `released`, and the rule that gave it.
#[derive(Debug, PartialEq, Eq)]
pub struct Judgement {
    pub pass: bool,
    /// Which rule decided, in words (printed as the gate's reason).
    pub rule: String,
}

/// The part of a version Cargo's caret requirement keeps fixed: the major
/// number; for 0.x the minor one; for 0.0.x the patch.
fn breaking_part(version: &Version) -> (u64, u64, u64) {
    match (version.major, version.minor) {
        (0, 0) => (0, 0, version.patch),
        (0, minor) => (0, minor, 0),
        (major, _) => (major, 0, 0),
    }
}

/// Whether `current` may break users of `released`: a later version with
/// another breaking part. A version that goes backwards never is.
pub fn is_breaking_release(released: &Version, current: &Version) -> bool {
    current > released && breaking_part(current) > breaking_part(released)
}

/// The smallest version that may break users of `version`.
pub fn next_breaking(version: &Version) -> Version {
    match (version.major, version.minor) {
        (0, 0) => Version::new(0, 0, version.patch + 1),
        (0, minor) => Version::new(0, minor + 1, 0),
        (major, _) => Version::new(major + 1, 0, 0),
    }
}

/// The next compatible release of `version`.
pub fn next_compatible(version: &Version) -> Version {
    match (version.major, version.minor) {
        (0, 0) => Version::new(0, 0, version.patch + 1),
        (0, minor) => Version::new(0, minor, version.patch + 1),
        (major, minor) => Version::new(major, minor + 1, 0),
    }
}

/// Judges `current` (the manifest's) for changes that need `needs` since
/// `released`. A compatible change is said, not enforced: the version is
/// bumped when releasing.
pub fn judge(released: &Version, current: &Version, needs: Needs) -> Judgement {
    let fail = |rule: String| Judgement { pass: false, rule };
    let pass = |rule: String| Judgement { pass: true, rule };
    if current < released {
        return fail(format!(
            "a version never goes backwards: {current} is lower than the released {released}"
        ));
    }
    match needs {
        Needs::Breaking if is_breaking_release(released, current) => pass(format!(
            "a breaking change needs a breaking release: {current} is one over {released}"
        )),
        Needs::Breaking => fail(format!(
            "a breaking change needs a breaking release: {current} is not one over {released}, \
             make it {} or later",
            next_breaking(released)
        )),
        Needs::Compatible => pass(format!(
            "a compatible change needs a compatible release ({} or later) when releasing; \
             not enforced",
            next_compatible(released)
        )),
        Needs::Nothing => pass(format!("no change since {released}: nothing to do")),
    }
}

/// A version as written in a file or a manifest.
pub fn parse(text: &str, from: &Path) -> Result<Version, Failure> {
    Version::parse(text.trim()).map_err(|e| {
        Failure::usage(format!(
            "{} has no version like 1.2.3 (read `{}`: {e})",
            from.display(),
            text.trim()
        ))
    })
}

/// The `[package] version` of a Cargo manifest.
pub fn of_manifest(manifest: &Path) -> Result<Version, Failure> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", manifest.display())))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| Failure::usage(format!("{}: {e}", manifest.display())))?;
    let version = table
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(toml::Value::as_str)
        .ok_or_else(|| {
            Failure::usage(format!("{} has no [package] version", manifest.display()))
        })?;
    parse(version, manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn a_version_that_goes_backwards_is_no_breaking_release() {
        for (released, current) in [("0.2.0", "0.1.9"), ("2.0.0", "1.4.0"), ("0.2.1", "0.2.0")] {
            let judged = judge(&v(released), &v(current), Needs::Breaking);
            assert!(
                !judged.pass,
                "{released} -> {current} passed: {}",
                judged.rule
            );
            assert!(judged.rule.contains("backwards"), "{}", judged.rule);
            let judged = judge(&v(released), &v(current), Needs::Nothing);
            assert!(!judged.pass, "{released} -> {current} passed unchanged");
        }
    }

    #[test]
    fn a_breaking_change_needs_the_part_cargo_keeps_fixed_to_grow() {
        for (released, current, breaking) in [
            ("0.1.0", "0.2.0", true),
            ("0.2.0", "0.2.5", false),
            ("0.2.0", "1.0.0", true),
            ("1.4.0", "1.9.0", false),
            ("1.4.0", "2.0.0", true),
            ("0.0.3", "0.0.4", true),
            ("0.2.0", "0.3.0-alpha.1", true),
            ("0.2.0", "0.2.1-alpha.1", false),
        ] {
            assert_eq!(
                judge(&v(released), &v(current), Needs::Breaking).pass,
                breaking,
                "{released} -> {current}"
            );
        }
        assert_eq!(next_breaking(&v("0.2.0")), v("0.3.0"));
        assert_eq!(next_breaking(&v("1.4.2")), v("2.0.0"));
        assert_eq!(next_compatible(&v("0.2.0")), v("0.2.1"));
        assert_eq!(next_compatible(&v("1.4.2")), v("1.5.0"));
    }
}
