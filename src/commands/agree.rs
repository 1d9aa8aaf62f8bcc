// SCAFFOLD: replaced by the issue that builds `agree`.
use std::path::PathBuf;

pub fn run(_data_dir: Option<PathBuf>, _args: crate::AgreeArgs) -> color_eyre::Result<()> {
    Err(color_eyre::eyre::eyre!("`agree` is not built yet"))
}
