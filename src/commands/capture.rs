// SCAFFOLD: replaced by the issue that builds `capture`.
use std::path::PathBuf;

pub fn run(_data_dir: Option<PathBuf>, _args: crate::CaptureArgs) -> color_eyre::Result<()> {
    Err(color_eyre::eyre::eyre!("`capture` is not built yet"))
}
