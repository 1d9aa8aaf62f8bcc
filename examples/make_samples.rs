//! Writes the sample sessions in `sample-sessions/`, from the scripts in
//! `shadowmap::testing::samples` (what each one plants is described there). Run it from the
//! repository root: `cargo run --example make_samples`. `tests/samples.rs` checks that the
//! committed files are exactly what the scripts build.

use std::path::Path;

use shadowmap::testing::samples::all_sessions;

fn main() {
    let dir = Path::new("sample-sessions");
    std::fs::create_dir_all(dir).expect("create sample-sessions/");
    for session in all_sessions() {
        let path = dir.join(format!("{}.ron", session.header.id));
        std::fs::write(&path, session.to_ron()).expect("write a sample session");
        println!(
            "{}: {} events, {}",
            path.display(),
            session.events.len(),
            session.header.pathway_id
        );
    }
}
