//! The `shadowmap` binary: parses the command line and hands each command to its module in
//! `commands/`. Nothing else lives here.

mod commands;

/// mimalloc: the many small strings of a large log are allocated on reading threads and freed
/// on others, which the system allocator does slowly (docs/dev/performance.md, "Compare"). Its
/// `no_thp` feature: no transparent huge pages, whose 2 MB zeroing cost a short run more time
/// and memory than they saved.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use shadowmap::text::Escaped;

#[derive(Parser, Debug)]
#[command(
    name = "shadowmap",
    version,
    about = "Shadow clinicians, map how EHR work really happens",
    long_about = "Shadow clinicians, map how EHR work really happens.\n\nWith no command, opens the capture screen: unfinished sessions are offered first, then a short start form (site, role, clinician code, auditor, pathway). Quick start and every key: README.md."
)]
pub struct Cli {
    /// The folder holding sessions (default: the platform's data folder).
    #[arg(long, global = true, env = "SHADOWMAP_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// A keymap file for the capture and replay keys (default: keys.ron in the platform's
    /// config folder, when there is one; `shadowmap keys` shows the keys in force).
    #[arg(long, env = "SHADOWMAP_KEYS", value_name = "FILE")]
    pub keys: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Shadow a clinician: the capture screen.
    Capture(CaptureArgs),
    /// List, show and check pathways.
    #[command(subcommand)]
    Pathways(PathwaysCommand),
    /// List the sessions in the data folder.
    Sessions(SessionsArgs),
    /// Write a session as JSON, RON, XES or CSV; many sessions as Parquet tables or OCEL 2.0.
    Export(ExportArgs),
    /// Score a session or an XES log against a pathway by optimal alignment.
    Compare(CompareArgs),
    /// Replay a saved session on a timeline.
    Replay(ReplayArgs),
    /// Browse the sessions in the data folder.
    Browse,
    /// Findings across sessions, sites and roles.
    Report(ReportArgs),
    /// Agreement of two auditors who shadowed the same clinician.
    Agree(AgreeArgs),
    /// The capture and replay keys in force, and a keymap file to start from.
    Keys(KeysArgs),
    /// The pathway the work suggests: a revised pathway, each change with its evidence.
    Suggest(SuggestArgs),
    /// Audit rounds: did the change work? Rounds compared step by step, with statistics.
    Rounds(RoundsArgs),
    /// Sessions a round needs to detect a reduction of a step's time, from pilot sessions.
    Plan(PlanArgs),
    /// The shadow map: how the work really flows, beside the configured pathway.
    Map(MapArgs),
    /// Pack sessions (and the overrides) into one file for another laptop.
    Bundle(BundleArgs),
    /// Add the sessions of bundles to the data folder: verified, all or nothing.
    Import(ImportArgs),
}

#[derive(Args, Debug)]
pub struct KeysArgs {
    /// Print only a keymap file with every action at its default keys (to save and edit).
    #[arg(long)]
    pub default: bool,
    /// A keymap file for the capture and replay keys (default: keys.ron in the platform's
    /// config folder, when there is one; `shadowmap keys` shows the keys in force).
    #[arg(long, env = "SHADOWMAP_KEYS", value_name = "FILE")]
    pub keys: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct BundleArgs {
    /// Session ids of the data folder (default: every finished session).
    pub ids: Vec<String>,
    /// The bundle file to write (created 0600).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Also pack unfinished sessions (their journals).
    #[arg(long)]
    pub unfinished: bool,
    /// Who makes the bundle, for the manifest (default: your login name).
    #[arg(long, value_name = "NAME")]
    pub who: Option<String>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Bundle files made by `shadowmap bundle`.
    #[arg(required = true, value_name = "FILE")]
    pub bundles: Vec<PathBuf>,
}

#[derive(Args, Debug, Default)]
pub struct CaptureArgs {
    /// A built-in pathway id or a pathway file.
    #[arg(long, value_name = "ID|FILE")]
    pub pathway: Option<String>,
    /// The site (ward, clinic) being audited, e.g. north.
    #[arg(long)]
    pub site: Option<String>,
    /// The clinician's role, e.g. RN, MD, PharmD.
    #[arg(long)]
    pub role: Option<String>,
    /// The clinician's code (never a name), e.g. RN-07.
    #[arg(long)]
    pub clinician: Option<String>,
    /// Your own auditor code, e.g. ak.
    #[arg(long)]
    pub auditor: Option<String>,
    /// A keymap file for the capture and replay keys (default: keys.ron in the platform's
    /// config folder, when there is one; `shadowmap keys` shows the keys in force).
    #[arg(long, env = "SHADOWMAP_KEYS", value_name = "FILE")]
    pub keys: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum PathwaysCommand {
    /// The built-in pathways.
    List,
    /// Print a pathway (built-in id or file) as RON, or in the pathway JSON other tools read.
    Show {
        /// A built-in pathway id (`shadowmap pathways list`) or a pathway file.
        #[arg(value_name = "ID|FILE")]
        pathway: String,
        /// ron: the pathway file; json: the exchange form (ids, optional, repeat, groups).
        #[arg(long, value_enum, default_value_t = PathwayFormat::Ron)]
        format: PathwayFormat,
    },
    /// What changed between two versions of a pathway, in words.
    Diff {
        /// The earlier version (built-in id or file).
        #[arg(value_name = "A")]
        a: String,
        /// The later version (built-in id or file).
        #[arg(value_name = "B")]
        b: String,
    },
    /// Validate a pathway file: exit 0, or a clear error with file, line and column.
    Check {
        /// The pathway file (RON) to check; it is only read.
        file: PathBuf,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathwayFormat {
    Ron,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuggestFormat {
    Text,
    Json,
    Ron,
}

#[derive(Args, Debug)]
pub struct SuggestArgs {
    /// Session files, folders that hold them, or XES logs (.xes, .xes.gz).
    #[arg(required = true, value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Revise this pathway (built-in id, RON file or the oracle's pathway JSON) for every
    /// session (default: each session's own; required for an XES log).
    #[arg(long, value_name = "ID|FILE")]
    pub pathway: Option<String>,
    /// Try an edit only when at least this share (0..1) of the sessions shows it.
    #[arg(long, default_value_t = 0.2, value_name = "F")]
    pub min_share: f64,
    /// Take the observed median time and clicks as each step's expected ones.
    #[arg(long)]
    pub retime: bool,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// text: changes, evidence and figures; json: the same for other tools; ron: the revised
    /// pathway file alone (one pathway).
    #[arg(long, value_enum, default_value_t = SuggestFormat::Text)]
    pub format: SuggestFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct SessionsArgs {
    /// A table, or a JSON array with each session's header, status and recovery.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Ron,
    Xes,
    Csv,
    /// sessions.parquet, steps.parquet and events.parquet in the --out folder.
    Parquet,
    /// An OCEL 2.0 JSON object-centric event log.
    Ocel,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// A session id in the data folder, or a session file; parquet and ocel take many, and
    /// folders (none: the data folder's finished sessions).
    #[arg(value_name = "SESSION")]
    pub sessions: Vec<String>,
    /// json/ron: the whole session; xes: an event log for pm4py, ProM, Disco; csv: a table;
    /// parquet: three tables for DuckDB and Spark (--out names a folder); ocel: OCEL 2.0 JSON.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Remove note text and mask identifier-like strings.
    #[arg(long)]
    pub redact: bool,
    /// Write here instead of standard output (with --format parquet: the folder to write to).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// With --format csv: a row per event, or a row per observed step.
    #[arg(long, value_enum, default_value_t = CsvTable::Events)]
    pub csv: CsvTable,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvTable {
    Events,
    Steps,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// A session id, a session file, or an .xes log.
    pub input: String,
    /// A built-in pathway id, a pathway RON file or the oracle's pathway JSON
    /// (default: the session's own pathway; required for an XES log).
    #[arg(long, value_name = "ID|FILE")]
    pub pathway: Option<String>,
    /// text: the alignment table, deviations and figures; json: the domain reference's keys.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Worker threads for an XES log (0: one per core, or one for a log under 1 MB); the output is the same for any number.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// A session id in the data folder, or a session file.
    pub session: String,
    /// Compare against this pathway (built-in id or file) instead of the session's own.
    #[arg(long, value_name = "ID|FILE")]
    pub pathway: Option<String>,
    /// A keymap file for the capture and replay keys (default: keys.ron in the platform's
    /// config folder, when there is one; `shadowmap keys` shows the keys in force).
    #[arg(long, env = "SHADOWMAP_KEYS", value_name = "FILE")]
    pub keys: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Md,
    Html,
    Csv,
    Json,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Session files or folders (default: the data folder).
    pub paths: Vec<PathBuf>,
    /// Compare every session against this pathway (default: each session's own).
    #[arg(long, value_name = "ID|FILE")]
    pub pathway: Option<String>,
    /// Group keys under the pathway: site, role, clinician, auditor ('' for one group).
    #[arg(long, value_delimiter = ',', default_value = "site,role")]
    pub by: Vec<String>,
    /// The report's form; html is one self-contained file.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Remove note text and mask identifier-like strings in every format.
    #[arg(long)]
    pub redact: bool,
    /// Browse the findings in the terminal and override their causes.
    #[arg(long)]
    pub tui: bool,
    /// With --tui: also the audit rounds view (folder, version or date:YYYY-MM-DD[,...], as
    /// `shadowmap rounds --split`).
    #[arg(long, value_name = "HOW", requires = "tui")]
    pub split: Option<String>,
}

#[derive(Args, Debug)]
pub struct AgreeArgs {
    /// The first auditor's session (id or file).
    pub a: String,
    /// The second auditor's session (id or file).
    pub b: String,
    /// Seconds to add to B's clock (a laptop clock that was off).
    #[arg(
        long,
        default_value_t = 0.0,
        allow_negative_numbers = true,
        value_name = "SECS"
    )]
    pub shift_b: f64,
    /// Seconds within which two interruptions, workarounds or problems match.
    #[arg(long, default_value_t = 10.0, value_name = "SECS")]
    pub tolerance: f64,
    /// text: figures, verdicts and where the two disagree; json: everything, with warnings.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Args, Debug)]
pub struct RoundsArgs {
    /// Session files or folders (with --split folder: one folder or file per round, in order).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// folder (each PATH a round), version (each pathway version a round) or
    /// date:YYYY-MM-DD[,YYYY-MM-DD...] (cut dates).
    #[arg(long, value_name = "HOW")]
    pub split: String,
    /// Compare every session against this pathway (default: each session's own).
    #[arg(long, value_name = "ID|FILE")]
    pub pathway: Option<String>,
    /// Group keys under the pathway: site, role, clinician, auditor ('' for the pathway only).
    #[arg(long, value_delimiter = ',', default_value = "site,role")]
    pub by: Vec<String>,
    /// The form; html is one self-contained file, csv a row per test.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Mask identifier-like strings (sites, roles, groups, unplanned steps, skipped files) in
    /// every format and in the warnings; the figures stay the same.
    #[arg(long)]
    pub redact: bool,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Pilot session files or folders.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The step id whose median active time should drop.
    #[arg(long)]
    pub step: String,
    /// The relative reduction to detect, e.g. 0.3 for 30 %.
    #[arg(long, value_name = "F")]
    pub reduction: f64,
    /// The chance of detecting it.
    #[arg(long, default_value_t = 0.8)]
    pub power: f64,
    /// The two-sided test's level.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Compare every session against this pathway (default: each session's own).
    #[arg(long, value_name = "ID|FILE")]
    pub pathway: Option<String>,
    /// text: the plan in sentences; json: every figure.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapFormat {
    Text,
    Json,
    Dot,
    Svg,
    Html,
}

#[derive(Args, Debug)]
pub struct MapArgs {
    /// Session files or folders (default: the data folder).
    pub paths: Vec<PathBuf>,
    /// Map only the sessions of this pathway (built-in id or file; default: every pathway).
    #[arg(long, value_name = "ID|FILE")]
    pub pathway: Option<String>,
    /// Keep sessions by site, role, clinician, auditor or version (repeat a key for either).
    #[arg(long = "where", value_delimiter = ',', value_name = "KEY=VALUE,...")]
    pub r#where: Vec<String>,
    /// Hide steps and flows taken by fewer than this share (0-1) of sessions from the drawing.
    #[arg(long, default_value_t = 0.0, value_name = "F")]
    pub min_share: f64,
    /// text: steps, flows, variants; json: everything; dot: Graphviz; svg, html: the drawing.
    #[arg(long, value_enum, default_value_t = MapFormat::Text)]
    pub format: MapFormat,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Walk the map in the terminal: each step's flows, the sessions of a deviating flow, replay.
    #[arg(long, conflicts_with_all = ["format", "out"])]
    pub tui: bool,
}

fn main() -> std::process::ExitCode {
    // The panic report restores nothing itself; the TUI installs its own terminal-restoring
    // hook on top of this one.
    if let Err(error) = color_eyre::install() {
        eprintln!("shadowmap: cannot install the error reporter: {error}");
    }
    commands::quiet_on_closed_pipe();
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error)
            if error
                .root_cause()
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            // The reader of our output went away (`| head`): nothing to tell it; exit 0,
            // as `commands::quiet_on_closed_pipe` does for `print!`.
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            // A user's mistake is told plainly, with its causes, and no backtrace.
            // Messages quote file content (ids, names, paths): escape its control characters.
            eprintln!("error: {}", Escaped(&error));
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {}", Escaped(cause));
            }
            std::process::ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> color_eyre::Result<()> {
    let data_dir = cli.data_dir;
    // The keys are checked before any screen opens: a bad keymap is told with its place.
    let keys = match &cli.command {
        None | Some(Command::Browse) => Some(cli.keys.as_deref()),
        Some(Command::Capture(args)) => Some(args.keys.as_deref().or(cli.keys.as_deref())),
        Some(Command::Replay(args)) => Some(args.keys.as_deref().or(cli.keys.as_deref())),
        _ => None,
    };
    if let Some(keys) = keys {
        commands::keys::install(keys)?;
    }
    match cli.command {
        None => commands::capture::run(data_dir, CaptureArgs::default()),
        Some(Command::Capture(args)) => commands::capture::run(data_dir, args),
        Some(Command::Pathways(command)) => commands::pathways::run(command),
        Some(Command::Sessions(args)) => commands::sessions::run(data_dir, args),
        Some(Command::Export(args)) => commands::export::run(data_dir, args),
        Some(Command::Compare(args)) => commands::compare::run(data_dir, args),
        Some(Command::Replay(args)) => commands::replay::run(data_dir, args),
        Some(Command::Keys(args)) => commands::keys::run(args),
        Some(Command::Browse) => commands::browse::run(data_dir),
        Some(Command::Report(args)) => commands::report::run(data_dir, args),
        Some(Command::Agree(args)) => commands::agree::run(data_dir, args),
        Some(Command::Suggest(args)) => commands::suggest::run(data_dir, args),
        Some(Command::Rounds(args)) => commands::rounds::run(data_dir, args),
        Some(Command::Plan(args)) => commands::plan::run(args),
        Some(Command::Map(args)) => commands::map::run(data_dir, args),
        Some(Command::Bundle(args)) => commands::bundle::run(data_dir, args),
        Some(Command::Import(args)) => commands::bundle::import(data_dir, args),
    }
}
