//! The "what the work suggests" box of the HTML report: one per pathway, written with maud
//! (escaping on by default: ids, labels and sites come from files anyone may write).

use maud::{Markup, html};

use super::Suggestion;

fn pct(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// The box: fitness before and after, each change with its evidence and gain, the file.
pub fn suggestion_box(s: &Suggestion) -> Markup {
    html! {
        section class="suggestion" {
            h3 { "What the work suggests" }
            p class="muted" { (s.pathway.description) }
            p {
                "Mean fitness " strong { (format!("{:.3}", s.before.mean_fitness)) }
                " → " strong { (format!("{:.3}", s.after.mean_fitness)) }
                "; fully fitting sessions " (pct(s.before.fitting_share))
                " → " (pct(s.after.fitting_share)) "."
            }
            @if s.changes.is_empty() {
                p { "No change: no edit shown by enough sessions raises the mean fitness enough." }
            } @else {
                ol {
                    @for c in &s.changes {
                        li {
                            (c.text) " "
                            span class="gain" { (format!("fitness {:+.3}", c.gain)) }
                            br;
                            span class="muted" {
                                "sessions: " (c.evidence.examples.join(", "))
                                @if c.evidence.sessions > c.evidence.examples.len() { ", …" }
                                "; sites: " (c.evidence.sites.join(", "))
                                "; roles: " (c.evidence.roles.join(", "))
                            }
                        }
                    }
                }
                details {
                    summary { "The revised pathway, version " (s.pathway.version) }
                    pre { (s.pathway.to_ron()) }
                }
            }
        }
    }
}
