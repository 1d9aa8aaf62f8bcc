//! Writes the map's generated session sets (tests/map_support/generate.rs) as session files,
//! one folder per set, for `scripts/map-dfg-pm4py.sh`.
//!
//! `cargo run --example map_sets -- OUT_DIR`

#[path = "../tests/map_support/generate.rs"]
mod generate;

fn main() {
    let out = std::env::args()
        .nth(1)
        .expect("usage: map_sets OUT_DIR (a folder to write the sets into)");
    for (name, pathway, seed, n) in generate::SETS {
        let dir = std::path::Path::new(&out).join(name);
        std::fs::create_dir_all(&dir).expect("creating the set's folder");
        for session in generate::generate(pathway, *seed, *n) {
            let path = dir.join(format!("{}.ron", session.header.id));
            std::fs::write(&path, session.to_ron()).expect("writing a session");
        }
        println!("{}", dir.display());
    }
}
