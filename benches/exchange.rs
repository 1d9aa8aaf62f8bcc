//! Exchange benchmark: the Parquet export of 10,000 generated sessions (the report bench's
//! sessions, about 300 events each) through the same engine `export --format parquet` uses,
//! with its wall time and peak memory (VmHWM); then, when DuckDB's Python package is found
//! (`DUCKDB_PYTHON`, else `.venv-duckdb/bin/python`), the docs/sql/ step-figure query over
//! the written tables, timed by DuckDB.
//!
//! `cargo bench --bench exchange` (EXCHANGE_BENCH_SESSIONS=N for another count).
//! Targets: the export under 5 s and under 200 MB on a 2-core machine.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use shadowmap::exchange::parquet::Tables;
use shadowmap::report::{ReportOptions, for_each_digested};
use shadowmap::testing::vm_hwm_kb;

fn main() {
    let n: usize = std::env::var("EXCHANGE_BENCH_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut rng = fastrand::Rng::with_seed(20261125);
    let mut files: Vec<PathBuf> = Vec::with_capacity(n);
    let mut events = 0usize;
    for i in 0..n {
        let s = shadowmap::testing::random_session(&mut rng, i, 300);
        events += s.events.len();
        let path = dir.path().join(format!("{}.ron", s.header.id));
        std::fs::write(&path, s.to_ron()).expect("writing a session");
        files.push(path);
    }
    println!("generated {n} sessions, {events} events");

    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let out = dir.path().join("tables");
    std::fs::create_dir(&out).unwrap();
    let open =
        |name: &str| BufWriter::with_capacity(1 << 20, File::create(out.join(name)).unwrap());
    let t = Instant::now();
    let mut tables = Tables::new(
        open("sessions.parquet"),
        open("steps.parquet"),
        open("events.parquet"),
    )
    .unwrap();
    for_each_digested(&files, &ReportOptions::default(), |outcome| {
        tables
            .add(&outcome.expect("a generated session loads"))
            .unwrap();
    })
    .unwrap();
    let (a, b, c) = tables.finish().unwrap();
    for w in [a, b, c] {
        w.into_inner().unwrap().sync_all().unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    let size = |name: &str| std::fs::metadata(out.join(name)).map_or(0, |m| m.len()) as f64 / 1e6;
    println!(
        "parquet export of {n} sessions: {secs:.2} s ({:.0} sessions/s); sessions {:.1} MB, steps {:.1} MB, events {:.1} MB",
        n as f64 / secs,
        size("sessions.parquet"),
        size("steps.parquet"),
        size("events.parquet"),
    );
    match vm_hwm_kb() {
        Some(kb) => println!(
            "peak memory (VmHWM{}): {:.1} MB",
            if reset {
                ", export only"
            } else {
                ", whole run"
            },
            kb as f64 / 1024.0
        ),
        None => println!("peak memory: /proc/self/status not available"),
    }
    duckdb_query(&out);
}

/// Times docs/sql/step_figures.sql in DuckDB over the tables, when DuckDB is installed.
fn duckdb_query(tables: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var("DUCKDB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join(".venv-duckdb/bin/python"));
    if !python.exists() {
        println!(
            "duckdb: not installed (scripts/check-parquet-duckdb.sh makes .venv-duckdb; or set DUCKDB_PYTHON)"
        );
        return;
    }
    let script = r#"
import sys, time, duckdb
con = duckdb.connect()
con.execute(f"CREATE VIEW steps AS SELECT * FROM read_parquet('{sys.argv[1]}/steps.parquet')")
query = open(sys.argv[2]).read()
best = None
for _ in range(5):
    t = time.perf_counter()
    rows = con.execute(query).fetchall()
    e = time.perf_counter() - t
    best = e if best is None else min(best, e)
n = con.execute("SELECT COUNT(*) FROM steps").fetchone()[0]
print(f"duckdb {duckdb.__version__}: step_figures.sql over {n} step rows: {best * 1000:.0f} ms (best of 5), {len(rows)} result rows")
"#;
    let status = Command::new(python)
        .args(["-c", script])
        .arg(tables)
        .arg(root.join("docs/sql/step_figures.sql"))
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        println!("duckdb: the query did not run ({status:?})");
    }
}
