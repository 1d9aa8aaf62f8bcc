// SCAFFOLD: replaced by the issue that builds `replay`.
use std::path::PathBuf;

pub fn run(_data_dir: Option<PathBuf>, _args: crate::ReplayArgs) -> color_eyre::Result<()> {
    Err(color_eyre::eyre::eyre!("`replay` is not built yet"))
}
