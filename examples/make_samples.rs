//! Writes the sample sessions in `sample-sessions/`, from the scripts in
//! `shadowmap::testing::samples` (what each one plants is described there). Run it from the
//! repository root: `cargo run --example make_samples`. `tests/samples.rs` checks that the
//! committed files are exactly what the scripts build. `sample-sessions/round-2/` is the
//! second audit round (`round_two_sessions`).

use std::path::Path;

use shadowmap::testing::samples::{
    HARBOR_PATHWAY, HARBOR_PATHWAY_FILE, all_sessions, harbor_sessions, round_two_sessions,
};

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
    // The second audit round, in its own folder (the report of `sample-sessions/` is not
    // recursive, so the first round's report is unchanged).
    let round_two = dir.join("round-2");
    std::fs::create_dir_all(&round_two).expect("create sample-sessions/round-2/");
    for session in round_two_sessions() {
        let path = round_two.join(format!("{}.ron", session.header.id));
        std::fs::write(&path, session.to_ron()).expect("write a sample session");
        println!("{}: {} events", path.display(), session.events.len());
    }
    // A site with its own vocabulary: its pathway file and its sessions, in their own folder.
    let harbor = dir.join("harbor");
    std::fs::create_dir_all(&harbor).expect("create sample-sessions/harbor/");
    std::fs::write(harbor.join(HARBOR_PATHWAY_FILE), HARBOR_PATHWAY).expect("write the pathway");
    for session in harbor_sessions() {
        let path = harbor.join(format!("{}.ron", session.header.id));
        std::fs::write(&path, session.to_ron()).expect("write a sample session");
        println!("{}: {} events", path.display(), session.events.len());
    }
}
