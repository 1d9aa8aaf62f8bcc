// SCAFFOLD: replaced by the issue that builds `browse`.
use std::path::PathBuf;

pub fn run(_data_dir: Option<PathBuf>) -> color_eyre::Result<()> {
    Err(color_eyre::eyre::eyre!("`browse` is not built yet"))
}
