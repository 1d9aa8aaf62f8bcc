//! What the benchmarks measure besides wall time, from /proc (Linux): peak memory and CPU
//! time; and percentiles of measured times.

use std::time::Duration;

use crate::report::stats::quantile;

/// The `q` quantile of measured times: [`quantile`] over seconds.
pub fn percentile(times: &[Duration], q: f64) -> Duration {
    let mut secs: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
    Duration::from_secs_f64(quantile(&mut secs, q).unwrap_or(0.0))
}

/// This process's peak resident memory (VmHWM) in KiB, from /proc/self/status.
pub fn vm_hwm_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// CPU seconds (user + system) this process has used, from /proc/self/stat.
pub fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// CPU time this thread has used (`CLOCK_THREAD_CPUTIME_ID`): unlike the wall clock, it leaves
/// out the time other programs on a shared machine held the CPU, so a short timed piece of work
/// can be told apart from the preemption around it.
pub fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a pointer to a timespec this function owns.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    if status != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}
