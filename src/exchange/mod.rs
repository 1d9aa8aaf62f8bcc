//! Exchange and scale (docs/exchange.md): sessions moving between laptops as bundles, and the
//! tables and logs other engines read: Parquet for DuckDB and Spark, OCEL 2.0 for
//! object-centric process mining.

pub mod bundle;
pub mod ocel;
pub mod parquet;
