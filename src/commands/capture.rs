//! `shadowmap` / `shadowmap capture`: the capture screen.
//!
//! With no option, a short start form comes first (every field has a default; Enter starts;
//! F2 or Ctrl-B opens the session browser, and leaving it comes back to the form);
//! with any of `--pathway --site --role --clinician --auditor` capture starts straight away.
//! Either way, unfinished sessions (a crash, a kill, Ctrl-C) are offered first: continue one
//! (a `Reopened` event marks the gap) or finish it as it is.
//!
//! A session another running shadowmap is capturing (it holds the writer lock) is shown as in
//! use and never taken over.
//!
//! Ctrl-C leaves at once: every event the screen showed as saved is on disk, and the session
//! stays unfinished, offered for continuing at the next start. After a refused append (a full
//! disk) the screen holds the unsaved events and `R` continues in a new journal segment.

use std::path::PathBuf;
use std::time::Instant;

use chrono::Local;
use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};
use crossterm::event::KeyEvent;
use ratatui::Frame;

use shadowmap::model::pathway::{DEFAULT_PATHWAY, Pathway, builtin_pathways, resolve_pathway};
use shadowmap::model::session::{Event, EventKind, SESSION_FORMAT_VERSION, Session, SessionHeader};
use shadowmap::store::{DataDir, SessionWriter, StoreError};
use shadowmap::text::Escaped;
use shadowmap::tui::capture::{Capture, CaptureState, Flow};
use shadowmap::tui::resume::{
    self, ResumeAction, ResumeMenu, ResumeOutcome, Unfinished, in_use_message,
};
use shadowmap::tui::screen::{Console, Ended, Screen, run as run_screen};
use shadowmap::tui::start::{self, FormAction, FormOutcome, StartForm, session_id};

use crate::CaptureArgs;

pub fn run(data_dir: Option<PathBuf>, args: CaptureArgs) -> Result<()> {
    let dir = DataDir::resolve(data_dir).wrap_err("opening the data folder")?;
    // Before the screen opens, so these lines stay on the terminal afterwards.
    let tidied = tidy(&dir)?;
    // A bad --pathway is told before the screen opens.
    let given = match &args.pathway {
        Some(id_or_file) => Some(resolve_pathway(id_or_file)?.0),
        None => None,
    };
    let straight = args.pathway.is_some()
        || args.site.is_some()
        || args.role.is_some()
        || args.clinician.is_some()
        || args.auditor.is_some();

    let mut console = Console::open().wrap_err("setting up the terminal")?;

    let ended = match offer_unfinished(&dir, &mut console, given.as_ref(), tidied)? {
        Offer::Continued(ended) => ended,
        Offer::Quit => return Ok(()),
        Offer::New(notice) => {
            let chosen = new_header(&dir, &args, given, straight, &mut console, notice)?;
            let Some((header, pathway, start)) = chosen else {
                return Ok(());
            };
            let writer = SessionWriter::create(&dir, &header)
                .wrap_err_with(|| format!("creating session {}", header.id))?;
            let state = CaptureState::new(header, pathway, Vec::new());
            capture(Capture::new(state, writer, start), &mut console)?
        }
    };
    // The terminal is restored (and an interruption told on stderr) before the last line.
    drop(console);
    println!("{}", Escaped(&ended));
    Ok(())
}

enum Offer {
    /// A session was continued; how it ended.
    Continued(String),
    /// Start a new session; the notice (a session just finished as it was) shows on the form.
    New(Option<String>),
    Quit,
}

/// Completes finishes cut short and removes leftover temporary snapshots (see
/// [`DataDir::tidy`]), telling on standard error. Returns the line for the first screen.
fn tidy(dir: &DataDir) -> Result<Option<String>> {
    let tidied = dir.tidy().wrap_err("completing sessions cut short")?;
    for path in &tidied.removed {
        eprintln!(
            "note: removed {}, a snapshot left half-written by a kill or power cut",
            Escaped(path.display())
        );
    }
    for problem in &tidied.problems {
        eprintln!("warning: {}", Escaped(problem));
    }
    let mut notices = Vec::new();
    for (id, events) in &tidied.completed {
        eprintln!(
            "note: session {id} was finished but writing its snapshot was cut short (a kill, \
             a power cut or a full disk); completed now: {events} events saved to {}",
            Escaped(dir.snapshot_path(id).display())
        );
        notices.push(format!(
            "completed the cut-short finish of {id} ({events} events)"
        ));
    }
    Ok((!notices.is_empty()).then(|| notices.join("; ")))
}

/// Offers the unfinished sessions, if any: continue one, finish one as it is, or start anew.
/// `notice` shows on the first screen.
fn offer_unfinished(
    dir: &DataDir,
    console: &mut Console,
    given: Option<&Pathway>,
    mut notice: Option<String>,
) -> Result<Offer> {
    loop {
        let entries = dir.unfinished().wrap_err("listing unfinished sessions")?;
        if entries.is_empty() {
            return Ok(Offer::New(notice));
        }
        let mut menu = ResumeMenu::new(
            entries
                .iter()
                .map(|e| Unfinished {
                    id: e.id.clone(),
                    started_at: e.header.started_at,
                    clinician: e.header.clinician.clone(),
                    pathway_id: e.header.pathway_id.clone(),
                    events: e.events,
                    recovered: e.recovery.as_ref().is_some_and(|r| !r.is_clean()),
                    in_use: in_use(dir, &e.id),
                })
                .collect(),
        );
        menu.message = notice.take();
        let outcome = match run_screen(&mut ResumeScreen { menu }, console)? {
            Ended::Done(outcome) => outcome,
            Ended::Interrupted(_) => return Ok(Offer::Quit),
        };
        // The menu's effects: continue, finish as it is, or a new session.
        match outcome {
            ResumeOutcome::Continue(id) => match reopen(dir, &id, "continuing")? {
                Some(reopened) => {
                    return Ok(Offer::Continued(continue_session(
                        reopened, console, given,
                    )?));
                }
                None => notice = Some(in_use_message(&id)),
            },
            ResumeOutcome::FinishAsIs(id) => match reopen(dir, &id, "finishing")? {
                Some(reopened) => {
                    let events = finish_as_is(reopened)?;
                    notice = Some(format!("finished {id} as it was ({events} events)"));
                }
                None => notice = Some(in_use_message(&id)),
            },
            ResumeOutcome::New => return Ok(Offer::New(None)),
            ResumeOutcome::Quit | ResumeOutcome::Choosing => return Ok(Offer::Quit),
        }
    }
}

/// Takes the writer of an unfinished session; None when another running shadowmap holds it.
fn reopen(dir: &DataDir, id: &str, doing: &str) -> Result<Option<(SessionWriter, Session)>> {
    match SessionWriter::reopen(dir, id) {
        Ok((writer, session, _report)) => Ok(Some((writer, session))),
        Err(StoreError::Locked { .. }) => Ok(None),
        Err(e) => Err(e).wrap_err_with(|| format!("{doing} session {id}")),
    }
}

/// Whether another running shadowmap holds the session's writer lock (it is capturing it).
/// The probe takes the lock and lets it go at once when it is free.
fn in_use(dir: &DataDir, id: &str) -> bool {
    matches!(dir.io().try_lock(&dir.lock_path(id)), Ok(None))
}

/// The pathway a session names: the one given, if it is that one, else the built-in.
fn session_pathway(header: &SessionHeader, given: Option<&Pathway>) -> Result<Pathway> {
    if let Some(p) = given.filter(|p| p.id == header.pathway_id) {
        return Ok(p.clone());
    }
    resolve_pathway(&header.pathway_id)
        .map(|(p, _)| p)
        .map_err(|_| {
            eyre!(
                "session {} follows pathway `{}`, which is not built in; \
                 continue it with `shadowmap capture --pathway FILE` naming that pathway's file",
                header.id,
                header.pathway_id
            )
        })
}

/// Continues an unfinished session: a `Reopened` event first, at the wall-clock time since
/// the start (never before the last event), so the time away shows as a gap.
fn continue_session(
    (mut writer, session): (SessionWriter, Session),
    console: &mut Console,
    given: Option<&Pathway>,
) -> Result<String> {
    let id = session.header.id.clone();
    let pathway = session_pathway(&session.header, given)?;
    let now = Instant::now();
    let since_start = (Local::now().fixed_offset() - session.header.started_at)
        .num_milliseconds()
        .max(0) as u64;
    let last = session.events.last().map_or(0, |e| e.at_ms);
    let reopened = Event {
        seq: session.next_seq(),
        at_ms: since_start.max(last),
        kind: EventKind::Reopened,
    };
    writer
        .append(&reopened)
        .wrap_err_with(|| format!("continuing session {id}"))?;
    let mut events = session.events;
    events.push(reopened.clone());
    let state = CaptureState::new(session.header, pathway, events);
    let cap = Capture::resumed(state, writer, now, reopened.at_ms);
    capture(cap, console)
}

/// Finishes an unfinished session as it stands: a finish event at its last event's time,
/// then the snapshot. Returns how many events it holds.
fn finish_as_is((mut writer, mut session): (SessionWriter, Session)) -> Result<usize> {
    let id = session.header.id.clone();
    let finish = Event {
        seq: session.next_seq(),
        at_ms: session.events.last().map_or(0, |e| e.at_ms),
        kind: EventKind::Finish,
    };
    writer
        .append(&finish)
        .wrap_err_with(|| format!("finishing session {id}"))?;
    session.events.push(finish);
    writer
        .finish(&session)
        .wrap_err_with(|| format!("finishing session {id}"))?;
    Ok(session.events.len())
}

/// A new session's header, its pathway, and the monotonic instant of its start (offset 0).
type NewSession = (SessionHeader, Pathway, Instant);

/// The new session's header: from the options straight away, or from the start form; with
/// the monotonic instant read together with the header's wall clock (offset 0).
fn new_header(
    dir: &DataDir,
    args: &CaptureArgs,
    given: Option<Pathway>,
    straight: bool,
    console: &mut Console,
    notice: Option<String>,
) -> Result<Option<NewSession>> {
    let mut pathways = builtin_pathways();
    if let Some(p) = &given
        && !pathways
            .iter()
            .any(|b| b.id == p.id && b.version == p.version)
    {
        pathways.insert(0, p.clone());
    }
    let chosen = given
        .as_ref()
        .map_or(DEFAULT_PATHWAY.to_string(), |p| p.id.clone());
    let index = pathways.iter().position(|p| p.id == chosen).unwrap_or(0);
    let default_role = pathways[index]
        .roles
        .first()
        .cloned()
        .unwrap_or_else(|| "RN".to_string());
    let auditor = std::env::var("USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "auditor".to_string());
    let mut form = StartForm::new(
        [
            args.site.clone().unwrap_or_else(|| "site-1".to_string()),
            args.role.clone().unwrap_or(default_role),
            args.clinician.clone().unwrap_or_else(|| "C-01".to_string()),
            args.auditor.clone().unwrap_or(auditor),
        ],
        pathways
            .iter()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect(),
        index,
    );
    form.error = notice;
    if !straight {
        let mut screen = FormScreen { form };
        // The form's effects: start, quit, or the browser (the form comes back as it was).
        loop {
            match run_screen(&mut screen, console)? {
                Ended::Done(FormOutcome::Start) => break,
                Ended::Done(FormOutcome::Browse) => {
                    if let Ended::Interrupted(_) = super::browse::browse_screen(console, dir)? {
                        return Ok(None);
                    }
                }
                Ended::Done(_) | Ended::Interrupted(_) => return Ok(None),
            }
        }
        form = screen.form;
    }
    let pathway = pathways[form.pathway].clone();
    let start = Instant::now();
    let started_at = Local::now().fixed_offset();
    let base = session_id(started_at, form.site(), form.clinician());
    let taken: Vec<String> = dir
        .list()
        .wrap_err("listing sessions")?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) || dir.root().join(&id).exists() {
        id = format!("{base}-{n}");
        n += 1;
    }
    let header = SessionHeader {
        format_version: SESSION_FORMAT_VERSION,
        id,
        started_at,
        site: form.site().to_string(),
        role: form.role().to_string(),
        clinician: form.clinician().to_string(),
        auditor: form.auditor().to_string(),
        pathway_id: pathway.id.clone(),
        pathway_version: pathway.version,
    };
    Ok(Some((header, pathway, start)))
}

/// Runs the capture loop; on the finish, writes the snapshot. Returns the line to print.
fn capture(mut cap: Capture<SessionWriter>, console: &mut Console) -> Result<String> {
    let flow = match run_screen(&mut cap, console).wrap_err("drawing the capture screen")? {
        Ended::Done(flow) => flow,
        // Ctrl-C, the end of input or a signal: leave, everything shown as saved is on disk.
        Ended::Interrupted(_) => Flow::Leave,
    };
    let id = cap.state.header.id.clone();
    let (state, writer) = cap.into_parts();
    let saved = state.saved;
    if let Some(error) = &state.failed {
        // Left with events not saved: they cannot be written, but they are not lost silently.
        let unsaved: String = state
            .unsaved_lines()
            .iter()
            .map(|l| format!("\n  {l}"))
            .collect();
        return Err(eyre!(
            "session {id} stopped saving: {error}\nevents up to #{saved} are on disk; \
             run shadowmap again to continue or finish it{unsaved}"
        ));
    }
    match flow {
        Flow::Finish => {
            let path = writer
                .finish(&state.session())
                .wrap_err_with(|| format!("writing the snapshot of session {id}"))?;
            Ok(format!(
                "session {id} finished: {} events saved to {}",
                state.events.len(),
                path.display()
            ))
        }
        Flow::Leave | Flow::Continue => Ok(format!(
            "session {id} left unfinished: all {} events are saved; \
             run shadowmap again to continue or finish it",
            state.events.len()
        )),
    }
}

/// The resume menu on the shared loop: every choice but moving ends it, and the capture
/// command acts on it ([`offer_unfinished`]).
struct ResumeScreen {
    menu: ResumeMenu,
}

impl Screen for ResumeScreen {
    type Action = ResumeAction;
    type Effect = ResumeOutcome;
    type Exit = ResumeOutcome;

    fn action(&self, key: KeyEvent) -> Option<ResumeAction> {
        resume::key_to_action(key)
    }

    fn update(&mut self, action: ResumeAction, _at: Instant) -> Vec<ResumeOutcome> {
        vec![resume::update(&mut self.menu, action)]
    }

    fn run_effects(
        &mut self,
        effects: Vec<ResumeOutcome>,
        _console: &mut Console,
    ) -> std::io::Result<Option<Ended<ResumeOutcome>>> {
        Ok(effects
            .into_iter()
            .find(|o| *o != ResumeOutcome::Choosing)
            .map(Ended::Done))
    }

    fn draw(&self, frame: &mut Frame) {
        resume::draw(&self.menu, frame, frame.area());
    }
}

/// The start form on the shared loop: start, quit and the browser end it, and the capture
/// command acts on them ([`new_header`]).
struct FormScreen {
    form: StartForm,
}

impl Screen for FormScreen {
    type Action = FormAction;
    type Effect = FormOutcome;
    type Exit = FormOutcome;

    fn action(&self, key: KeyEvent) -> Option<FormAction> {
        start::key_to_action(key)
    }

    fn paste(&self, text: &str) -> Option<FormAction> {
        Some(FormAction::Paste(text.to_string()))
    }

    fn update(&mut self, action: FormAction, _at: Instant) -> Vec<FormOutcome> {
        vec![start::update(&mut self.form, action)]
    }

    fn run_effects(
        &mut self,
        effects: Vec<FormOutcome>,
        _console: &mut Console,
    ) -> std::io::Result<Option<Ended<FormOutcome>>> {
        Ok(effects
            .into_iter()
            .find(|o| *o != FormOutcome::Editing)
            .map(Ended::Done))
    }

    fn draw(&self, frame: &mut Frame) {
        start::draw(&self.form, frame, frame.area());
    }
}
