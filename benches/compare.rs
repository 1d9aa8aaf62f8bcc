//! Comparator benchmark: traces per second on the oracle's logs, against pm4py's alignment
//! time on the same logs (with identical costs checked), plus a long session against large
//! any-order groups and the XES reader's throughput on a real log.
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

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use shadowmap::compare::xes::{self, XesTrace};
use shadowmap::compare::{
    Comparison, Model, ObservedStep, compare_with_model, load_pathway_json, pathway_from_json_str,
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
        let k = (len as f64).sqrt().ceil() as usize;
        let bytes = model.n_states() * ((len / k + 1) * 4 + k * 2 + 8);
        println!(
            "long session: {len} steps, 40-step pathway, 2 groups of {size} ({} states): {:.0} ms, cost {}, alignment memory ~{:.1} MB",
            model.n_states(),
            secs * 1000.0,
            c.cost,
            bytes as f64 / 1e6
        );
    }

    // The XES reader on the largest real log, when it is there.
    let bpic = [
        "../shared/data/real-logs",
        "../../shared/data/real-logs",
        "/work/shared/data/real-logs",
    ]
    .iter()
    .map(|d| Path::new(d).join("bpic2012.xes.gz"))
    .find(|p| p.is_file());
    if let Some(path) = bpic {
        let start = Instant::now();
        let (mut traces, mut events) = (0usize, 0usize);
        for t in xes::open(&path).unwrap() {
            let t = t.unwrap();
            traces += 1;
            events += t.events.len();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "XES read bpic2012.xes.gz (3.3 MB gz, streaming): {traces} traces, {events} kept events in {:.0} ms ({:.0} traces/s)",
            secs * 1000.0,
            traces as f64 / secs
        );
    }
}
