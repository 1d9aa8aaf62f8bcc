//! `time_slice_kappa` against scikit-learn's `cohen_kappa_score` (`docs/agreement.md`): the fixture holds
//! the slice labels of the sample pairs and seeded synthetic label sets, with the kappa
//! scikit-learn gave for each. `scripts/regen-kappa-fixture.sh` regenerates it.

use std::path::Path;

use serde_json::Value;
use shadowmap::agree::{self, Options, stats};
use shadowmap::model::Session;

fn fixture() -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agree-kappa.json"),
    )
    .expect("the kappa fixture");
    serde_json::from_str(&text).expect("the kappa fixture is JSON")
}

fn unrle(runs: &Value) -> Vec<String> {
    let mut labels = Vec::new();
    for run in runs.as_array().unwrap() {
        let label = run[0].as_str().unwrap();
        for _ in 0..run[1].as_u64().unwrap() {
            labels.push(label.to_string());
        }
    }
    labels
}

fn load(path: &str) -> Session {
    Session::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn slice_kappa_of_the_sample_pairs_equals_scikit_learn() {
    let fixture = fixture();
    let pairs = fixture["session_pairs"].as_array().unwrap();
    assert!(pairs.len() >= 4);
    for pair in pairs {
        let name = pair["name"].as_str().unwrap();
        let a = load(pair["a_file"].as_str().unwrap());
        let b = load(pair["b_file"].as_str().unwrap());
        let options = Options {
            shift_b_secs: pair["shift_b_secs"].as_f64().unwrap(),
            ..Options::default()
        };
        // The labels are still the ones scikit-learn saw...
        let labels = agree::slice_labels(&a, &b, &options).unwrap();
        assert_eq!(
            labels.a,
            unrle(&pair["labels_a"]),
            "{name}: A's labels changed"
        );
        assert_eq!(
            labels.b,
            unrle(&pair["labels_b"]),
            "{name}: B's labels changed"
        );
        // ... and the figure equals scikit-learn's kappa.
        let expected = pair["kappa"].as_f64().unwrap();
        let ours = agree::agree(&a, &b, &options).unwrap().time_slice_kappa;
        assert!(
            (ours - expected).abs() < 1e-9,
            "{name}: ours {ours}, scikit-learn {expected}"
        );
    }
}

#[test]
fn kappa_of_synthetic_label_sets_equals_scikit_learn() {
    let fixture = fixture();
    let sets = fixture["label_sets"].as_array().unwrap();
    assert!(sets.len() >= 4);
    for set in sets {
        let names: Vec<&str> = set["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let labels = |key: &str| -> Vec<&str> {
            set[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| names[i.as_u64().unwrap() as usize])
                .collect()
        };
        let expected = set["kappa"].as_f64().unwrap();
        let ours = stats::cohen_kappa(&labels("a"), &labels("b")).unwrap();
        assert!(
            (ours - expected).abs() < 1e-9,
            "{}: ours {ours}, scikit-learn {expected}",
            set["name"]
        );
    }
}
