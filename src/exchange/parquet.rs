//! Parquet tables of many sessions for DuckDB, Spark and Trino (docs/exchange.md has every
//! column): `sessions.parquet` (a row per session), `steps.parquet` (a row per observed step
//! occurrence, with its friction figures and its alignment move) and `events.parquet` (a row
//! per journal event).
//!
//! The rows come from the report's own digests ([`crate::report::for_each_digested`]), so the
//! per-step figures computed in SQL over `steps` equal `shadowmap report`'s. Rows are buffered
//! and written a row group at a time, so memory stays flat in the number of sessions.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use crate::model::{KindCounts, ProblemKind, VocabularyKind, WorkaroundKind, derive_timeline};
use crate::report::Digested;
use crate::report::export::rows::event_rows_with;

/// Rows buffered before a row group is written.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// A column's type in the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 text.
    Text,
    Bool,
    Int32,
    Int64,
    Double,
    /// Microseconds since 1970-01-01 UTC (a UTC timestamp).
    Timestamp,
}

/// A column: name, type, and whether it may be null.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: Cow<'static, str>,
    pub kind: Kind,
    pub nullable: bool,
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column {
        name: Cow::Borrowed(name),
        kind,
        nullable: false,
    }
}

const fn nullable(name: &'static str, kind: Kind) -> Column {
    Column {
        name: Cow::Borrowed(name),
        kind,
        nullable: true,
    }
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Text(Option<&'a str>),
    /// Text already encoded (shared cheaply: the same session id on a million rows).
    Bytes(ByteArray),
    Bool(bool),
    Int32(Option<i32>),
    Int64(i64),
    Double(Option<f64>),
    Timestamp(i64),
}

/// The columns every table starts with.
const COMMON: [Column; 7] = [
    col("session_id", Kind::Text),
    col("pathway_id", Kind::Text),
    col("pathway_version", Kind::Int32),
    col("site", Kind::Text),
    col("role", Kind::Text),
    col("clinician", Kind::Text),
    col("auditor", Kind::Text),
];

pub fn session_columns() -> Vec<Column> {
    let mut columns = COMMON.to_vec();
    columns.extend([
        col("started_at", Kind::Timestamp),
        col("finished", Kind::Bool),
        col("events", Kind::Int64),
        col("fitness", Kind::Double),
        col("observed_min", Kind::Double),
        col("active_min", Kind::Double),
        col("expected_min", Kind::Double),
        col("click_excess", Kind::Int64),
        col("reentries", Kind::Int64),
        col("interruptions", Kind::Int64),
    ]);
    columns
}

/// `workarounds_<kind>` and `problems_<kind>` for every kind of the vocabularies: counts of
/// the marks logged during the occurrence.
fn mark_columns() -> impl Iterator<Item = Column> {
    let workarounds = WorkaroundKind::ALL
        .iter()
        .map(|k| format!("workarounds_{}", k.name()));
    let problems = ProblemKind::ALL
        .iter()
        .map(|k| format!("problems_{}", k.name()));
    workarounds
        .chain(problems)
        .map(|name| Column {
            name: Cow::Owned(name),
            kind: Kind::Int32,
            nullable: false,
        })
        .chain([
            nullable("workarounds_site", Kind::Text),
            nullable("problems_site", Kind::Text),
        ])
}

/// The site's own kinds counted in one occurrence, as a JSON object by id (`{"fax":2}`), or
/// None when there are none: a pathway file's kinds are not known when the table's columns are.
fn site_counts<K: VocabularyKind>(marks: &[(K, String)]) -> Option<String> {
    let mut counts = KindCounts::<K>::default();
    for (kind, _) in marks {
        counts.add(*kind, 1);
    }
    let site: serde_json::Map<String, serde_json::Value> = counts
        .iter()
        .filter(|(k, n)| K::builtin(k.name()).is_none() && *n > 0)
        .map(|(k, n)| (k.name().to_string(), n.into()))
        .collect();
    (!site.is_empty()).then(|| serde_json::Value::Object(site).to_string())
}

pub fn step_columns() -> Vec<Column> {
    let mut columns = COMMON.to_vec();
    columns.extend([
        col("step", Kind::Text),
        nullable("label", Kind::Text),
        col("planned", Kind::Bool),
        col("occurrence", Kind::Int32),
        col("started_at", Kind::Timestamp),
        col("active_secs", Kind::Double),
        col("interrupted_secs", Kind::Double),
        nullable("expected_secs", Kind::Int32),
        col("clicks", Kind::Int32),
        nullable("expected_clicks", Kind::Int32),
        col("screens", Kind::Int32),
        col("reentries", Kind::Int32),
        col("interruptions", Kind::Int32),
        col("move", Kind::Text),
        col("over_time", Kind::Bool),
        col("over_clicks", Kind::Bool),
        col("workarounds", Kind::Int32),
        col("problems", Kind::Int32),
    ]);
    columns.extend(mark_columns());
    columns
}

pub fn event_columns() -> Vec<Column> {
    let mut columns = COMMON.to_vec();
    columns.extend([
        col("seq", Kind::Int64),
        col("at_ms", Kind::Int64),
        col("time", Kind::Timestamp),
        col("kind", Kind::Text),
        nullable("step", Kind::Text),
        nullable("detail", Kind::Text),
        nullable("delta", Kind::Int32),
        nullable("note", Kind::Text),
        col("undone", Kind::Bool),
    ]);
    columns
}

/// The Parquet schema (message type) of a table.
pub fn message_type(table: &str, columns: &[Column]) -> String {
    let mut text = format!("message {table} {{\n");
    for c in columns {
        let repetition = if c.nullable { "optional" } else { "required" };
        let physical = match c.kind {
            Kind::Text => "binary",
            Kind::Bool => "boolean",
            Kind::Int32 => "int32",
            Kind::Int64 | Kind::Timestamp => "int64",
            Kind::Double => "double",
        };
        let logical = match c.kind {
            Kind::Text => " (STRING)",
            Kind::Timestamp => " (TIMESTAMP(MICROS,true))",
            _ => "",
        };
        let _ = writeln!(text, "  {repetition} {physical} {}{logical};", c.name);
    }
    text.push('}');
    text
}

#[derive(Debug)]
enum Buffer {
    Text(Vec<ByteArray>),
    Bool(Vec<bool>),
    Int32(Vec<i32>),
    Int64(Vec<i64>),
    Double(Vec<f64>),
}

/// One Parquet file being written, a row group at a time.
pub struct TableWriter<W: Write + Send> {
    columns: Vec<Column>,
    writer: SerializedFileWriter<W>,
    buffers: Vec<Buffer>,
    /// Definition levels of the nullable columns (1 = a value, 0 = null).
    levels: Vec<Vec<i16>>,
    rows: usize,
    pub rows_written: u64,
}

impl<W: Write + Send> TableWriter<W> {
    pub fn new(out: W, table: &str, columns: Vec<Column>) -> Result<Self, ParquetError> {
        let schema = Arc::new(parse_message_type(&message_type(table, &columns))?);
        let properties = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::UNCOMPRESSED)
                .set_created_by(format!("shadowmap {}", env!("CARGO_PKG_VERSION")))
                .build(),
        );
        let writer = SerializedFileWriter::new(out, schema, properties)?;
        let buffers = columns
            .iter()
            .map(|c| match c.kind {
                Kind::Text => Buffer::Text(Vec::new()),
                Kind::Bool => Buffer::Bool(Vec::new()),
                Kind::Int32 => Buffer::Int32(Vec::new()),
                Kind::Int64 | Kind::Timestamp => Buffer::Int64(Vec::new()),
                Kind::Double => Buffer::Double(Vec::new()),
            })
            .collect();
        let levels = vec![Vec::new(); columns.len()];
        Ok(TableWriter {
            columns,
            writer,
            buffers,
            levels,
            rows: 0,
            rows_written: 0,
        })
    }

    /// Adds a row; its cells must match the columns in number, order and type.
    pub fn push(&mut self, row: &[Cell<'_>]) -> Result<(), ParquetError> {
        assert_eq!(row.len(), self.columns.len(), "one cell per column");
        for (i, cell) in row.iter().enumerate() {
            let present = match (&mut self.buffers[i], cell) {
                (Buffer::Text(v), Cell::Text(Some(t))) => {
                    v.push(ByteArray::from(*t));
                    true
                }
                (Buffer::Text(v), Cell::Bytes(b)) => {
                    v.push(b.clone());
                    true
                }
                (Buffer::Bool(v), Cell::Bool(b)) => {
                    v.push(*b);
                    true
                }
                (Buffer::Int32(v), Cell::Int32(Some(n))) => {
                    v.push(*n);
                    true
                }
                (Buffer::Int64(v), Cell::Int64(n) | Cell::Timestamp(n)) => {
                    v.push(*n);
                    true
                }
                (Buffer::Double(v), Cell::Double(Some(x))) => {
                    v.push(*x);
                    true
                }
                (Buffer::Text(_), Cell::Text(None))
                | (Buffer::Int32(_), Cell::Int32(None))
                | (Buffer::Double(_), Cell::Double(None)) => false,
                (_, cell) => panic!("column {} cannot hold {cell:?}", self.columns[i].name),
            };
            if self.columns[i].nullable {
                self.levels[i].push(i16::from(present));
            } else {
                assert!(present, "column {} is never null", self.columns[i].name);
            }
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ParquetError> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        for (i, buffer) in self.buffers.iter_mut().enumerate() {
            let levels = self.columns[i]
                .nullable
                .then_some(self.levels[i].as_slice());
            let mut column = group
                .next_column()?
                .ok_or_else(|| ParquetError::General("fewer columns than the schema".into()))?;
            match buffer {
                Buffer::Text(v) => {
                    column
                        .typed::<ByteArrayType>()
                        .write_batch(v, levels, None)?;
                    v.clear();
                }
                Buffer::Bool(v) => {
                    column.typed::<BoolType>().write_batch(v, levels, None)?;
                    v.clear();
                }
                Buffer::Int32(v) => {
                    column.typed::<Int32Type>().write_batch(v, levels, None)?;
                    v.clear();
                }
                Buffer::Int64(v) => {
                    column.typed::<Int64Type>().write_batch(v, levels, None)?;
                    v.clear();
                }
                Buffer::Double(v) => {
                    column.typed::<DoubleType>().write_batch(v, levels, None)?;
                    v.clear();
                }
            }
            column.close()?;
            self.levels[i].clear();
        }
        group.close()?;
        self.rows_written += self.rows as u64;
        self.rows = 0;
        Ok(())
    }

    /// Writes what is buffered and the file's footer; returns the output.
    pub fn finish(mut self) -> Result<W, ParquetError> {
        self.flush()?;
        self.writer.into_inner()
    }
}

/// Microseconds since the epoch, UTC.
fn micros(time: chrono::DateTime<chrono::FixedOffset>) -> i64 {
    time.timestamp_micros()
}

/// The three tables being written.
pub struct Tables<W: Write + Send> {
    pub sessions: TableWriter<W>,
    pub steps: TableWriter<W>,
    pub events: TableWriter<W>,
}

impl<W: Write + Send> Tables<W> {
    pub fn new(sessions: W, steps: W, events: W) -> Result<Self, ParquetError> {
        Ok(Tables {
            sessions: TableWriter::new(sessions, "sessions", session_columns())?,
            steps: TableWriter::new(steps, "steps", step_columns())?,
            events: TableWriter::new(events, "events", event_columns())?,
        })
    }

    /// Adds one session's rows to the three tables. Redact the session first if asked (the
    /// digest is then of the redacted session too).
    pub fn add(&mut self, digested: &Digested) -> Result<(), ParquetError> {
        let Digested {
            session, digest, ..
        } = digested;
        let h = &session.header;
        // The columns every row of this session repeats, encoded once.
        let shared = |text: &str| Cell::Bytes(ByteArray::from(text));
        let common_cells = [
            shared(&h.id),
            shared(&digest.pathway_id),
            Cell::Int32(Some(
                i32::try_from(digest.pathway_version).unwrap_or(i32::MAX),
            )),
            shared(&h.site),
            shared(&h.role),
            shared(&h.clinician),
            shared(&h.auditor),
        ];
        let mut row: Vec<Cell<'_>> = common_cells.to_vec();
        row.extend([
            Cell::Timestamp(micros(h.started_at)),
            Cell::Bool(session.is_finished()),
            Cell::Int64(session.events.len() as i64),
            Cell::Double(Some(digest.fitness)),
            Cell::Double(Some(digest.observed_secs / 60.0)),
            Cell::Double(Some(digest.active_secs / 60.0)),
            Cell::Double(Some(digest.expected_secs / 60.0)),
            Cell::Int64(digest.click_excess),
            Cell::Int64(i64::from(digest.reentries)),
            Cell::Int64(i64::from(digest.interruptions)),
        ]);
        self.sessions.push(&row)?;

        let timeline = derive_timeline(&session.events);
        let mut occurrences: std::collections::HashMap<&str, i32> = Default::default();
        for (index, step) in digest.steps.iter().enumerate() {
            let occurrence = occurrences.entry(step.step.as_str()).or_insert(0);
            *occurrence += 1;
            let start_ms = timeline.steps.get(index).map_or(0, |s| s.start_ms);
            let label = step
                .unplanned_label
                .as_deref()
                .or_else(|| digested.pathway.step(&step.step).map(|s| s.label.as_str()));
            let mut workarounds = KindCounts::<WorkaroundKind>::default();
            for (kind, _) in &step.workarounds {
                workarounds.add(*kind, 1);
            }
            let mut problems = KindCounts::<ProblemKind>::default();
            for (kind, _) in &step.problems {
                problems.add(*kind, 1);
            }
            let counts: Vec<i32> = WorkaroundKind::ALL
                .iter()
                .map(|&k| workarounds.get(k))
                .chain(ProblemKind::ALL.iter().map(|&k| problems.get(k)))
                .map(clamp)
                .collect();
            let site = [site_counts(&step.workarounds), site_counts(&step.problems)];
            let mut row: Vec<Cell<'_>> = common_cells.to_vec();
            row.extend([
                Cell::Text(Some(step.step.as_str())),
                Cell::Text(label),
                Cell::Bool(step.planned),
                Cell::Int32(Some(*occurrence)),
                Cell::Timestamp(micros(session.wall_clock(start_ms))),
                Cell::Double(Some(step.active_secs)),
                Cell::Double(Some(step.interrupted_secs)),
                Cell::Int32(step.planned.then(|| clamp(step.expected_secs))),
                Cell::Int32(Some(clamp(step.clicks))),
                Cell::Int32(step.planned.then(|| clamp(step.expected_clicks))),
                Cell::Int32(Some(clamp(step.screens))),
                Cell::Int32(Some(clamp(step.reentries))),
                Cell::Int32(Some(clamp(step.interruptions))),
                Cell::Text(Some(if step.synced { "sync" } else { "log" })),
                Cell::Bool(step.over_time),
                Cell::Bool(step.over_clicks),
                Cell::Int32(Some(step.workarounds.len() as i32)),
                Cell::Int32(Some(step.problems.len() as i32)),
            ]);
            row.extend(counts.iter().map(|n| Cell::Int32(Some(*n))));
            row.extend(site.iter().map(|text| Cell::Text(text.as_deref())));
            self.steps.push(&row)?;
        }

        for event in event_rows_with(session, &timeline) {
            let mut row: Vec<Cell<'_>> = common_cells.to_vec();
            row.extend([
                Cell::Int64(i64::try_from(event.seq).unwrap_or(i64::MAX)),
                Cell::Int64(i64::try_from(event.at_ms).unwrap_or(i64::MAX)),
                Cell::Timestamp(micros(session.wall_clock(event.at_ms))),
                Cell::Text(Some(event.kind)),
                Cell::Text(non_empty(&event.step)),
                Cell::Text(non_empty(&event.detail)),
                Cell::Int32(event.delta),
                Cell::Text(event.text.filter(|t| !t.is_empty())),
                Cell::Bool(event.undone),
            ]);
            self.events.push(&row)?;
        }
        Ok(())
    }

    pub fn finish(self) -> Result<(W, W, W), ParquetError> {
        Ok((
            self.sessions.finish()?,
            self.steps.finish()?,
            self.events.finish()?,
        ))
    }
}

fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

fn clamp(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// For tests and tools: the columns of the three tables by file name.
pub fn tables() -> [(&'static str, Vec<Column>); 3] {
    [
        ("sessions.parquet", session_columns()),
        ("steps.parquet", step_columns()),
        ("events.parquet", event_columns()),
    ]
}
