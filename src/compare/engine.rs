//! The comparator's engine for many traces: what `compare`, `report` and every command that
//! compares many sessions or traces against one pathway should call.
//!
//! - **One compile**: [`Engine::new`] compiles the pathway once; the engine is `Sync`, so worker
//!   threads share it.
//! - **Each variant aligned once**: the alignment depends only on the sequence of steps, so
//!   traces with the same sequence share one (a variant cache keyed by the sequence). The
//!   explanations, friction and figures are still made per trace, since they depend on times,
//!   counts and labels. The output is the same with the cache as without it
//!   ([`Engine::without_variant_cache`], tested).
//! - **A bound on the work**: an alignment that would run too long or hold too much memory is
//!   refused before it starts ([`TooMuchWork`], naming the trace in [`TraceError`]).
//! - **Every core, input order**: [`Engine::compare_in_order`] reads traces on the calling
//!   thread, compares and renders them on workers, and hands each rendered result to a sink in
//!   input order, at most [`WINDOW`] traces ahead, so memory stays flat however long the log is.
//!   One thread or many give the same results in the same order (tested byte for byte).
//!
//! ```no_run
//! # use shadowmap::compare::{engine::{Engine, Trace}, ObservedStep};
//! # let pathway = shadowmap::model::pathway::builtin_pathways().remove(0);
//! # let traces: Vec<Trace> = Vec::new();
//! let engine = Engine::new(&pathway).expect("pathways are checked when loaded");
//! let mut fitness = Vec::new();
//! engine.compare_in_order(
//!     traces.into_iter().map(Ok::<_, std::io::Error>),
//!     0, // one worker per core
//!     |result| result.map(|c| c.fitness),
//!     |fit| {
//!         fitness.push(fit);
//!         Ok(())
//!     },
//! )?;
//! # Ok::<(), std::io::Error>(())
//! ```

use std::collections::BTreeMap;

use foldhash::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use super::model::{RawMove, TooMuchWork};
use super::{Comparison, CompileError, Model, ObservedStep, explain, observed_steps};
use crate::model::{Pathway, Timeline};

/// How many traces may be in flight (read but not yet handed to the sink).
pub const WINDOW: usize = 2048;

/// How many traces go to a worker at a time: one at a time, handing them over cost more than
/// comparing them once most sequences are in the variant cache.
const BATCH: usize = 128;

/// The most moves the variant cache holds; later new sequences are aligned but not kept (they
/// are still counted). About 16 MB.
const CACHE_MOVES: usize = 1 << 20;

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// One trace to compare: its case id and observed steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub case_id: String,
    pub observed: Vec<ObservedStep>,
}

/// A trace the engine refused to align, named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("trace `{case_id}`: {error}")]
pub struct TraceError {
    pub case_id: String,
    pub error: TooMuchWork,
}

type Alignment = Arc<(u32, Vec<RawMove>)>;

#[derive(Default)]
struct VariantCache {
    /// Every distinct sequence seen; `None` once the cache is full.
    alignments: HashMap<Vec<Option<u32>>, Option<Alignment>>,
    moves: usize,
}

/// A pathway compiled once, with its variant cache; see the module documentation.
pub struct Engine {
    pathway: Pathway,
    model: Model,
    cache: Option<Mutex<VariantCache>>,
    aligned: AtomicUsize,
}

impl Engine {
    pub fn new(pathway: &Pathway) -> Result<Engine, CompileError> {
        Ok(Engine {
            pathway: pathway.clone(),
            model: Model::compile(pathway)?,
            cache: Some(Mutex::new(VariantCache::default())),
            aligned: AtomicUsize::new(0),
        })
    }

    /// The same engine aligning every trace afresh (what the cache must not change).
    pub fn without_variant_cache(mut self) -> Engine {
        self.cache = None;
        self
    }

    pub fn pathway(&self) -> &Pathway {
        &self.pathway
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Distinct step sequences seen so far (with the cache off: traces aligned).
    pub fn distinct_sequences(&self) -> usize {
        match &self.cache {
            Some(cache) => cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .alignments
                .len(),
            None => self.aligned.load(Ordering::Relaxed),
        }
    }

    fn align(&self, labels: Vec<Option<u32>>) -> Result<Alignment, TooMuchWork> {
        let Some(cache) = &self.cache else {
            self.model.check_work(labels.len())?;
            self.aligned.fetch_add(1, Ordering::Relaxed);
            return Ok(Arc::new(self.model.align(&labels)));
        };
        if let Some(Some(hit)) = cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .alignments
            .get(&labels)
        {
            return Ok(hit.clone());
        }
        self.model.check_work(labels.len())?;
        // Two workers may align the same new sequence at once: the results are equal.
        let aligned = Arc::new(self.model.align(&labels));
        let mut cache = cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let keep = cache.moves + aligned.1.len() <= CACHE_MOVES;
        if keep {
            cache.moves += aligned.1.len();
        }
        cache
            .alignments
            .entry(labels)
            .or_insert_with(|| keep.then(|| aligned.clone()));
        Ok(aligned)
    }

    /// One trace against the pathway: alignment and explained deviations (no friction).
    pub fn compare(
        &self,
        case_id: &str,
        observed: &[ObservedStep],
    ) -> Result<Comparison, TooMuchWork> {
        self.compare_owned(case_id, observed.to_vec())
    }

    /// [`Engine::compare`] taking the observed steps (the comparison keeps them).
    pub fn compare_owned(
        &self,
        case_id: &str,
        observed: Vec<ObservedStep>,
    ) -> Result<Comparison, TooMuchWork> {
        let labels = observed.iter().map(|o| self.model.label(&o.step)).collect();
        let alignment = self.align(labels)?;
        let (cost, raw) = &*alignment;
        Ok(explain::explain(
            case_id,
            observed,
            &self.pathway,
            &self.model,
            *cost,
            raw,
        ))
    }

    /// A session's derived timeline against the pathway: alignment, deviations, friction and
    /// session figures.
    pub fn compare_timeline(
        &self,
        case_id: &str,
        timeline: &Timeline,
    ) -> Result<Comparison, TooMuchWork> {
        let mut comparison = self.compare_owned(case_id, observed_steps(timeline))?;
        explain::add_friction(&mut comparison, timeline, &self.pathway);
        Ok(comparison)
    }

    /// Compares `traces` on `threads` workers (0: one per core; 1: on the calling thread) and
    /// hands `finish(result)` of each trace to `sink` in input order. `finish` runs on the
    /// workers: put the per-trace rendering there; traces go to them `BATCH` (128) at a time. The
    /// first error of `traces` is returned once every trace before it went to the sink; the
    /// first error of `sink` stops the run at once and is returned.
    pub fn compare_in_order<T, E, I, F, S>(
        &self,
        traces: I,
        threads: usize,
        finish: F,
        mut sink: S,
    ) -> Result<(), E>
    where
        I: Iterator<Item = Result<Trace, E>>,
        T: Send,
        F: Fn(Result<Comparison, TraceError>) -> T + Sync,
        S: FnMut(T) -> Result<(), E>,
    {
        let compare = |trace: Trace| {
            finish(
                self.compare_owned(&trace.case_id, trace.observed)
                    .map_err(|error| TraceError {
                        case_id: trace.case_id,
                        error,
                    }),
            )
        };
        if threads == 1 || (threads == 0 && cores() == 1) {
            for trace in traces {
                sink(compare(trace?))?;
            }
            return Ok(());
        }
        let (work_tx, work_rx) = mpsc::channel::<(usize, Vec<Trace>)>();
        let (done_tx, done_rx) = mpsc::channel::<(usize, Vec<T>)>();
        let work_rx = Mutex::new(work_rx);
        std::thread::scope(|scope| {
            let workers = if threads == 0 { cores() } else { threads };
            for _ in 0..workers {
                let (work_rx, done_tx, compare) = (&work_rx, done_tx.clone(), &compare);
                scope.spawn(move || {
                    loop {
                        let next = work_rx
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .recv();
                        let Ok((i, batch)) = next else { break };
                        let results = batch.into_iter().map(compare).collect();
                        if done_tx.send((i, results)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(done_tx);
            // Batches are numbered in input order; `written` batches went to the sink.
            let mut pending: BTreeMap<usize, Vec<T>> = BTreeMap::new();
            let (mut sent, mut written) = (0usize, 0usize);
            let mut flush = |pending: &mut BTreeMap<usize, Vec<T>>, written: &mut usize| {
                while let Some(results) = pending.remove(written) {
                    for result in results {
                        sink(result)?;
                    }
                    *written += 1;
                }
                Ok(())
            };
            let run = (|| {
                let mut batch = Vec::with_capacity(BATCH);
                let mut failed = None;
                let mut traces = traces;
                loop {
                    let end = match traces.next() {
                        Some(Ok(trace)) => {
                            batch.push(trace);
                            false
                        }
                        Some(Err(e)) => {
                            failed = Some(e);
                            true
                        }
                        None => true,
                    };
                    if batch.len() == BATCH || (end && !batch.is_empty()) {
                        while sent - written >= WINDOW / BATCH {
                            let Ok((i, results)) = done_rx.recv() else {
                                break;
                            };
                            pending.insert(i, results);
                            flush(&mut pending, &mut written)?;
                        }
                        // The workers only stop once this sender is dropped.
                        let _ = work_tx.send((
                            sent,
                            std::mem::replace(&mut batch, Vec::with_capacity(BATCH)),
                        ));
                        sent += 1;
                        while let Ok((i, results)) = done_rx.try_recv() {
                            pending.insert(i, results);
                        }
                        flush(&mut pending, &mut written)?;
                    }
                    if end {
                        break;
                    }
                }
                drop(work_tx);
                // The traces before a bad one are all written before its error is returned.
                for (i, results) in &done_rx {
                    pending.insert(i, results);
                    flush(&mut pending, &mut written)?;
                }
                failed.map_or(Ok(()), Err)
            })();
            // On an early error the workers end when the work channel closes (dropped with the
            // closure) and their sends fail once `done_rx` is dropped here.
            drop(done_rx);
            run
        })
    }
}
