//! Hand-written SVG charts.
//!
//! Why by hand: two chart shapes (small multiples of a time series; lines
//! over client counts) do not justify a plotting library, and plain SVG
//! opens in any browser and renders on GitHub.
//!
//! Storm chart: one panel per fleet, same scales everywhere. Red area:
//! attempts per second reaching the server (its load); dashed black:
//! capacity; grey: requests the clients offered; green: success rate
//! (right axis, 0–100 %); pink band: the outage. Loads above 4× capacity are
//! clipped and the panel says so.

use std::fmt::Write;

use stormguard::sim::{OccReport, StormReport};

const COLUMNS: usize = 3;
const PANEL_W: f64 = 330.0;
const PANEL_H: f64 = 200.0;
const PLOT_L: f64 = 46.0;
const PLOT_R: f64 = 34.0;
const PLOT_T: f64 = 34.0;
const PLOT_B: f64 = 24.0;
const LOAD_RED: &str = "#d62728";
const SUCCESS_GREEN: &str = "#2ca02c";
const PALETTE: [&str; 6] = [
    "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
];

/// The color of line `i`.
fn color(i: usize) -> &'static str {
    PALETTE.get(i % PALETTE.len()).copied().unwrap_or("black")
}

/// A panel of the OCC chart: its title and the value it plots.
type OccPanel = (&'static str, fn(&stormguard::sim::OccResult) -> f64);

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn header(out: &mut String, width: f64, height: f64) {
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="Helvetica, Arial, sans-serif" font-size="11">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, extra: &str, content: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" {extra}>{}</text>"#,
        escape(content)
    );
}

fn polyline(out: &mut String, points: &[(f64, f64)], stroke: &str, extra: &str) {
    let mut coords = String::new();
    for (x, y) in points {
        let _ = write!(coords, "{x:.1},{y:.1} ");
    }
    let _ = writeln!(
        out,
        r#"<polyline points="{}" fill="none" stroke="{stroke}" {extra}/>"#,
        coords.trim_end()
    );
}

/// A "nice" tick step for a range.
fn step(range: f64, ticks: f64) -> f64 {
    let raw = (range / ticks).max(1e-9);
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Load and success over time, one panel per fleet.
pub(crate) fn storm(report: &StormReport) -> String {
    let fleets = report.fleets.len().max(1);
    let rows = fleets.div_ceil(COLUMNS);
    let columns = fleets.min(COLUMNS);
    let width = PANEL_W * columns as f64 + 20.0;
    let height = PANEL_H * rows as f64 + 70.0;
    let mut out = String::new();
    header(&mut out, width, height);
    text(
        &mut out,
        10.0,
        20.0,
        "start",
        r#"font-size="15" font-weight="bold""#,
        &format!(
            "stormguard simulate — {} (seed {})",
            report.name, report.seed
        ),
    );
    legend_storm(&mut out, 10.0, 40.0);
    let bucket_s = report.bucket_ms / 1e3;
    let capacity = report.capacity_rps;
    let peak = report
        .fleets
        .iter()
        .flat_map(|f| f.series.iter().map(|b| b.attempts.max(b.offered)))
        .max()
        .unwrap_or(0) as f64
        / bucket_s;
    let y_max = peak.max(capacity * 1.25).min(capacity * 4.0);
    for (index, fleet) in report.fleets.iter().enumerate() {
        let x0 = 10.0 + PANEL_W * (index % COLUMNS) as f64;
        let y0 = 56.0 + PANEL_H * (index / COLUMNS) as f64;
        let plot_w = PANEL_W - PLOT_L - PLOT_R;
        let plot_h = PANEL_H - PLOT_T - PLOT_B;
        let left = x0 + PLOT_L;
        let top = y0 + PLOT_T;
        let bottom = top + plot_h;
        let x_of = |s: f64| left + plot_w * (s / report.duration_s).clamp(0.0, 1.0);
        let y_of = |rps: f64| bottom - plot_h * (rps / y_max).clamp(0.0, 1.0);
        let y_rate = |rate: f64| bottom - plot_h * rate.clamp(0.0, 1.0);
        let t = &fleet.totals;
        text(
            &mut out,
            left,
            y0 + 14.0,
            "start",
            r#"font-weight="bold" font-size="12""#,
            &fleet.name,
        );
        let recovered = match (report.outage, t.recovery_s) {
            (None, _) => String::new(),
            (Some(_), None) => ", never back ≥99%".to_owned(),
            (Some(_), Some(s)) => format!(", back ≥99% after {s:.0} s"),
        };
        let amplification = t.outage_amplification.unwrap_or(t.amplification);
        text(
            &mut out,
            left,
            y0 + 27.0,
            "start",
            r##"fill="#444""##,
            &format!("{amplification:.2}× attempts/request{recovered}"),
        );
        if let Some(w) = report.outage {
            let _ = writeln!(
                out,
                r##"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{plot_h:.1}" fill="#fbd5d5"/>"##,
                x_of(w.from_s),
                x_of(w.to_s) - x_of(w.from_s)
            );
        }
        // Load as a filled area.
        let mut area = vec![(x_of(0.0), bottom)];
        let mut offered = Vec::new();
        let mut success = Vec::new();
        for (i, bucket) in fleet.series.iter().enumerate() {
            let (a, b) = (i as f64 * bucket_s, (i + 1) as f64 * bucket_s);
            let load = bucket.attempts as f64 / bucket_s;
            area.push((x_of(a), y_of(load)));
            area.push((x_of(b), y_of(load)));
            offered.push((
                x_of(a + bucket_s / 2.0),
                y_of(bucket.offered as f64 / bucket_s),
            ));
            if let Some(rate) = bucket.success_rate() {
                success.push((x_of(a + bucket_s / 2.0), y_rate(rate)));
            }
        }
        area.push((x_of(report.duration_s), bottom));
        let mut coords = String::new();
        for (x, y) in &area {
            let _ = write!(coords, "{x:.1},{y:.1} ");
        }
        let _ = writeln!(
            out,
            r#"<polygon points="{}" fill="{LOAD_RED}" fill-opacity="0.55" stroke="{LOAD_RED}" stroke-width="0.8"/>"#,
            coords.trim_end()
        );
        polyline(&mut out, &offered, "#555", r#"stroke-width="1""#);
        let _ = writeln!(
            out,
            r#"<line x1="{left:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="black" stroke-dasharray="5,3" stroke-width="1.2"/>"#,
            left + plot_w,
            y = y_of(capacity)
        );
        polyline(&mut out, &success, SUCCESS_GREEN, r#"stroke-width="1.6""#);
        let clipped = t
            .peak_after_recovery_rps
            .unwrap_or(0.0)
            .max(fleet.series.iter().map(|b| b.attempts).max().unwrap_or(0) as f64 / bucket_s);
        if clipped > y_max {
            text(
                &mut out,
                left + plot_w - 2.0,
                top + 10.0,
                "end",
                r##"fill="#a00" stroke="white" stroke-width="3" paint-order="stroke""##,
                &format!("▲ clipped: peak {:.1}× capacity", clipped / capacity),
            );
        }
        // Frame and axes.
        let _ = writeln!(
            out,
            r##"<rect x="{left:.1}" y="{top:.1}" width="{plot_w:.1}" height="{plot_h:.1}" fill="none" stroke="#999"/>"##
        );
        let y_step = step(y_max, 4.0);
        let mut v = 0.0;
        while v <= y_max + 1e-9 {
            text(
                &mut out,
                left - 4.0,
                y_of(v) + 4.0,
                "end",
                r##"fill="#444""##,
                &format!("{v:.0}"),
            );
            v += y_step;
        }
        for (rate, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
            text(
                &mut out,
                left + plot_w + 4.0,
                y_rate(rate) + 4.0,
                "start",
                &format!(r#"fill="{SUCCESS_GREEN}""#),
                label,
            );
        }
        let x_step = step(report.duration_s, 6.0);
        let mut s = 0.0;
        while s <= report.duration_s + 1e-9 {
            text(
                &mut out,
                x_of(s),
                bottom + 13.0,
                "middle",
                r##"fill="#444""##,
                &format!("{s:.0}"),
            );
            s += x_step;
        }
        text(
            &mut out,
            left + plot_w,
            bottom + 22.0,
            "end",
            r##"fill="#777" font-size="9""##,
            "seconds",
        );
    }
    out.push_str("</svg>\n");
    out
}

fn legend_storm(out: &mut String, x: f64, y: f64) {
    let items: [(&str, &str, &str); 5] = [
        (
            "area",
            LOAD_RED,
            "attempts/s reaching the server (req/s axis)",
        ),
        ("dash", "black", "capacity"),
        ("line", "#555", "requests offered"),
        ("line", SUCCESS_GREEN, "success rate (right axis)"),
        ("band", "#fbd5d5", "outage"),
    ];
    let mut cx = x;
    for (kind, color, label) in items {
        match kind {
            "area" | "band" => {
                let _ = writeln!(
                    out,
                    r#"<rect x="{cx:.1}" y="{:.1}" width="14" height="9" fill="{color}" fill-opacity="0.7"/>"#,
                    y - 8.0
                );
            }
            "dash" => {
                let _ = writeln!(
                    out,
                    r#"<line x1="{cx:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{color}" stroke-dasharray="4,2" stroke-width="1.5"/>"#,
                    y - 4.0,
                    cx + 14.0,
                    y - 4.0
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    r#"<line x1="{cx:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{color}" stroke-width="2"/>"#,
                    y - 4.0,
                    cx + 14.0,
                    y - 4.0
                );
            }
        }
        text(out, cx + 18.0, y, "start", "", label);
        cx += 24.0 + 6.0 * label.chars().count() as f64;
    }
}

/// Calls and completion time against the number of clients, per variant.
pub(crate) fn occ(report: &OccReport) -> String {
    let (width, height) = (2.0 * PANEL_W + 60.0, 320.0);
    let mut out = String::new();
    header(&mut out, width, height);
    text(
        &mut out,
        10.0,
        20.0,
        "start",
        r#"font-size="15" font-weight="bold""#,
        &format!(
            "stormguard simulate — {} (seed {}, {} runs per point)",
            report.name, report.seed, report.runs
        ),
    );
    let mut cx = 10.0;
    for (i, name) in report.variants.iter().enumerate() {
        let color = color(i);
        let _ = writeln!(
            out,
            r#"<line x1="{cx:.1}" y1="36" x2="{:.1}" y2="36" stroke="{color}" stroke-width="2.5"/>"#,
            cx + 16.0
        );
        text(&mut out, cx + 20.0, 40.0, "start", "", name);
        cx += 34.0 + 7.0 * name.chars().count() as f64;
    }
    let max_clients = report.points.iter().map(|p| p.clients).max().unwrap_or(1) as f64;
    let panels: [OccPanel; 2] = [
        ("calls per run (work done)", |r| r.calls),
        ("completion time (s)", |r| r.completion_ms / 1e3),
    ];
    for (panel, (title, value)) in panels.iter().enumerate() {
        let left = 60.0 + panel as f64 * (PANEL_W + 30.0);
        let (top, plot_w, plot_h) = (76.0, PANEL_W - 40.0, 200.0);
        let bottom = top + plot_h;
        text(
            &mut out,
            left,
            top - 10.0,
            "start",
            r#"font-weight="bold""#,
            title,
        );
        let y_max = report
            .points
            .iter()
            .flat_map(|p| p.results.iter().map(value))
            .fold(0.0, f64::max)
            .max(1e-9);
        let y_step = step(y_max, 5.0);
        let y_top = (y_max / y_step).ceil() * y_step;
        let x_of = |c: f64| left + plot_w * c / max_clients;
        let y_of = |v: f64| bottom - plot_h * v / y_top;
        let _ = writeln!(
            out,
            r##"<rect x="{left:.1}" y="{top:.1}" width="{plot_w:.1}" height="{plot_h:.1}" fill="none" stroke="#999"/>"##
        );
        let mut v = 0.0;
        while v <= y_top + 1e-9 {
            text(
                &mut out,
                left - 4.0,
                y_of(v) + 4.0,
                "end",
                r##"fill="#444""##,
                &format!("{v}"),
            );
            v += y_step;
        }
        for point in &report.points {
            text(
                &mut out,
                x_of(f64::from(point.clients)),
                bottom + 13.0,
                "middle",
                r##"fill="#444""##,
                &point.clients.to_string(),
            );
        }
        text(
            &mut out,
            left + plot_w,
            bottom + 26.0,
            "end",
            r##"fill="#777""##,
            "clients",
        );
        for i in 0..report.variants.len() {
            let points: Vec<(f64, f64)> = report
                .points
                .iter()
                .filter_map(|p| {
                    p.results
                        .get(i)
                        .map(|r| (x_of(f64::from(p.clients)), y_of(value(r))))
                })
                .collect();
            polyline(&mut out, &points, color(i), r#"stroke-width="2""#);
        }
    }
    out.push_str("</svg>\n");
    out
}
