//! shadowmap has no network code at all (docs/reference.md section 8): no networking crate among the
//! binary's dependencies, and no socket in our own source.

use std::path::Path;
use std::process::Command;

/// Crates that speak a network protocol, open sockets, or exist to do TLS.
const NETWORKING: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "hyper-tls",
    "hyper-rustls",
    "h2",
    "h3",
    "quinn",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "minreq",
    "tiny_http",
    "rustls",
    "native-tls",
    "openssl",
    "openssl-sys",
    "tokio-net",
    "tokio-rustls",
    "tokio-native-tls",
    "tokio-tungstenite",
    "tungstenite",
    "websocket",
    "socket2",
    "async-std",
    "axum",
    "warp",
    "actix-web",
    "tonic",
    "lettre",
    "ssh2",
    "libssh2-sys",
    "trust-dns-resolver",
    "hickory-resolver",
    "smoltcp",
];

#[test]
fn no_networking_crate_in_the_dependency_tree() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(
        crates.contains(&"shadowmap") && crates.contains(&"ratatui"),
        "{tree}"
    );
    let found: Vec<&&str> = crates.iter().filter(|c| NETWORKING.contains(c)).collect();
    assert!(found.is_empty(), "networking crates in the tree: {found:?}");
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_socket_in_our_source() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 10, "the source was not found");
    let banned = [
        "std::net",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "ToSocketAddrs",
        "SocketAddr",
    ];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for word in banned {
            assert!(!text.contains(word), "{} uses {word}", file.display());
        }
    }
}
