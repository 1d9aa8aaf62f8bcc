//! Session time as every screen and output prints it: the offset from the session's start as
//! `m:ss` (`0:55`, `12:07`), or `h:mm:ss` from an hour on (`1:02:03`); with tenths of a second
//! where events are listed (`0:55.3`). One style, so that a time read on one screen can be
//! typed into another (the replay's "go to" takes `12:07` and `1:02:03`).

/// `m:ss`, or `h:mm:ss` from an hour on (seconds cut, not rounded).
pub fn format(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// [`format()`] with tenths of a second: `m:ss.t`, or `h:mm:ss.t` from an hour on.
pub fn format_tenths(ms: u64) -> String {
    format!("{}.{}", format(ms), ms % 1000 / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_seconds_then_hours_from_the_first_hour() {
        assert_eq!(format(0), "0:00");
        assert_eq!(format(55_999), "0:55");
        assert_eq!(format(727_000), "12:07");
        assert_eq!(format(3_599_999), "59:59");
        assert_eq!(format(3_600_000), "1:00:00");
        assert_eq!(format(3_723_000), "1:02:03");
        assert_eq!(format(36_000_000 * 3), "30:00:00");
    }

    #[test]
    fn tenths_are_cut_not_rounded() {
        assert_eq!(format_tenths(55_390), "0:55.3");
        assert_eq!(format_tenths(200), "0:00.2");
        assert_eq!(format_tenths(3_723_999), "1:02:03.9");
    }
}
