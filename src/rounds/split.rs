//! How sessions are split into rounds: by the folder given, by pathway version, or by cut
//! dates.

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// Each PATH argument is a round, named by its folder.
    Folder,
    /// Each pathway version is a round (`v3`).
    Version,
    /// Cut dates, ascending: the sessions before the first, between each pair, and from the
    /// last on, by the session's own start date.
    Dates(Vec<NaiveDate>),
}

impl std::str::FromStr for Split {
    type Err = String;

    fn from_str(text: &str) -> Result<Split, String> {
        match text.trim() {
            "folder" => Ok(Split::Folder),
            "version" => Ok(Split::Version),
            other => {
                let Some(dates) = other.strip_prefix("date:") else {
                    return Err(format!(
                        "unknown split `{other}`: use folder, version or date:YYYY-MM-DD[,YYYY-MM-DD...]"
                    ));
                };
                let mut cuts = Vec::new();
                for part in dates.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let date = NaiveDate::parse_from_str(part, "%Y-%m-%d")
                        .map_err(|e| format!("cut date `{part}` is not a date YYYY-MM-DD ({e})"))?;
                    cuts.push(date);
                }
                if cuts.is_empty() {
                    return Err("date: needs at least one cut date, e.g. date:2026-03-01".into());
                }
                cuts.sort();
                cuts.dedup();
                Ok(Split::Dates(cuts))
            }
        }
    }
}

impl Split {
    /// The form it was given in.
    pub fn describe(&self) -> String {
        match self {
            Split::Folder => "folder".into(),
            Split::Version => "version".into(),
            Split::Dates(cuts) => format!(
                "date:{}",
                cuts.iter()
                    .map(NaiveDate::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    /// The round (order, name) of a session started on `date`; only for [`Split::Dates`].
    pub fn date_round(cuts: &[NaiveDate], date: NaiveDate) -> (u64, String) {
        let index = cuts.partition_point(|cut| *cut <= date);
        let name = if index == 0 {
            format!("before {}", cuts[0])
        } else if index == cuts.len() {
            format!("from {}", cuts[index - 1])
        } else {
            format!("{} to {}", cuts[index - 1], cuts[index])
        };
        (index as u64, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_split_at_each_cut() {
        let split: Split = "date:2026-04-01,2026-03-01".parse().unwrap();
        let Split::Dates(cuts) = &split else {
            panic!("{split:?}")
        };
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            Split::date_round(cuts, day("2026-02-28")),
            (0, "before 2026-03-01".into())
        );
        assert_eq!(
            Split::date_round(cuts, day("2026-03-01")),
            (1, "2026-03-01 to 2026-04-01".into())
        );
        assert_eq!(
            Split::date_round(cuts, day("2026-04-01")),
            (2, "from 2026-04-01".into())
        );
        assert_eq!(split.describe(), "date:2026-03-01,2026-04-01");
    }

    #[test]
    fn bad_splits_say_what_to_write() {
        assert!(
            "weekly"
                .parse::<Split>()
                .unwrap_err()
                .contains("folder, version")
        );
        assert!(
            "date:2026-13-01"
                .parse::<Split>()
                .unwrap_err()
                .contains("2026-13-01")
        );
        assert!("date:".parse::<Split>().is_err());
    }
}
