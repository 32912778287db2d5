//! The readable comparison tables printed by `stormguard simulate`.
//!
//! Why plain text with fixed columns: the table is the first thing a
//! newcomer reads, in a terminal or pasted into an issue; each column has a
//! one-line legend under the table.

use std::fmt::Write;

use stormguard::sim::{OccReport, StormReport, Totals};

/// A table: header rows and body rows of cells, first column left-aligned.
struct Table {
    rows: Vec<Vec<String>>,
    header_rows: usize,
}

impl Table {
    fn render(&self) -> String {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(c))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for (index, row) in self.rows.iter().enumerate() {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                let width = widths.get(c).copied().unwrap_or(0);
                if c == 0 {
                    let _ = write!(line, "{cell:<width$}");
                } else {
                    let _ = write!(line, "  {cell:>width$}");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if index + 1 == self.header_rows {
                let total: usize = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
                out.push_str(&"─".repeat(total));
                out.push('\n');
            }
        }
        out
    }
}

fn cells(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn ms(value: Option<f64>) -> String {
    match value {
        None => "–".to_owned(),
        Some(v) if v >= 10_000.0 => format!("{:.0} s", v / 1e3),
        Some(v) if v >= 1_000.0 => format!("{:.1} s", v / 1e3),
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}

fn count(value: u64) -> String {
    match value {
        v if v >= 10_000_000 => format!("{:.1} M", v as f64 / 1e6),
        v if v >= 100_000 => format!("{:.0} k", v as f64 / 1e3),
        v => v.to_string(),
    }
}

fn times(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}×")
    } else {
        format!("{value:.2}×")
    }
}

fn recovery(totals: &Totals, has_outage: bool) -> String {
    match (has_outage, totals.recovery_s) {
        (false, _) => "–".to_owned(),
        (true, None) => "never".to_owned(),
        (true, Some(s)) => format!("{s:.0} s"),
    }
}

/// The storm comparison table with its header and legend.
pub(crate) fn storm(report: &StormReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "stormguard simulate — scenario `{}`, seed {}",
        report.name, report.seed
    );
    if !report.description.is_empty() {
        let _ = writeln!(out, "{}", report.description);
    }
    let outage = match report.outage {
        Some(w) => format!("failing {:.0} s → {:.0} s", w.from_s, w.to_s),
        None => "never failing".to_owned(),
    };
    let _ = writeln!(
        out,
        "server {:.0} req/s capacity, {outage}; {} clients{}; {:.0} s simulated\n",
        report.capacity_rps,
        report.clients,
        if report.layers > 1 {
            format!(" behind {} layers that each retry", report.layers)
        } else {
            String::new()
        },
        report.duration_s,
    );
    let layered = report.layers > 1;
    let mut head1 = cells(&[
        "policy",
        "requests",
        "attempts",
        "amplif.",
        "peak load",
        "success",
        "goodput",
        "p50",
        "p99",
        "back ≥99%",
    ]);
    let mut head2 = cells(&[
        "",
        "",
        "",
        "in outage",
        "after",
        "",
        "req/s",
        "ms",
        "ms",
        "after",
    ]);
    if report.one_shot {
        head1.push("all done".to_owned());
        head2.push("after".to_owned());
    }
    if layered {
        head1.insert(4, "attempts/req".to_owned());
        head2.insert(4, "per layer".to_owned());
    }
    let mut rows = vec![head1, head2];
    for fleet in &report.fleets {
        let t = &fleet.totals;
        let amplification = t.outage_amplification.unwrap_or(t.amplification);
        let mut row = vec![
            fleet.name.clone(),
            count(t.offered),
            count(t.attempts),
            times(amplification),
            t.peak_after_recovery_load.map_or("–".to_owned(), times),
            format!("{:.1} %", t.success_rate * 100.0),
            format!("{:.0}", t.goodput_rps),
            ms(t.p50_ms),
            ms(t.p99_ms),
            recovery(t, report.outage.is_some()),
        ];
        if report.one_shot {
            let back = report.outage.map_or(0.0, |w| w.to_s);
            row.push(match (t.unfinished, t.last_end_s) {
                (0, Some(end)) => format!("{:.1} s", (end - back).max(0.0)),
                _ => "never".to_owned(),
            });
        }
        if layered {
            let per_request: Vec<String> = t
                .attempts_per_layer
                .iter()
                .map(|&a| {
                    format!(
                        "{:.1}",
                        if t.offered == 0 {
                            0.0
                        } else {
                            a as f64 / t.offered as f64
                        }
                    )
                })
                .collect();
            row.insert(4, per_request.join(" / "));
        }
        rows.push(row);
    }
    out.push_str(
        &Table {
            rows,
            header_rows: 2,
        }
        .render(),
    );
    out.push_str(
        "\nrequests   operations the clients started; attempts: what reached the server\n\
         amplif.    attempts per request while the server was failing (no retries = 1×;\n           \
         below 1× when an open breaker fails requests without sending them)\n\
         peak load  busiest second after the server came back, × its capacity\n\
         success    requests that succeeded, over those that ended; goodput: successes per second\n\
         p50, p99   time from a request's start to its success, retries and waits included\n\
         back ≥99%  from the server's recovery until every later second has ≥ 99 % success\n",
    );
    if report.one_shot {
        out.push_str("all done   from the server's recovery until the last client finished (connected or gave up)\n");
    }
    if layered {
        out.push_str("per layer  attempts per request at each layer, top first (the last reach the server)\n");
    }
    out
}

/// The OCC table: calls and completion time per jitter and client count.
pub(crate) fn occ(report: &OccReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "stormguard simulate — scenario `{}`, seed {}, {} runs per point",
        report.name, report.seed, report.runs
    );
    if !report.description.is_empty() {
        let _ = writeln!(out, "{}", report.description);
    }
    out.push('\n');
    let mut head1 = vec!["clients".to_owned()];
    let mut head2 = vec![String::new()];
    for name in &report.variants {
        head1.push(format!("calls: {name}"));
        head2.push(String::new());
    }
    for name in &report.variants {
        head1.push(format!("time ms: {name}"));
        head2.push(String::new());
    }
    let mut rows = vec![head1];
    let _ = head2;
    for point in &report.points {
        let mut row = vec![point.clients.to_string()];
        row.extend(point.results.iter().map(|r| format!("{:.0}", r.calls)));
        row.extend(
            point
                .results
                .iter()
                .map(|r| format!("{:.0}", r.completion_ms)),
        );
        rows.push(row);
    }
    out.push_str(
        &Table {
            rows,
            header_rows: 1,
        }
        .render(),
    );
    out.push_str(
        "\ncalls  writes the server handled per run (the work done), averaged over the runs\n\
         time   until the last client's write succeeded, in virtual ms, averaged\n",
    );
    out
}
