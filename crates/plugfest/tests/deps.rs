//! The dependency table (DESIGN §2): reads `cargo metadata` and fails on any edge between our
//! crates — normal, dev or build — that the table does not allow. No harness crate may depend on
//! `plugfest-reference`: the harness talks to the reference over the wire, like to any vendor.

use std::path::PathBuf;
use std::process::Command;

/// DESIGN §2 "Allowed dependencies": each of our crates and the crates of ours it may depend on.
/// `None` means "every crate of ours" (the binary).
const ALLOWED: &[(&str, Option<&[&str]>)] = &[
    ("plugfest", None),
    (
        "plugfest-steps",
        Some(&[
            "plugfest-core",
            "plugfest-http",
            "plugfest-lti",
            "plugfest-roster",
            "plugfest-packages",
        ]),
    ),
    ("plugfest-report", Some(&["plugfest-core"])),
    ("plugfest-lti", Some(&["plugfest-core", "plugfest-http"])),
    ("plugfest-roster", Some(&["plugfest-core", "plugfest-http"])),
    ("plugfest-packages", Some(&["plugfest-core"])),
    ("plugfest-http", Some(&["plugfest-core"])),
    ("plugfest-core", Some(&[])),
    // Written from the specifications: third-party crates only.
    ("plugfest-reference", Some(&[])),
];

/// The reference vendor, which only the binary may link.
const REFERENCE: &str = "plugfest-reference";
/// The binary crate.
const BINARY: &str = "plugfest";

/// One declared dependency between two of our crates.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edge {
    from: String,
    to: String,
    /// `normal`, `dev` or `build`.
    kind: String,
}

impl std::fmt::Display for Edge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} -> {} ({})", self.from, self.to, self.kind)
    }
}

fn ours(name: &str) -> bool {
    name == BINARY || name.starts_with("plugfest-")
}

/// Every edge the table does not allow, as a message naming it.
fn violations(edges: &[Edge]) -> Vec<String> {
    let mut out = Vec::new();
    for e in edges {
        if e.to == REFERENCE && e.from != BINARY {
            out.push(format!(
                "{e}: no harness crate may depend on {REFERENCE} (only the binary `{BINARY}` starts it); talk to it over the wire"
            ));
            continue;
        }
        if e.from == e.to {
            out.push(format!("{e}: a crate depends on itself"));
            continue;
        }
        match ALLOWED.iter().find(|(name, _)| *name == e.from) {
            None => out.push(format!(
                "{e}: `{}` is not in the dependency table of DESIGN §2 (add it there first)",
                e.from
            )),
            Some((_, None)) => {
                if !ALLOWED.iter().any(|(name, _)| *name == e.to) {
                    out.push(format!(
                        "{e}: `{}` is not in the dependency table of DESIGN §2 (add it there first)",
                        e.to
                    ));
                }
            }
            Some((_, Some(allowed))) => {
                if !allowed.contains(&e.to.as_str()) {
                    let may = if allowed.is_empty() {
                        "third-party crates only".to_string()
                    } else {
                        allowed.join(", ")
                    };
                    out.push(format!(
                        "{e}: not allowed by DESIGN §2 ({} may depend on: {may})",
                        e.from
                    ));
                }
            }
        }
    }
    out
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Our workspace packages and every declared edge between our crates, from `cargo metadata`.
fn workspace_edges() -> (Vec<String>, Vec<Edge>) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // `--no-deps`: the declared dependencies of each workspace package (all kinds) are all we
    // need, and it needs no registry resolution.
    let out = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(workspace_root())
        .output()
        .unwrap_or_else(|e| panic!("running `{cargo} metadata`: {e}"));
    assert!(
        out.status.success(),
        "`cargo metadata` failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .expect("workspace_members")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let mut names = Vec::new();
    let mut edges = Vec::new();
    for pkg in meta["packages"].as_array().expect("packages") {
        let id = pkg["id"].as_str().unwrap_or_default();
        let name = pkg["name"].as_str().expect("package name");
        if !members.contains(&id) || !ours(name) {
            continue;
        }
        names.push(name.to_string());
        for dep in pkg["dependencies"].as_array().expect("dependencies") {
            // `name` is the package name even when the dependency is renamed.
            let to = dep["name"].as_str().expect("dependency name");
            if !ours(to) {
                continue;
            }
            edges.push(Edge {
                from: name.to_string(),
                to: to.to_string(),
                kind: dep["kind"].as_str().unwrap_or("normal").to_string(),
            });
        }
    }
    (names, edges)
}

#[test]
fn crate_dependencies_follow_the_design_table() {
    let (names, edges) = workspace_edges();
    for expected in [
        BINARY,
        "plugfest-core",
        "plugfest-http",
        "plugfest-lti",
        "plugfest-steps",
        "plugfest-report",
        REFERENCE,
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "workspace package {expected} not found in cargo metadata (got {names:?})"
        );
    }
    let mut problems: Vec<String> = names
        .iter()
        .filter(|n| !ALLOWED.iter().any(|(a, _)| a == n))
        .map(|n| format!("workspace crate `{n}` is not in the dependency table of DESIGN §2"))
        .collect();
    problems.extend(violations(&edges));
    assert!(
        problems.is_empty(),
        "dependency edges not allowed by DESIGN §2:\n{}",
        problems.join("\n")
    );
    // The binary wires everything, so it has edges; an empty list means the reading is broken.
    assert!(
        edges.iter().any(|e| e.from == BINARY && e.to == REFERENCE),
        "expected the binary to depend on {REFERENCE}; edges read: {edges:?}"
    );
}

#[test]
fn only_the_binary_depends_on_the_reference() {
    let (_, edges) = workspace_edges();
    let bad: Vec<String> = edges
        .iter()
        .filter(|e| e.to == REFERENCE && e.from != BINARY)
        .map(Edge::to_string)
        .collect();
    assert!(
        bad.is_empty(),
        "harness crates depend on {REFERENCE}: {bad:?}"
    );
}

fn edge(from: &str, to: &str, kind: &str) -> Edge {
    Edge {
        from: from.into(),
        to: to.into(),
        kind: kind.into(),
    }
}

#[test]
fn the_checker_rejects_forbidden_edges() {
    let allowed = [
        edge("plugfest", "plugfest-reference", "normal"),
        edge("plugfest", "plugfest-steps", "normal"),
        edge("plugfest-steps", "plugfest-lti", "normal"),
        edge("plugfest-steps", "plugfest-packages", "normal"),
        edge("plugfest-lti", "plugfest-http", "normal"),
        edge("plugfest-roster", "plugfest-core", "dev"),
        edge("plugfest-http", "plugfest-core", "build"),
    ];
    assert_eq!(violations(&allowed), Vec::<String>::new());

    let forbidden = [
        edge("plugfest-core", "plugfest-http", "normal"),
        edge("plugfest-report", "plugfest-lti", "dev"),
        edge("plugfest-steps", "plugfest-reference", "dev"),
        edge("plugfest-lti", "plugfest-reference", "normal"),
        edge("plugfest-reference", "plugfest-core", "normal"),
        edge("plugfest-packages", "plugfest-http", "build"),
        edge("plugfest-http", "plugfest-lti", "dev"),
        edge("plugfest-lti", "plugfest-roster", "normal"),
        edge("plugfest-newcrate", "plugfest-core", "normal"),
        edge("plugfest", "plugfest-newcrate", "normal"),
    ];
    for e in &forbidden {
        let v = violations(std::slice::from_ref(e));
        assert_eq!(v.len(), 1, "{e} should be rejected once, got {v:?}");
        assert!(
            v[0].contains(&e.to_string()),
            "the message names the edge: {}",
            v[0]
        );
    }
    let v = violations(&[allowed.to_vec(), forbidden.to_vec()].concat());
    assert_eq!(v.len(), forbidden.len(), "{v:#?}");
}
