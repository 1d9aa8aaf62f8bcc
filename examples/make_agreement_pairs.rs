//! Writes `sample-sessions/agreement/` (or OUT_DIR), from the scripts in
//! `shadowmap::testing::agreement_pairs` (what each pair plants is described there).
//!
//!     cargo run --example make_agreement_pairs [-- OUT_DIR]

use std::path::PathBuf;

use shadowmap::testing::agreement_pairs::all_pairs;

fn main() -> std::io::Result<()> {
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("sample-sessions/agreement"));
    std::fs::create_dir_all(&out)?;
    for session in all_pairs() {
        let path = out.join(format!("{}.ron", session.header.id));
        std::fs::write(&path, session.to_ron())?;
        println!("{} ({} events)", path.display(), session.events.len());
    }
    Ok(())
}
