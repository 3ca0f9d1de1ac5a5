//! Embeds the project's OneRoster JSON Schemas (`schemas/json/oneroster/{v1p1,v1p2}/*.schema.json`)
//! so the binary validates without the source tree.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/json/oneroster");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut out = String::from(
        "/// `(version, entity, text)` of every embedded schema.\npub static FILES: &[(&str, &str, &str)] = &[\n",
    );
    for version in ["v1p1", "v1p2"] {
        let dir = root.join(version);
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for path in files {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if let Some(stem) = name.strip_suffix(".schema.json") {
                println!("cargo:rerun-if-changed={}", path.display());
                let _ = writeln!(
                    out,
                    "    ({version:?}, {stem:?}, include_str!({:?})),",
                    path.canonicalize()
                        .unwrap_or(path.clone())
                        .display()
                        .to_string()
                );
            }
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("embedded_schemas.rs");
    std::fs::write(dest, out).expect("write embedded_schemas.rs");
}
