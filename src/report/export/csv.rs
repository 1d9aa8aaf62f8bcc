//! CSV exports of one session: its events (one row per journal event, undone ones marked)
//! and its observed steps (one row per step occurrence with its clocks and counts). The
//! columns are named in `docs/exports.md`; `CsvWriter` is the one CSV writer
//! the exports and the report share.
//!
//! Form (RFC 4180, written by the `csv` crate): a header row, comma-separated fields, a field
//! quoted with `"` when it holds a comma, a quote or a line break, a quote inside doubled;
//! rows end with `\r\n`; times are ISO-8601 with the session's UTC offset and milliseconds;
//! durations are seconds with three decimals.

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::SecondsFormat;

use crate::model::timeline::StepEnding;
use crate::model::{Pathway, Session, derive_timeline};

/// The columns of `--format csv --csv events`, in order.
pub const EVENT_COLUMNS: [&str; 10] = [
    "session", "seq", "at_ms", "time", "kind", "step", "detail", "delta", "text", "undone",
];

/// The columns of `--format csv --csv steps`, in order.
pub const STEP_COLUMNS: [&str; 17] = [
    "session",
    "occurrence",
    "step",
    "label",
    "unplanned",
    "start",
    "end",
    "ended_by",
    "active_secs",
    "interrupted_secs",
    "paused_secs",
    "clicks",
    "screens",
    "reentries",
    "interruptions",
    "workarounds",
    "problems",
];

/// A text cell a spreadsheet will not run: one that begins with `=`, `+`, `-`, `@`, a tab or
/// a carriage return (which Excel, LibreOffice and Sheets would evaluate as a formula) gets
/// a leading `'`. Numbers such as `-1` are kept as they are. Quoting is the `csv` crate's.
pub fn spreadsheet_safe(value: &str) -> Cow<'_, str> {
    if looks_like_formula(value) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// A cell a spreadsheet would evaluate: it begins with a formula character and is not a number.
fn looks_like_formula(value: &str) -> bool {
    value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.trim().parse::<f64>().is_err()
}

/// How rows end: the session exports end them with `\r\n` (RFC 4180), the report's findings
/// table with `\n`, as they always have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    Crlf,
    Lf,
}

/// The one CSV writer of the exports and the report: the `csv` crate (quoting as RFC 4180
/// needs it: a field with a comma, a quote or a line break is quoted, quotes doubled) over
/// cells made [`spreadsheet_safe`]; every row as long as the header.
pub struct CsvWriter<W: Write> {
    out: csv::Writer<W>,
    columns: usize,
}

impl<W: Write> CsvWriter<W> {
    /// Starts a table with its header row.
    pub fn new(out: W, header: &[&str], line_end: LineEnd) -> io::Result<CsvWriter<W>> {
        let terminator = match line_end {
            LineEnd::Crlf => csv::Terminator::CRLF,
            LineEnd::Lf => csv::Terminator::Any(b'\n'),
        };
        let out = csv::WriterBuilder::new()
            .terminator(terminator)
            .from_writer(out);
        let mut writer = CsvWriter {
            out,
            columns: header.len(),
        };
        writer.row(header)?;
        Ok(writer)
    }

    pub fn row<S: AsRef<str>>(&mut self, fields: &[S]) -> io::Result<()> {
        assert_eq!(
            fields.len(),
            self.columns,
            "a CSV row has as many fields as the header"
        );
        let cells: Vec<Cow<'_, str>> = fields
            .iter()
            .map(|value| spreadsheet_safe(value.as_ref()))
            .collect();
        self.out
            .write_record(cells.iter().map(|cell| cell.as_bytes()))?;
        Ok(())
    }

    pub fn finish(self) -> io::Result<W> {
        self.out
            .into_inner()
            .map_err(csv::IntoInnerError::into_error)
    }
}

fn secs(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

fn time(session: &Session, at_ms: u64) -> String {
    session
        .wall_clock(at_ms)
        .to_rfc3339_opts(SecondsFormat::Millis, false)
}

/// One row per journal event, in journal order. `step` is the step the event starts, or
/// else the step open when it was logged (undone events left out of that reckoning);
/// `detail` is the interruption source, the workaround or problem kind, or the number of
/// the event an undo takes back; `undone` is true for an event an undo took back.
pub fn write_events_rows<W: Write>(csv: &mut CsvWriter<W>, session: &Session) -> io::Result<()> {
    for row in super::rows::event_rows(session) {
        csv.row(&[
            session.header.id.as_str(),
            &row.seq.to_string(),
            &row.at_ms.to_string(),
            &time(session, row.at_ms),
            row.kind,
            &row.step,
            &row.detail,
            &row.delta.map(|d| d.to_string()).unwrap_or_default(),
            row.text.unwrap_or(""),
            if row.undone { "true" } else { "false" },
        ])?;
    }
    Ok(())
}

/// One row per observed step occurrence (undo applied), in start order. `label` is the
/// pathway's label for a planned step (when the pathway is known) or the auditor's label
/// for an unplanned one.
pub fn write_steps_rows<W: Write>(
    csv: &mut CsvWriter<W>,
    session: &Session,
    pathway: Option<&Pathway>,
) -> io::Result<()> {
    let timeline = derive_timeline(&session.events);
    for (index, step) in timeline.steps.iter().enumerate() {
        let label = match &step.unplanned_label {
            Some(label) => label.as_str(),
            None => pathway
                .and_then(|p| p.step(&step.step))
                .map_or("", |s| s.label.as_str()),
        };
        let ended_by = match step.ended_by {
            StepEnding::NextStep => "next_step",
            StepEnding::StepEnd => "step_end",
            StepEnding::SessionEnd => "session_end",
        };
        csv.row(&[
            session.header.id.as_str(),
            &(index + 1).to_string(),
            &step.step,
            label,
            if step.is_unplanned() { "true" } else { "false" },
            &time(session, step.start_ms),
            &time(session, step.end_ms),
            ended_by,
            &secs(step.active_ms),
            &secs(step.interrupted_ms),
            &secs(step.paused_ms),
            &step.counts.clicks.to_string(),
            &step.counts.screens.to_string(),
            &step.counts.reentries.to_string(),
            &step.interruptions.len().to_string(),
            &step.workarounds.len().to_string(),
            &step.problems.len().to_string(),
        ])?;
    }
    Ok(())
}

/// The events table of one session. Redact the session first if asked.
pub fn write_events_csv<W: Write>(out: W, session: &Session) -> io::Result<W> {
    let mut csv = CsvWriter::new(out, &EVENT_COLUMNS, LineEnd::Crlf)?;
    write_events_rows(&mut csv, session)?;
    csv.finish()
}

/// The steps table of one session. Redact the session first if asked.
pub fn write_steps_csv<W: Write>(
    out: W,
    session: &Session,
    pathway: Option<&Pathway>,
) -> io::Result<W> {
    let mut csv = CsvWriter::new(out, &STEP_COLUMNS, LineEnd::Crlf)?;
    write_steps_rows(&mut csv, session, pathway)?;
    csv.finish()
}

/// Splits CSV text into rows of fields, with the `csv` crate: for tests and for tools that
/// read our tables back.
pub fn parse(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| {
            let record = record.expect("CSV this crate wrote");
            record.iter().map(str::to_string).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::resolve_pathway;
    use crate::report::export::fixture;

    /// One cell as it stands on the wire (in a row with a second cell, as in every table).
    fn field(value: &str) -> String {
        let mut csv = CsvWriter::new(Vec::new(), &["cell", "next"], LineEnd::Lf).unwrap();
        csv.row(&[value, "x"]).unwrap();
        let text = String::from_utf8(csv.finish().unwrap()).unwrap();
        let row = text.strip_prefix("cell,next\n").unwrap();
        row.strip_suffix(",x\n").unwrap().to_string()
    }

    fn events_csv() -> String {
        String::from_utf8(write_events_csv(Vec::new(), &fixture::session()).unwrap()).unwrap()
    }

    #[test]
    fn fields_are_quoted_when_they_must_be() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("one\ntwo"), "\"one\ntwo\"");
        assert_eq!(field("cr\rhere"), "\"cr\rhere\"");
        // Edge spaces are data (RFC 4180): kept, and no longer quoted.
        assert_eq!(field(" padded "), " padded ");
        assert_eq!(field(""), "");
    }

    #[test]
    fn formula_cells_are_neutralised_and_numbers_kept() {
        assert_eq!(
            field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(field("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(field("-2+3"), "'-2+3");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("- called pharmacy"), "'- called pharmacy");
        assert_eq!(field("-1"), "-1");
        assert_eq!(field("-0.250"), "-0.250");
        assert_eq!(field("a=b"), "a=b");
    }

    #[test]
    fn events_table_has_the_documented_columns_and_a_row_per_event() {
        let text = events_csv();
        assert!(text.starts_with("session,seq,at_ms,time,kind,step,detail,delta,text,undone\r\n"));
        let rows = parse(&text);
        assert_eq!(rows[0], EVENT_COLUMNS);
        let session = fixture::session();
        assert_eq!(rows.len(), 1 + session.events.len());
        assert!(rows.iter().all(|r| r.len() == EVENT_COLUMNS.len()));
        // seq 2: a click on open-chart.
        assert_eq!(
            rows[2],
            [
                "20261125-0918-north-RN-07",
                "2",
                "2000",
                "2026-11-25T09:18:02.000+01:00",
                "clicks",
                "open-chart",
                "",
                "1",
                "",
                "false"
            ]
        );
        // The undone `sign` (seq 10) and the undo (seq 11).
        assert_eq!(rows[10][4..], ["step_start", "sign", "", "", "", "true"]);
        assert_eq!(
            rows[11][4..],
            ["undo", "review-allergies", "10", "", "", "false"]
        );
        // After the undo, the workaround is logged on ask-patient, with its note intact.
        assert_eq!(
            rows[13][4..],
            [
                "workaround",
                "ask-patient",
                "paper_note",
                "",
                "wrote dose, then\n\"copied\" it",
                "false"
            ]
        );
        assert_eq!(rows[6][6], "phone_pager");
        assert_eq!(rows[6][8], "pager, \"urgent\" <bay 4> & co");
        // Quoting on the wire.
        assert!(text.contains(",\"wrote dose, then\n\"\"copied\"\" it\",false\r\n"));
    }

    #[test]
    fn steps_table_has_the_documented_columns_and_a_row_per_step() {
        let session = fixture::session();
        let (pathway, _) = resolve_pathway("med-rec-admission").unwrap();
        let text =
            String::from_utf8(write_steps_csv(Vec::new(), &session, Some(&pathway)).unwrap())
                .unwrap();
        let rows = parse(&text);
        assert_eq!(rows[0], STEP_COLUMNS);
        assert_eq!(rows.len(), 1 + session.timeline().steps.len());
        assert_eq!(
            rows[1],
            [
                "20261125-0918-north-RN-07",
                "1",
                "open-chart",
                "Open the patient's chart",
                "false",
                "2026-11-25T09:18:01.000+01:00",
                "2026-11-25T09:18:20.000+01:00",
                "next_step",
                "15.000",
                "4.000",
                "0.000",
                "2",
                "1",
                "0",
                "2",
                "0",
                "0"
            ]
        );
        // ask-patient: 75 s span, paused 60 s, 5 s of an EHR alert, one workaround.
        assert_eq!(rows[3][2], "ask-patient");
        assert_eq!(rows[3][8..11], ["10.000", "5.000", "60.000"]);
        assert_eq!(rows[3][15], "1");
        // The unplanned step keeps its label, comma and all.
        assert_eq!(
            rows[5][2..5],
            ["call-pharmacy", "Call the pharmacy, again", "true"]
        );
        assert!(text.contains(",\"Call the pharmacy, again\",true,"));
        // The zero-length occurrence.
        assert_eq!(rows[6][5], rows[6][6]);
        assert_eq!(rows[7][7], "step_end");
        assert_eq!(rows[8][7], "session_end");
    }

    #[test]
    fn parse_reads_back_what_field_writes() {
        let values = ["a", "b,c", "d\"e", "f\r\ng", "", " h "];
        let mut csv =
            CsvWriter::new(Vec::new(), &["1", "2", "3", "4", "5", "6"], LineEnd::Crlf).unwrap();
        csv.row(&values).unwrap();
        let text = String::from_utf8(csv.finish().unwrap()).unwrap();
        assert_eq!(parse(&text)[1], values);
    }
}
