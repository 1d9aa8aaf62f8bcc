//! Comparator benchmark: traces per second on the oracle's logs, against pm4py's alignment
//! time on the same logs (with identical costs checked), a long session against large any-order
//! groups, one 200-step trace against one group of each size up to the limit, and the whole
//! `compare --format json` run on the real and generated logs: wall time, peak memory, the XES
//! read alone next to `cat` (and `zcat`) of the file, distinct sequences, and r4pm's import +
//! align on the same traces when r4pm is installed (`scripts/r4pm-align.sh` makes its venv;
//! SHADOWMAP_R4PM_PYTHON names another Python with r4pm 0.6.2).
//!
//! `cargo bench --bench compare`. Logs:
//! - the committed fixtures tests/fixtures/oracle/*.xes (pm4py's alignment time was measured
//!   when `scripts/regen-oracle-fixtures.sh` scored them, and is stored in *.scores.json);
//! - `t1000-l60-s40` (1,000 traces of 60 events, 40-step pathway) and `t1000-l60-s40-2x5group`,
//!   generated under target/oracle-bench/ with the oracle's gen_log.py (standard-library Python)
//!   with the options of the oracle README's bench; pm4py scores the first once when its venv
//!   is found (about 100 s; cached in target/oracle-bench/, SHADOWMAP_BENCH_PM4PY=0 skips it);
//!   otherwise the oracle README's reference timings are printed.
//!
//! Environment: SHADOWMAP_ORACLE_DIR (the oracle scripts), SHADOWMAP_ORACLE_PYTHON (a Python
//! with pm4py).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use shadowmap::compare::engine::Engine;
use shadowmap::compare::xes::{self, XesTrace};
use shadowmap::compare::{
    Comparison, MAX_GROUP_MEMBERS, Model, ObservedStep, compare_with_model, load_pathway_json,
    pathway_from_json_str,
};
use shadowmap::model::Pathway;

fn find_dir(env: &str, candidates: &[&str], marker: &str) -> Option<PathBuf> {
    std::env::var_os(env)
        .map(PathBuf::from)
        .into_iter()
        .chain(candidates.iter().map(PathBuf::from))
        .find(|d| d.join(marker).exists())
}

fn oracle_dir() -> Option<PathBuf> {
    find_dir(
        "SHADOWMAP_ORACLE_DIR",
        &[
            "../shared/oracle",
            "../../shared/oracle",
            "/work/shared/oracle",
        ],
        "gen_log.py",
    )
}

fn oracle_python() -> Option<PathBuf> {
    std::env::var_os("SHADOWMAP_ORACLE_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            [
                ".venv-oracle/bin/python",
                "../main/.venv-oracle/bin/python",
                "/work/main/.venv-oracle/bin/python",
            ]
            .iter()
            .map(PathBuf::from),
        )
        .find(|p| p.is_file())
}

struct Run {
    secs: f64,
    costs: Vec<u32>,
}

/// Compares every trace; the best of `reps` runs.
fn run(traces: &[(String, Vec<ObservedStep>)], pathway: &Pathway, reps: usize) -> Run {
    let mut best = f64::INFINITY;
    let mut costs = Vec::new();
    for _ in 0..reps {
        let start = Instant::now();
        let model = Model::compile(pathway).expect("bench pathways compile");
        let out: Vec<Comparison> = traces
            .iter()
            .map(|(case, observed)| compare_with_model(case, observed, pathway, &model))
            .collect();
        best = best.min(start.elapsed().as_secs_f64());
        costs = out.iter().map(|c| c.cost).collect();
    }
    Run { secs: best, costs }
}

fn load(xes_path: &Path) -> Vec<(String, Vec<ObservedStep>)> {
    xes::read_all(xes_path)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|t: XesTrace| (t.case_id.clone(), t.observed()))
        .collect()
}

/// pm4py's per-trace costs and alignment seconds from a scores file.
fn pm4py_scores(path: &Path) -> Option<(Vec<u32>, f64)> {
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let costs = doc["traces"]
        .as_array()?
        .iter()
        .map(|t| t["cost"].as_u64().map(|c| c as u32))
        .collect::<Option<Vec<_>>>()?;
    let secs = doc["alignments_s"]
        .as_f64()
        .or_else(|| doc["timing_s"]["alignments"].as_f64())?;
    Some((costs, secs))
}

fn report(
    name: &str,
    traces: usize,
    events: usize,
    ours: &Run,
    pm4py: Option<(Vec<u32>, f64)>,
    reference: Option<f64>,
) {
    let per_sec = traces as f64 / ours.secs;
    print!(
        "{name:<28} {traces:>5} traces {events:>6} events  {:>9.1} ms  {:>9.0} traces/s",
        ours.secs * 1000.0,
        per_sec
    );
    match (pm4py, reference) {
        (Some((costs, secs)), _) => {
            let same = costs == ours.costs;
            print!(
                "  pm4py {secs:>7.2} s  speedup {:>7.0}x  costs {}",
                secs / ours.secs,
                if same { "identical" } else { "DIFFER" }
            );
            assert!(same, "{name}: costs differ from pm4py's");
        }
        (None, Some(secs)) => print!(
            "  pm4py (oracle README) {secs:>6.1} s  speedup {:>7.0}x",
            secs / ours.secs
        ),
        (None, None) => {}
    }
    println!();
}

/// Generates (once) a bench log with gen_log.py and, when pm4py is there, scores it (once).
fn bench_log(name: &str, options: &[&str], score: bool) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let dir = PathBuf::from("target/oracle-bench");
    std::fs::create_dir_all(&dir).ok()?;
    let prefix = dir.join(name);
    let xes_path = prefix.with_extension("xes");
    let pathway_path = dir.join(format!("{name}.pathway.json"));
    let scores_path = dir.join(format!("{name}.scores.json"));
    if !xes_path.is_file() || !pathway_path.is_file() {
        let oracle = oracle_dir()?;
        let python = oracle_python().unwrap_or_else(|| PathBuf::from("python3"));
        let status = Command::new(python)
            .arg(oracle.join("gen_log.py"))
            .arg(&prefix)
            .args(options)
            .stdout(std::process::Stdio::null())
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
    }
    let cached = std::fs::metadata(&scores_path).is_ok_and(|m| m.len() > 0);
    let wanted = std::env::var("SHADOWMAP_BENCH_PM4PY").map_or(true, |v| v != "0");
    if score
        && !cached
        && wanted
        && let (Some(oracle), Some(python)) = (oracle_dir(), oracle_python())
    {
        eprintln!(
            "scoring {name} with pm4py (once; cached in {})...",
            scores_path.display()
        );
        let out = Command::new(python)
            .arg(oracle.join("pm4py_fitness.py"))
            .arg(&xes_path)
            .arg(&pathway_path)
            .args(["--no-tbr", "--no-moves"])
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        if out.status.success() {
            std::fs::write(&scores_path, &out.stdout).ok()?;
        }
    }
    Some((xes_path, pathway_path, scores_path))
}

/// A pathway of `steps` steps with `groups` any-order groups of `size` members, some repeat
/// and optional, and a trace of `len` events drawn from its ids and unknown ones.
fn synthetic(
    steps: usize,
    groups: usize,
    size: usize,
    len: usize,
    seed: u64,
) -> (Pathway, Vec<ObservedStep>) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut elements = Vec::new();
    let mut k = 0;
    let mut ids = Vec::new();
    let step = |id: &str, r: u64| {
        format!(
            r#"{{"id":"{id}","optional":{},"repeat":{}}}"#,
            r.is_multiple_of(5),
            r.is_multiple_of(3)
        )
    };
    let mut g = 0;
    while k < steps {
        if g < groups && k % (steps / groups.max(1)).max(1) == 0 {
            let members: Vec<String> = (0..size)
                .map(|i| {
                    let id = format!("s{:03}", k + i);
                    ids.push(id.clone());
                    step(&id, rng.u64(..))
                })
                .collect();
            elements.push(format!(
                r#"{{"group":"g{g}","steps":[{}]}}"#,
                members.join(",")
            ));
            k += size;
            g += 1;
        } else {
            let id = format!("s{k:03}");
            ids.push(id.clone());
            elements.push(step(&id, rng.u64(..)));
            k += 1;
        }
    }
    let pathway = pathway_from_json_str(
        &format!(r#"{{"steps":[{}]}}"#, elements.join(",")),
        Path::new("synthetic.json"),
    )
    .unwrap();
    let observed = (0..len)
        .map(|i| {
            let r = rng.u64(..);
            let id = if r.is_multiple_of(10) {
                format!("x{:02}", r % 7)
            } else {
                ids[(i * ids.len() / len + (r as usize % 5)) % ids.len()].clone()
            };
            ObservedStep {
                step: id,
                event: Some(i as u64 + 1),
                at_ms: Some(i as u64 * 30_000),
                label: None,
            }
        })
        .collect();
    (pathway, observed)
}

#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
fn main() {
    // SHADOWMAP_BENCH_ONLY=groups|read|whole runs one section.
    match std::env::var("SHADOWMAP_BENCH_ONLY").as_deref() {
        Ok("groups") => return any_order_groups(),
        Ok("whole") => return whole_runs(),
        Ok("read") => return read_section(),
        _ => {}
    }
    println!("compare bench (best of 3; pm4py = its `alignments` time, default A* variant)");

    // The committed oracle fixtures.
    let dir = Path::new("tests/fixtures/oracle");
    for name in [
        "sequential",
        "optional",
        "groups",
        "repeat",
        "mixed",
        "big-group",
        "short",
    ] {
        let pathway = load_pathway_json(&dir.join(format!("{name}.pathway.json"))).unwrap();
        let traces = load(&dir.join(format!("{name}.xes")));
        let events = traces.iter().map(|(_, o)| o.len()).sum();
        let ours = run(&traces, &pathway, 3);
        report(
            name,
            traces.len(),
            events,
            &ours,
            pm4py_scores(&dir.join(format!("{name}.scores.json"))),
            None,
        );
    }

    // The oracle README's bench logs (reference alignment seconds from its table, net model).
    // pm4py scores the first one itself (about 100 s, once); the group log (about 340 s) only
    // when its scores were put in target/oracle-bench/ by hand.
    for (name, options, reference, score) in [
        (
            "t1000-l60-s40",
            &[
                "--traces",
                "1000",
                "--steps",
                "40",
                "--target-len",
                "60",
                "--seed",
                "42",
            ][..],
            94.0,
            true,
        ),
        (
            "t1000-l60-s40-2x5group",
            &[
                "--traces",
                "1000",
                "--steps",
                "40",
                "--target-len",
                "60",
                "--groups",
                "2",
                "--group-size",
                "5",
                "--seed",
                "42",
            ][..],
            338.6,
            false,
        ),
    ] {
        let Some((xes_path, pathway_path, scores_path)) = bench_log(name, options, score) else {
            println!("{name}: no oracle generator found (SHADOWMAP_ORACLE_DIR): skipped");
            continue;
        };
        let pathway = load_pathway_json(&pathway_path).unwrap();
        let read = Instant::now();
        let traces = load(&xes_path);
        let read_secs = read.elapsed().as_secs_f64();
        let events = traces.iter().map(|(_, o)| o.len()).sum();
        let ours = run(&traces, &pathway, 3);
        report(
            name,
            traces.len(),
            events,
            &ours,
            pm4py_scores(&scores_path),
            Some(reference),
        );
        println!(
            "{:<28} XES read {:.0} ms; target < 1 s for the comparisons: {}",
            "",
            read_secs * 1000.0,
            if ours.secs < 1.0 { "met" } else { "NOT met" }
        );
    }

    // A long session against a pathway with two any-order groups of 10 (1,024 subset states each).
    for (len, size) in [(5_000usize, 10usize), (20_000, 8)] {
        let (pathway, observed) = synthetic(40, 2, size, len, 7);
        let model = Model::compile(&pathway).unwrap();
        let start = Instant::now();
        let c = compare_with_model("long", &observed, &pathway, &model);
        let secs = start.elapsed().as_secs_f64();
        let (_, bytes) = model.alignment_work(len);
        println!(
            "long session: {len} steps, 40-step pathway, 2 groups of {size} ({} states): {:.0} ms, cost {}, alignment memory ~{:.1} MB",
            model.n_states(),
            secs * 1000.0,
            c.cost,
            bytes as f64 / 1e6
        );
    }

    any_order_groups();
    read_section();
    whole_runs();
}

/// One 200-step trace against a pathway with one any-order group of each size up to the limit.
fn any_order_groups() {
    println!(
        "\nany-order groups: one 200-step trace against `start`, a group of k, `end` (best of 3)"
    );
    for size in 4..=MAX_GROUP_MEMBERS {
        let members: Vec<String> = (0..size)
            .map(|i| {
                format!(
                    r#"{{"id":"m{i}","optional":{},"repeat":{}}}"#,
                    i % 5 == 4,
                    i % 3 == 2
                )
            })
            .collect();
        let json = format!(
            r#"{{"steps":[{{"id":"start"}},{{"group":"g","steps":[{}]}},{{"id":"end"}}]}}"#,
            members.join(",")
        );
        let pathway = pathway_from_json_str(&json, Path::new("group.json")).unwrap();
        let mut generator = fastrand::Rng::with_seed(size as u64);
        let mut rng = move || generator.u64(..);
        // Members in a shuffled order with repeats and a few unknown steps, so that many
        // subsets stay open.
        let observed: Vec<ObservedStep> = (0..200)
            .map(|i| {
                let r = rng();
                let step = match i {
                    0 => "start".to_string(),
                    199 => "end".to_string(),
                    _ if r.is_multiple_of(11) => format!("x{}", r % 3),
                    _ => format!("m{}", r as usize % (size + 1)),
                };
                ObservedStep::bare(&step)
            })
            .collect();
        let engine = Engine::new(&pathway).unwrap().without_variant_cache();
        let mut best = f64::INFINITY;
        let mut cost = 0;
        for _ in 0..3 {
            let start = Instant::now();
            cost = engine.compare("t", &observed).unwrap().cost;
            best = best.min(start.elapsed().as_secs_f64());
        }
        let (_, bytes) = engine.model().alignment_work(observed.len());
        println!(
            "  group of {size:>2} ({:>6} states): {:>8.1} ms, cost {cost}, alignment memory ~{:.1} MB{}",
            engine.model().n_states(),
            best * 1000.0,
            bytes as f64 / 1e6,
            if size == MAX_GROUP_MEMBERS {
                if best < 1.0 {
                    "  (the limit; target < 1 s: met)"
                } else {
                    "  (the limit; target < 1 s: NOT met)"
                }
            } else {
                ""
            }
        );
    }
}

fn real_logs_dir() -> Option<PathBuf> {
    find_dir(
        "SHADOWMAP_REAL_LOGS",
        &[
            "../shared/data/real-logs",
            "../../shared/data/real-logs",
            "/work/shared/data/real-logs",
        ],
        "helpdesk.xes.gz",
    )
}

fn r4pm_python() -> Option<PathBuf> {
    std::env::var_os("SHADOWMAP_R4PM_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            [".venv-r4pm/bin/python", "/work/venvs/r4pm/bin/python"]
                .iter()
                .map(PathBuf::from),
        )
        .find(|p| p.is_file())
}

/// The log as shadowmap reads it (complete events, sorted) written as a plain XES file, so
/// that r4pm, which reads every event, aligns the same traces.
fn complete_only_copy(log: &Path, out: &Path) -> Vec<XesTrace> {
    use std::io::Write as _;
    let traces = xes::read_all(log).expect("the real logs read");
    if !out.is_file() {
        let escape = |s: &str| {
            s.replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        };
        let mut w = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
        writeln!(
            w,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1.0\">"
        )
        .unwrap();
        for t in &traces {
            writeln!(
                w,
                "<trace><string key=\"concept:name\" value=\"{}\"/>",
                escape(&t.case_id)
            )
            .unwrap();
            for e in &t.events {
                write!(
                    w,
                    "<event><string key=\"concept:name\" value=\"{}\"/>",
                    escape(&e.activity)
                )
                .unwrap();
                if let Some(us) = e.timestamp_us {
                    let at = chrono::DateTime::from_timestamp_micros(us).unwrap();
                    write!(
                        w,
                        "<date key=\"time:timestamp\" value=\"{}\"/>",
                        at.format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
                    )
                    .unwrap();
                }
                writeln!(w, "</event>").unwrap();
            }
            writeln!(w, "</trace>").unwrap();
        }
        writeln!(w, "</log>").unwrap();
    }
    traces
}

/// A pathway for a real log: the activities of its most frequent sequence in the order they
/// first occur, a step repeat when it occurs more than once there (the oracle's JSON).
fn pathway_of(traces: &[XesTrace], out: &Path) {
    let mut counts: std::collections::HashMap<Vec<&str>, usize> = Default::default();
    for t in traces {
        *counts.entry(t.activities()).or_default() += 1;
    }
    let (top, _) = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .unwrap();
    let mut steps: Vec<(&str, bool)> = Vec::new();
    for a in top {
        match steps.iter_mut().find(|(s, _)| *s == a) {
            Some(step) => step.1 = true,
            None => steps.push((a, false)),
        }
    }
    let steps: Vec<serde_json::Value> = steps
        .into_iter()
        .map(|(id, repeat)| serde_json::json!({"id": id, "repeat": repeat}))
        .collect();
    std::fs::write(out, serde_json::json!({ "steps": steps }).to_string()).unwrap();
}

/// One run of a command: wall seconds, CPU seconds (user + system, all threads) and peak
/// memory (MB), by `/usr/bin/time`.
fn timed_once(program: &Path, args: &[std::ffi::OsString]) -> Option<Run3> {
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%U %S %M"])
        .arg(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .output()
        .ok()?;
    let wall = start.elapsed().as_secs_f64();
    if !out.status.success() {
        eprintln!(
            "{}: {}",
            program.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let figures: Vec<f64> = stderr
        .lines()
        .last()?
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [user, system, kb] = figures[..] else {
        return None;
    };
    Some(Run3 {
        wall,
        cpu: user + system,
        peak_mb: kb / 1024.0,
    })
}

#[derive(Clone, Copy)]
struct Run3 {
    wall: f64,
    cpu: f64,
    peak_mb: f64,
}

impl Run3 {
    /// The best wall and CPU seen, the largest peak.
    fn best(self, other: Run3) -> Run3 {
        Run3 {
            wall: self.wall.min(other.wall),
            cpu: self.cpu.min(other.cpu),
            peak_mb: self.peak_mb.max(other.peak_mb),
        }
    }
}

fn best_of(runs: impl Iterator<Item = Option<Run3>>) -> Option<Run3> {
    runs.collect::<Option<Vec<_>>>()?
        .into_iter()
        .reduce(Run3::best)
}

/// How many times the read section runs each reader and program (the best run is kept: this
/// machine's noise is all upward).
const READ_RUNS: usize = 9;

/// How many interleaved runs the whole-run section makes of each command (the best is kept).
const WHOLE_RUNS: usize = 7;

/// The best of [`READ_RUNS`] runs of `read` (seconds).
fn best_secs(mut read: impl FnMut()) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..READ_RUNS {
        let start = Instant::now();
        read();
        best = best.min(start.elapsed().as_secs_f64());
    }
    best
}

/// The reader alone over a file: every trace read, nothing compared.
fn read_alone(path: &Path) -> f64 {
    best_secs(|| {
        let n: usize = xes::open(path)
            .unwrap()
            .map(|t| t.unwrap().events.len())
            .sum();
        std::hint::black_box(n);
    })
}

/// The reader it replaced (quick-xml's event reader, kept as the tests' oracle).
fn read_alone_before(path: &Path) -> f64 {
    best_secs(|| {
        let n: usize = xes::oracle::open(path)
            .unwrap()
            .map(|t| t.unwrap().events.len())
            .sum();
        std::hint::black_box(n);
    })
}

/// Inflating a gzipped file alone, as the reader does (zlib-rs through flate2), into a sink:
/// the floor of reading a `.gz` log. Returns the seconds and the inflated bytes.
fn inflate_alone(path: &Path) -> (f64, u64) {
    let mut bytes = 0;
    let secs = best_secs(|| {
        let file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path).unwrap());
        let mut gz = flate2::bufread::MultiGzDecoder::new(file);
        bytes = std::io::copy(&mut gz, &mut std::io::sink()).unwrap();
    });
    (secs, bytes)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The wall time of a program over a file, best of [`READ_RUNS`] (`cat`, `zcat`).
fn shell(program: &str, file: &Path) -> f64 {
    best_of((0..READ_RUNS).map(|_| timed_once(Path::new(program), &[file.into()])))
        .map_or(f64::NAN, |r| r.wall)
}

/// The XES read alone on every log next to `cat` (plain files) or the inflating alone and
/// `zcat` (gzipped ones), and the reader before this one.
fn read_section() {
    println!(
        "\nXES read alone (best of {READ_RUNS}; load average at the start: {}): MB = bytes parsed (inflated for .gz); target within 3x of cat for plain files",
        load_average()
    );
    println!(
        "  {:<30} {:>7} {:>9} {:>8} {:>9} {:>7} {:>9} {:>7} {:>9}",
        "log", "MB", "reader", "MB/s", "before", "cat", "reader/cat", "zcat", "inflate"
    );
    let ms = |s: f64| {
        if s.is_nan() {
            "-".into()
        } else {
            format!("{:.1} ms", s * 1000.0)
        }
    };
    for (name, original, copy, _) in bench_logs() {
        let files = if copy == original {
            vec![(name.clone(), original)]
        } else {
            vec![
                (name.clone(), original),
                (format!("{name} (complete-only copy)"), copy),
            ]
        };
        for (label, file) in files {
            let gz = file.extension().is_some_and(|x| x == "gz");
            let (inflate, bytes) = if gz {
                inflate_alone(&file)
            } else {
                (f64::NAN, std::fs::metadata(&file).unwrap().len())
            };
            let read = read_alone(&file);
            let before = read_alone_before(&file);
            let cat = shell("/bin/cat", &file);
            let zcat = if gz {
                shell("/bin/zcat", &file)
            } else {
                f64::NAN
            };
            let floor = if gz { inflate } else { cat };
            println!(
                "  {label:<30} {:>7.1} {:>9} {:>8.0} {:>9} {:>7} {:>9} {:>7} {:>9}",
                bytes as f64 / 1e6,
                ms(read),
                bytes as f64 / 1e6 / read,
                ms(before),
                ms(cat),
                format!("{:.1}x{}", read / floor, if gz { " (inflate)" } else { "" }),
                ms(zcat),
                ms(inflate),
            );
        }
    }
}

/// The logs of the whole-run and read sections: name, file, the complete-only copy r4pm reads
/// (the file itself for generated logs), pathway.
fn bench_logs() -> Vec<(String, PathBuf, PathBuf, PathBuf)> {
    let dir = PathBuf::from("target/compare-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let mut logs: Vec<(String, PathBuf, PathBuf, PathBuf)> = Vec::new();
    match real_logs_dir() {
        Some(real) => {
            for name in [
                "bpic2012.xes.gz",
                "helpdesk.xes.gz",
                "roadtraffic100traces.xes",
                "running-example.xes",
            ] {
                let original = real.join(name);
                let stem = name.split('.').next().unwrap();
                let copy = dir.join(format!("{stem}-complete.xes"));
                let pathway = dir.join(format!("{stem}.pathway.json"));
                let traces = complete_only_copy(&original, &copy);
                pathway_of(&traces, &pathway);
                logs.push((stem.to_string(), original, copy, pathway));
            }
        }
        None => {
            println!("\nthe real logs were not found (SHADOWMAP_REAL_LOGS): only generated logs");
        }
    }
    for (name, options) in [
        (
            "g300-groups",
            &[
                "--traces",
                "300",
                "--steps",
                "30",
                "--target-len",
                "40",
                "--groups",
                "2",
                "--group-size",
                "4",
                "--repeat-frac",
                "0.2",
                "--p-repeat",
                "0.2",
                "--optional-frac",
                "0.2",
                "--seed",
                "7",
            ][..],
        ),
        (
            "t1000-l60-s40",
            &[
                "--traces",
                "1000",
                "--steps",
                "40",
                "--target-len",
                "60",
                "--seed",
                "42",
            ][..],
        ),
    ] {
        if let Some((xes_path, pathway_path, _)) = bench_log(name, options, false) {
            logs.push((name.to_string(), xes_path.clone(), xes_path, pathway_path));
        }
    }
    logs
}

/// The whole `compare --format json` run of every log next to r4pm's import + align.
#[allow(clippy::too_many_lines)] // split when next changed
fn whole_runs() {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_shadowmap"));
    let logs = bench_logs();
    println!("\nload average at the start: {}", load_average());
    let r4pm = r4pm_python();
    println!(
        "\nwhole run: `shadowmap compare LOG --pathway P --format json > /dev/null`, best of {WHOLE_RUNS} runs interleaved with r4pm's (wall / CPU of all threads; peak memory by /usr/bin/time){}",
        if r4pm.is_none() {
            "; r4pm not found (scripts/r4pm-align.sh makes .venv-r4pm)"
        } else {
            ""
        }
    );
    let row = |cells: [&str; 10]| {
        println!(
            "  {:<14} {:>6} {:>8} {:>17} {:>7} {:>8} {:>6} {:>7} {:>17} {:>13}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
            cells[6],
            cells[7],
            cells[8],
            cells[9]
        );
    };
    row([
        "log",
        "traces",
        "distinct",
        "whole run",
        "peak MB",
        "XES read",
        "cat",
        "zcat",
        "r4pm (copy)",
        "r4pm/us",
    ]);
    let ms = |s: f64| {
        if s.is_nan() {
            "-".to_string()
        } else {
            format!("{:.0} ms", s * 1000.0)
        }
    };
    let pair = |r: Run3| format!("{:.0} / {:.0} ms", r.wall * 1000.0, r.cpu * 1000.0);
    for (name, original, copy, pathway) in logs {
        let traces = xes::read_all(&copy).unwrap();
        let pathway_doc = load_pathway_json(&pathway).unwrap();
        let engine = Engine::new(&pathway_doc).unwrap();
        let mut costs = 0u64;
        for t in &traces {
            costs += u64::from(engine.compare(&t.case_id, &t.observed()).unwrap().cost);
        }
        let args = |log: &Path| -> Vec<std::ffi::OsString> {
            vec![
                "compare".into(),
                log.into(),
                "--pathway".into(),
                pathway.clone().into(),
                "--format".into(),
                "json".into(),
            ]
        };
        let r4pm_once = |python: &Path, log: &Path| -> Option<(Run3, u64)> {
            let out = Command::new(python)
                .arg("scripts/r4pm_align.py")
                .arg(log)
                .arg(&pathway)
                .output()
                .ok()?;
            if !out.status.success() {
                eprintln!("r4pm on {name}: {}", String::from_utf8_lossy(&out.stderr));
                return None;
            }
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
            let run = Run3 {
                wall: doc["total_s"].as_f64()?,
                cpu: doc["cpu_s"].as_f64()?,
                peak_mb: 0.0,
            };
            Some((run, doc["total_cost"].as_u64()?))
        };
        let (mut ours, mut ours_copy, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
        let mut theirs_original = Vec::new();
        for _ in 0..WHOLE_RUNS {
            ours.push(timed_once(&binary, &args(&original)));
            if copy != original {
                ours_copy.push(timed_once(&binary, &args(&copy)));
            }
            if let Some(python) = &r4pm {
                theirs.push(r4pm_once(python, &copy));
                if copy != original {
                    theirs_original.push(r4pm_once(python, &original));
                }
            }
        }
        let Some(ours) = best_of(ours.into_iter()) else {
            continue;
        };
        let read = read_alone(&original);
        let cat = shell("/bin/cat", &original);
        let zcat = if original.extension().is_some_and(|x| x == "gz") {
            shell("/bin/zcat", &original)
        } else {
            f64::NAN
        };
        let theirs = theirs
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .and_then(|runs| {
                let cost = runs.first()?.1;
                let equal = runs.iter().all(|r| r.1 == cost);
                Some((
                    best_of(runs.into_iter().map(|(r, _)| Some(r)))?,
                    cost,
                    equal,
                ))
            });
        let ratio =
            |r: Run3, us: Run3| format!("{:.2}x / {:.2}x", r.wall / us.wall, r.cpu / us.cpu);
        let (r4pm_text, r4pm_ratio) = match theirs {
            Some((r, total_cost, equal)) => (
                pair(r),
                format!(
                    "{}{}",
                    ratio(r, ours),
                    if equal && total_cost == costs {
                        ""
                    } else {
                        " COSTS DIFFER"
                    }
                ),
            ),
            None => ("-".to_string(), "-".to_string()),
        };
        row([
            &name,
            &traces.len().to_string(),
            &engine.distinct_sequences().to_string(),
            &pair(ours),
            &format!("{:.1}", ours.peak_mb),
            &ms(read),
            &ms(cat),
            &ms(zcat),
            &r4pm_text,
            &r4pm_ratio,
        ]);
        if let Some(copy_run) = best_of(ours_copy.into_iter()) {
            let copy_ratio = theirs.map_or("-".to_string(), |(r, _, _)| ratio(r, copy_run));
            row([
                "  same copy",
                "",
                "",
                &pair(copy_run),
                &format!("{:.1}", copy_run.peak_mb),
                &ms(read_alone(&copy)),
                &ms(shell("/bin/cat", &copy)),
                "",
                "",
                &copy_ratio,
            ]);
        }
        // r4pm given the original file too: the same traces when it holds no events but
        // complete ones (r4pm has no lifecycle filter; the costs tell).
        let original_runs: Option<Vec<(Run3, u64)>> = theirs_original.into_iter().collect();
        if let Some(runs) = original_runs.filter(|runs| !runs.is_empty()) {
            let same = runs.iter().all(|r| r.1 == costs);
            let best = best_of(runs.into_iter().map(|(r, _)| Some(r)));
            if let Some(best) = best {
                row([
                    "  r4pm, original",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    &pair(best),
                    &if same {
                        ratio(best, ours)
                    } else {
                        "- (reads every lifecycle)".to_string()
                    },
                ]);
            }
        }
    }
    println!(
        "  distinct = distinct step sequences as the pathway sees them (steps outside it alike); XES read = the reader alone on the file, next to cat and zcat of it; r4pm = import + variant projection + align_variants inside Python (start-up excluded) on the complete-only copy of a real log; `same copy` = shadowmap on that copy; `r4pm, original` = r4pm given the original file, next to shadowmap's first row (compared only when it holds complete events alone, so that both align the same traces); r4pm/us > 1 means shadowmap is faster (wall / CPU); the total costs are checked equal."
    );
}
