// SCAFFOLD: replaced by the issue that builds `sessions`.
use std::path::PathBuf;

pub fn run(_data_dir: Option<PathBuf>, _args: crate::SessionsArgs) -> color_eyre::Result<()> {
    Err(color_eyre::eyre::eyre!("`sessions` is not built yet"))
}
