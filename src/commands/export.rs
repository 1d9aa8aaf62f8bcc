// SCAFFOLD: replaced by the issue that builds `export`.
use std::path::PathBuf;

pub fn run(_data_dir: Option<PathBuf>, _args: crate::ExportArgs) -> color_eyre::Result<()> {
    Err(color_eyre::eyre::eyre!("`export` is not built yet"))
}
