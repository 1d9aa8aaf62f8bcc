//! The terminal's panic hook runs in front of the hook installed before it (color-eyre's
//! report in the program), never instead of it. Its own test binary: panic hooks are global.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[test]
fn the_restoring_hook_chains_to_the_previous_one() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&calls);
    std::panic::set_hook(Box::new(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
    }));
    shadowmap::tui::terminal::install_panic_hook();
    // Installing twice does not chain twice.
    shadowmap::tui::terminal::install_panic_hook();
    let result = std::panic::catch_unwind(|| panic!("boom"));
    assert!(result.is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let _ = std::panic::take_hook();
}
