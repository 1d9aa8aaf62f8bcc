//! Map benchmark: the map of 10,000 realistic sessions (the report benchmark's generator, about
//! 300 events each) read from disk, with its JSON, SVG and text; and the layout of a 60-node
//! map. Prints wall time, CPU time and peak memory (VmHWM, reset before the map).
//!
//! `cargo bench --bench map` (MAP_BENCH_SESSIONS=N for another count).
//! Targets: the map of 10,000 sessions under 2 s and 100 MB; a 60-node layout under 50 ms.

use std::path::PathBuf;
use std::time::Instant;

use shadowmap::map::draw::{layout_of, shown, svg, text::text};
use shadowmap::map::load::{MapOptions, build_maps};
use shadowmap::map::{Trace, build_map};
use shadowmap::model::Pathway;
use shadowmap::testing::{cpu_secs, vm_hwm_kb};

/// A map with 60 nodes: a 44-step pathway (two any-order groups, optional and repeat steps)
/// and 14 unplanned steps, over 400 random sessions.
fn sixty_node_map() -> shadowmap::map::ShadowMap {
    let step = |i: usize, extra: &str| {
        format!(
            "Step(id: \"step-{i:02}\", label: \"Step number {i} of the long pathway\", expected_secs: 30, expected_clicks: 3{extra})"
        )
    };
    let mut parts = Vec::new();
    let mut i = 0;
    while i < 44 {
        if i == 10 || i == 30 {
            let members: Vec<String> = (i..i + 4).map(|k| step(k, "")).collect();
            parts.push(format!(
                "AnyOrder(id: \"group-{i}\", label: \"group\", steps: [{}])",
                members.join(", ")
            ));
            i += 4;
        } else {
            let extra = match i % 7 {
                3 => ", optional: true",
                5 => ", repeat: true",
                _ => "",
            };
            parts.push(step(i, extra));
            i += 1;
        }
    }
    let ron = format!(
        "Pathway(id: \"long\", version: 1, name: \"Long\", steps: [{}])",
        parts.join(", ")
    );
    let pathway = Pathway::from_ron_str(&ron, std::path::Path::new("long.ron")).unwrap();
    let planned: Vec<String> = pathway.all_steps().map(|s| s.id.clone()).collect();
    let mut rng = fastrand::Rng::with_seed(60);
    let traces: Vec<Trace> = (0..400)
        .map(|n| {
            let mut seq: Vec<String> = Vec::new();
            for id in &planned {
                if rng.u8(..10) == 0 {
                    continue;
                }
                seq.push(id.clone());
                if rng.u8(..12) == 0 {
                    seq.push(format!("unplanned-{:02}", rng.usize(..14)));
                }
            }
            for k in 1..seq.len() {
                if rng.u8(..15) == 0 {
                    seq.swap(k - 1, k);
                }
            }
            let refs: Vec<&str> = seq.iter().map(String::as_str).collect();
            Trace::bare(&format!("t{n}"), &refs)
        })
        .collect();
    build_map(&pathway, &traces)
}

fn main() {
    let n: usize = std::env::var("MAP_BENCH_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let t = Instant::now();
    let mut rng = fastrand::Rng::with_seed(20261125);
    let mut files: Vec<PathBuf> = Vec::with_capacity(n);
    let mut bytes = 0usize;
    for i in 0..n {
        let s = shadowmap::testing::random_session(&mut rng, i, 300);
        let text = s.to_ron();
        bytes += text.len();
        let path = dir.path().join(format!("{}.ron", s.header.id));
        std::fs::write(&path, text).expect("writing a session");
        files.push(path);
    }
    println!(
        "generated {n} sessions ({:.0} MB of RON) in {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let cpu_before = cpu_secs();
    let t = Instant::now();
    let set = build_maps(&files, &MapOptions::default()).expect("a map");
    let built = t.elapsed().as_secs_f64();
    let map = &set.maps[0];
    let t2 = Instant::now();
    let json = map.to_json();
    let drawing = svg::svg_document(map, 0.0);
    let page = svg::html_page(&set.maps, 0.0);
    let table = text(map, 0.0, 10);
    let rendered = t2.elapsed().as_secs_f64();
    let total = t.elapsed().as_secs_f64();
    let cpu = cpu_secs().zip(cpu_before).map(|(a, b)| a - b);
    assert_eq!(map.sessions as usize, n, "every session is on the map");
    println!(
        "map of {n} sessions: {total:.2} s ({built:.2} s read+map, {rendered:.3} s rendering json {} kB, svg {} kB, html {} kB, text {} kB); {} nodes, {} edges, {} variants",
        json.len() / 1000,
        drawing.len() / 1000,
        page.len() / 1000,
        table.len() / 1000,
        map.nodes.len(),
        map.edges.len(),
        map.variants.len()
    );
    if let Some(cpu) = cpu {
        println!(
            "CPU time: {cpu:.2} s on {} threads (load: {})",
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .trim()
        );
    }
    let peak_mb = vm_hwm_kb().map(|kb| kb as f64 / 1024.0);
    match peak_mb {
        Some(mb) => println!(
            "peak memory (VmHWM{}): {mb:.1} MB",
            if reset { ", reset before the map" } else { "" }
        ),
        None => println!("peak memory: /proc/self/status not available"),
    }

    let big = sixty_node_map();
    let all = shown(&big, 0.0);
    let runs = 50;
    let t = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(layout_of(&big, &all));
    }
    let layout_ms = t.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    let t = Instant::now();
    let big_svg = svg::svg_document(&big, 0.0);
    let svg_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "layout of a {}-node map ({} edges): {layout_ms:.2} ms (mean of {runs}); its whole SVG {svg_ms:.1} ms, {} kB",
        all.nodes.len(),
        all.edges.len(),
        big_svg.len() / 1000
    );
    println!(
        "targets: map < 2 s -> {}; < 100 MB -> {}; 60-node layout < 50 ms -> {}",
        if total < 2.0 { "met" } else { "MISSED" },
        if peak_mb.is_some_and(|mb| mb < 100.0) {
            "met"
        } else {
            "MISSED"
        },
        if layout_ms < 50.0 { "met" } else { "MISSED" }
    );
}
