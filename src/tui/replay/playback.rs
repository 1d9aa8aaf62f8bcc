//! The playback clock of a replay: where the playhead is (session milliseconds), how fast it
//! moves, whether it moves, and which stretch of the session the timeline shows. Pure: the
//! caller passes the clock reading (`now_ms`, any monotonic origin), so tests use fixed times.

/// The playback speeds, slowest first: 1x is real time.
pub const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 60];

/// The narrowest time window zooming in can reach.
pub const MIN_WINDOW_MS: u64 = 30_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Playback {
    /// The playhead, in milliseconds since the session start.
    pub position_ms: u64,
    /// The session's end: the playhead never goes past it.
    pub end_ms: u64,
    pub speed_index: usize,
    pub playing: bool,
    /// The clock reading up to which `position_ms` has been advanced (while playing).
    clock_ms: Option<u64>,
    /// 0 shows the whole session; each level halves the window.
    pub zoom: u32,
}

impl Playback {
    pub fn new(end_ms: u64) -> Playback {
        Playback {
            position_ms: 0,
            end_ms,
            speed_index: 0,
            playing: false,
            clock_ms: None,
            zoom: 0,
        }
    }

    pub fn speed(&self) -> u32 {
        SPEEDS[self.speed_index]
    }

    /// Brings the playhead up to the clock: while playing it moves `speed` session
    /// milliseconds per clock millisecond, and stops at the end.
    pub fn advance(&mut self, now_ms: u64) {
        if self.playing {
            let last = self.clock_ms.unwrap_or(now_ms);
            let elapsed = now_ms.saturating_sub(last);
            let moved = elapsed.saturating_mul(u64::from(self.speed()));
            self.position_ms = self.position_ms.saturating_add(moved).min(self.end_ms);
            if self.position_ms >= self.end_ms {
                self.playing = false;
            }
        }
        self.clock_ms = Some(now_ms);
    }

    /// Play or pause. Playing from the end starts again from the beginning.
    pub fn toggle(&mut self, now_ms: u64) {
        self.advance(now_ms);
        if self.playing {
            self.playing = false;
        } else {
            if self.position_ms >= self.end_ms {
                self.position_ms = 0;
            }
            self.playing = self.end_ms > 0;
        }
    }

    pub fn faster(&mut self, now_ms: u64) {
        self.advance(now_ms);
        self.speed_index = (self.speed_index + 1).min(SPEEDS.len() - 1);
    }

    pub fn slower(&mut self, now_ms: u64) {
        self.advance(now_ms);
        self.speed_index = self.speed_index.saturating_sub(1);
    }

    /// Moves the playhead to `at_ms`, clamped to the session.
    pub fn seek_to(&mut self, at_ms: u64, now_ms: u64) {
        self.advance(now_ms);
        self.position_ms = at_ms.min(self.end_ms);
        if self.position_ms >= self.end_ms {
            self.playing = false;
        }
    }

    /// Moves the playhead by `delta_ms` (negative: back), clamped to the session.
    pub fn seek_by(&mut self, delta_ms: i64, now_ms: u64) {
        self.advance(now_ms);
        let target = self.position_ms.saturating_add_signed(delta_ms);
        self.seek_to(target, now_ms);
    }

    /// The deepest zoom level: the one whose window is still at least [`MIN_WINDOW_MS`].
    pub fn max_zoom(&self) -> u32 {
        let mut level = 0;
        while level < 30 && (self.end_ms >> (level + 1)) >= MIN_WINDOW_MS {
            level += 1;
        }
        level
    }

    pub fn zoom_in(&mut self) {
        self.zoom = (self.zoom + 1).min(self.max_zoom());
    }

    pub fn zoom_out(&mut self) {
        self.zoom = self.zoom.saturating_sub(1);
    }

    pub fn zoom_reset(&mut self) {
        self.zoom = 0;
    }

    /// The factor the timeline is magnified by: 1, 2, 4, ...
    pub fn zoom_factor(&self) -> u64 {
        1 << self.zoom
    }

    /// The stretch of the session the timeline shows, `[start, end)` in session ms: the
    /// whole session at zoom 0; else a window of `end / 2^zoom` centred on the playhead and
    /// kept inside the session.
    pub fn window(&self) -> (u64, u64) {
        let total = self.end_ms.max(1);
        if self.zoom == 0 {
            return (0, total);
        }
        let width = (total >> self.zoom).max(MIN_WINDOW_MS.min(total));
        let start = self
            .position_ms
            .saturating_sub(width / 2)
            .min(total - width);
        (start, start + width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playing_moves_the_playhead_at_the_speed() {
        let mut p = Playback::new(600_000);
        p.toggle(1_000);
        assert!(p.playing);
        p.advance(3_500);
        assert_eq!(p.position_ms, 2_500);
        p.faster(3_500);
        assert_eq!(p.speed(), 2);
        p.advance(4_500);
        assert_eq!(p.position_ms, 4_500);
        p.toggle(5_000);
        assert!(!p.playing);
        assert_eq!(p.position_ms, 5_500);
        // Paused: the clock moves, the playhead does not, and no jump when playing again.
        p.advance(60_000);
        assert_eq!(p.position_ms, 5_500);
        p.toggle(60_000);
        p.advance(60_100);
        assert_eq!(p.position_ms, 5_700);
    }

    #[test]
    fn speeds_run_from_1x_to_60x_and_stay_there() {
        let mut p = Playback::new(10_000_000);
        p.slower(0);
        assert_eq!(p.speed(), 1);
        for _ in 0..10 {
            p.faster(0);
        }
        assert_eq!(p.speed(), 60);
        p.toggle(0);
        p.advance(1_000);
        assert_eq!(p.position_ms, 60_000);
    }

    #[test]
    fn playing_stops_at_the_end_and_restarts_from_the_beginning() {
        let mut p = Playback::new(10_000);
        p.speed_index = SPEEDS.len() - 1;
        p.toggle(0);
        p.advance(1_000);
        assert_eq!(p.position_ms, 10_000);
        assert!(!p.playing);
        p.toggle(2_000);
        assert!(p.playing);
        assert_eq!(p.position_ms, 0);
    }

    #[test]
    fn seeking_is_clamped_to_the_session() {
        let mut p = Playback::new(120_000);
        p.seek_by(-10_000, 0);
        assert_eq!(p.position_ms, 0);
        p.seek_by(60_000, 0);
        assert_eq!(p.position_ms, 60_000);
        p.seek_by(-10_000, 0);
        assert_eq!(p.position_ms, 50_000);
        p.seek_by(600_000, 0);
        assert_eq!(p.position_ms, 120_000);
        p.seek_to(5_000, 0);
        assert_eq!(p.position_ms, 5_000);
        p.seek_to(u64::MAX, 0);
        assert_eq!(p.position_ms, 120_000);
    }

    #[test]
    fn seeking_while_playing_keeps_playing_from_the_new_place() {
        let mut p = Playback::new(600_000);
        p.toggle(0);
        p.advance(1_000);
        p.seek_to(100_000, 2_000);
        assert_eq!(p.position_ms, 100_000);
        assert!(p.playing);
        p.advance(2_500);
        assert_eq!(p.position_ms, 100_500);
    }

    #[test]
    fn zoom_halves_the_window_around_the_playhead_within_the_session() {
        let mut p = Playback::new(480_000);
        assert_eq!(p.window(), (0, 480_000));
        assert_eq!(p.max_zoom(), 4); // 480 s / 16 = 30 s
        p.seek_to(240_000, 0);
        p.zoom_in();
        assert_eq!(p.window(), (120_000, 360_000));
        p.zoom_in();
        assert_eq!(p.zoom_factor(), 4);
        assert_eq!(p.window(), (180_000, 300_000));
        // Near the start the window stays inside the session.
        p.seek_to(10_000, 0);
        assert_eq!(p.window(), (0, 120_000));
        p.seek_to(479_000, 0);
        assert_eq!(p.window(), (360_000, 480_000));
        for _ in 0..10 {
            p.zoom_in();
        }
        assert_eq!(p.zoom, 4);
        assert_eq!(p.window().1 - p.window().0, 30_000);
        p.zoom_out();
        assert_eq!(p.zoom, 3);
        p.zoom_reset();
        assert_eq!(p.window(), (0, 480_000));
        for _ in 0..3 {
            p.zoom_out();
        }
        assert_eq!(p.zoom, 0);
    }

    #[test]
    fn short_and_empty_sessions_do_not_zoom_or_divide_by_zero() {
        let mut p = Playback::new(20_000);
        p.zoom_in();
        assert_eq!(p.zoom, 0);
        assert_eq!(p.window(), (0, 20_000));
        let mut empty = Playback::new(0);
        empty.toggle(0);
        assert!(!empty.playing);
        assert_eq!(empty.window(), (0, 1));
    }
}
