//! One module per command: each turns parsed arguments into calls on the core and prints
//! the result. Errors carry their context (`wrap_err`) and leave the user's files alone.

pub mod agree;
pub mod browse;
pub mod bundle;
pub mod capture;
pub mod compare;
pub mod export;
pub mod keys;
pub mod load;
pub mod map;
pub mod output;
pub mod pathways;
pub mod plan;
pub mod replay;
pub mod report;
pub mod rounds;
pub mod sessions;
pub mod suggest;
pub mod tables;

/// `shadowmap sessions | head` closes standard output early: `print!` then panics with
/// "failed printing to stdout: Broken pipe". That is the reader's choice, not a crash: leave
/// quietly (exit 0, as other command-line tools do) instead of printing a panic report.
pub fn quiet_on_closed_pipe() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if is_closed_pipe_panic(message) {
            std::process::exit(0);
        }
        previous(info);
    }));
}

fn is_closed_pipe_panic(message: &str) -> bool {
    message.starts_with("failed printing to stdout") && message.contains("Broken pipe")
}

#[cfg(test)]
mod tests {
    use super::is_closed_pipe_panic;

    #[test]
    fn only_a_closed_stdout_is_quiet() {
        assert!(is_closed_pipe_panic(
            "failed printing to stdout: Broken pipe (os error 32)"
        ));
        assert!(!is_closed_pipe_panic(
            "failed printing to stdout: No space left on device (os error 28)"
        ));
        assert!(!is_closed_pipe_panic("index out of bounds"));
    }
}
