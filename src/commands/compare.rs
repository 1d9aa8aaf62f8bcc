// SCAFFOLD: replaced by the issue that builds `compare`.
use std::path::PathBuf;

pub fn run(_data_dir: Option<PathBuf>, _args: crate::CompareArgs) -> color_eyre::Result<()> {
    Err(color_eyre::eyre::eyre!("`compare` is not built yet"))
}
