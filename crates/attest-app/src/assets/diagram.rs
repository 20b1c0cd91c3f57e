//! The data-flow diagram as SVG. Systems stand in one column per trust zone (external parties,
//! production, SaaS, corporate), the way a reader of a SOC 2 system description expects to see
//! boundaries; within a column they are ordered to pull connected systems level with each
//! other, so crossings stay few at fifty systems. Colours carry the classification of a system
//! and the most sensitive data a flow carries; an unencrypted flow is dashed. Every text is
//! escaped: names come from users.

use std::collections::BTreeMap;
use std::fmt::Write;

use attest_core::{Classification, DataCategory, DataFlow, System, SystemCategory};

use crate::registers::Record;

const NODE_WIDTH: f64 = 210.0;
const NODE_HEIGHT: f64 = 44.0;
const ROW_GAP: f64 = 18.0;
const COLUMN_GAP: f64 = 170.0;
const MARGIN: f64 = 24.0;
const HEADER: f64 = 40.0;

/// The zones, left to right: data comes in from outside, is served by production, and reaches
/// the SaaS and corporate tools behind it.
const ZONES: [(SystemCategory, &str); 4] = [
    (SystemCategory::External, "External"),
    (SystemCategory::Production, "Production"),
    (SystemCategory::Saas, "SaaS"),
    (SystemCategory::Corporate, "Corporate"),
];

struct Placed<'a> {
    system: &'a Record<System>,
    column: usize,
    y: f64,
}

/// The diagram of these systems and the flows between them (flows naming a system that is not
/// given are left out).
pub fn data_flow_svg(systems: &[Record<System>], flows: &[Record<DataFlow>]) -> String {
    let columns = order(systems, flows);
    let mut placed: BTreeMap<&str, Placed<'_>> = BTreeMap::new();
    for (column, members) in columns.iter().enumerate() {
        for (row, system) in members.iter().enumerate() {
            let y = MARGIN + HEADER + row as f64 * (NODE_HEIGHT + ROW_GAP);
            placed.insert(system.key.as_str(), Placed { system, column, y });
        }
    }
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let width =
        MARGIN * 2.0 + ZONES.len() as f64 * NODE_WIDTH + (ZONES.len() - 1) as f64 * COLUMN_GAP;
    let height = MARGIN * 2.0 + HEADER + tallest as f64 * (NODE_HEIGHT + ROW_GAP) + 40.0;

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-labelledby="dfd-title" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="13">"#
    );
    let _ = write!(
        svg,
        r##"<title id="dfd-title">Data-flow diagram: {} systems, {} flows</title><defs>"##,
        systems.len(),
        flows.len()
    );
    for (name, colour) in FLOW_COLOURS {
        let _ = write!(
            svg,
            r#"<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>"#
        );
    }
    svg.push_str("</defs>");
    let _ = write!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    for (column, (_, title)) in ZONES.iter().enumerate() {
        let x = column_x(column);
        let _ = write!(
            svg,
            r##"<rect x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}" rx="10" fill="#f6f7f9" stroke="#e1e4e8"/><text x="{:.0}" y="{:.0}" text-anchor="middle" font-weight="600" fill="#444">{title}</text>"##,
            x - 14.0,
            MARGIN,
            NODE_WIDTH + 28.0,
            height - MARGIN * 2.0,
            x + NODE_WIDTH / 2.0,
            MARGIN + 24.0
        );
    }
    svg.push_str(r#"<g class="flows" fill="none">"#);
    for flow in flows {
        let (Some(from), Some(to)) = (
            placed.get(flow.body.from.as_str()),
            placed.get(flow.body.to.as_str()),
        ) else {
            continue;
        };
        let (name, colour) = flow_colour(&flow.body.data);
        let path = route(from, to);
        let dash = if flow.body.encrypted {
            ""
        } else {
            r#" stroke-dasharray="6 4""#
        };
        let data: Vec<&str> = flow.body.data.iter().map(|d| d.as_str()).collect();
        let _ = write!(
            svg,
            r#"<path d="{path}" stroke="{colour}" stroke-width="1.6" stroke-opacity="0.85"{dash} marker-end="url(#arrow-{name})"><title>{} → {}: {}{}</title></path>"#,
            escape(&from.system.body.name),
            escape(&to.system.body.name),
            data.join(", "),
            if flow.body.encrypted {
                ""
            } else {
                " (not encrypted in transit)"
            }
        );
    }
    svg.push_str("</g><g class=\"systems\">");
    for placed in placed.values() {
        let x = column_x(placed.column);
        let system = &placed.system.body;
        let (fill, stroke) = system_colour(system.classification);
        let name: String = shorten(&system.name, 26);
        let detail = format!(
            "{} · {}",
            placed.system.key,
            system.classification.map_or("unclassified", |c| c.as_str())
        );
        let _ = write!(
            svg,
            r##"<g><title>{}</title><rect x="{x:.0}" y="{:.0}" width="{NODE_WIDTH:.0}" height="{NODE_HEIGHT:.0}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.4"/><text x="{:.0}" y="{:.0}" font-weight="600" fill="#1b1f24">{}</text><text x="{:.0}" y="{:.0}" font-size="11" fill="#57606a">{}</text></g>"##,
            escape(&system.name),
            placed.y,
            x + 10.0,
            placed.y + 19.0,
            escape(&name),
            x + 10.0,
            placed.y + 35.0,
            escape(&shorten(&detail, 34)),
        );
    }
    svg.push_str("</g>");
    legend(&mut svg, height);
    svg.push_str("</svg>");
    svg
}

fn column_x(column: usize) -> f64 {
    MARGIN + column as f64 * (NODE_WIDTH + COLUMN_GAP)
}

/// Systems per zone, ordered by a few sweeps of the barycentre heuristic: each system moves
/// towards the average row of the systems it exchanges data with.
fn order<'a>(
    systems: &'a [Record<System>],
    flows: &[Record<DataFlow>],
) -> Vec<Vec<&'a Record<System>>> {
    let mut columns: Vec<Vec<&Record<System>>> = ZONES
        .iter()
        .map(|(zone, _)| {
            systems
                .iter()
                .filter(|s| s.body.category == *zone)
                .collect()
        })
        .collect();
    for column in &mut columns {
        column.sort_by_key(|s| s.body.name.to_lowercase());
    }
    let neighbours: Vec<(&str, &str)> = flows
        .iter()
        .map(|f| (f.body.from.as_str(), f.body.to.as_str()))
        .collect();
    for _ in 0..4 {
        let row: BTreeMap<&str, f64> = columns
            .iter()
            .flat_map(|c| {
                c.iter()
                    .enumerate()
                    .map(|(i, s)| (s.key.as_str(), i as f64))
            })
            .collect();
        for column in &mut columns {
            let mut weighted: Vec<(f64, &Record<System>)> = column
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let linked: Vec<f64> = neighbours
                        .iter()
                        .filter_map(|(a, b)| {
                            if *a == s.key {
                                row.get(b).copied()
                            } else if *b == s.key {
                                row.get(a).copied()
                            } else {
                                None
                            }
                        })
                        .collect();
                    let centre = if linked.is_empty() {
                        i as f64
                    } else {
                        linked.iter().sum::<f64>() / linked.len() as f64
                    };
                    (centre, *s)
                })
                .collect();
            weighted.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key)));
            *column = weighted.into_iter().map(|(_, s)| s).collect();
        }
    }
    columns
}

/// A curve from one system's side to another's; within one column it bows out to the right.
fn route(from: &Placed<'_>, to: &Placed<'_>) -> String {
    let mid = |p: &Placed<'_>| p.y + NODE_HEIGHT / 2.0;
    let (fx, tx) = (column_x(from.column), column_x(to.column));
    if from.column == to.column {
        let x = fx + NODE_WIDTH;
        let bow = 40.0 + (mid(from) - mid(to)).abs() * 0.25;
        return format!(
            "M{x:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {x:.1},{:.1}",
            mid(from),
            x + bow,
            mid(from),
            x + bow,
            mid(to),
            mid(to)
        );
    }
    let (start, end) = if from.column < to.column {
        (fx + NODE_WIDTH, tx)
    } else {
        (fx, tx + NODE_WIDTH)
    };
    let pull = (end - start) / 2.0;
    format!(
        "M{start:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {end:.1},{:.1}",
        mid(from),
        start + pull,
        mid(from),
        end - pull,
        mid(to),
        mid(to)
    )
}

const FLOW_COLOURS: [(&str, &str); 4] = [
    ("restricted", "#c62828"),
    ("confidential", "#ef6c00"),
    ("internal", "#1565c0"),
    ("public", "#6e7781"),
];

/// The colour of the most sensitive data a flow carries.
fn flow_colour(data: &[DataCategory]) -> (&'static str, &'static str) {
    use DataCategory::*;
    let level = data
        .iter()
        .map(|d| match d {
            CustomerData | PersonalData | PaymentData | Credentials | Backups => 0,
            EmployeeData | FinancialData | SourceCode => 1,
            LogsTelemetry => 2,
            PublicContent => 3,
        })
        .min()
        .unwrap_or(3);
    FLOW_COLOURS[level]
}

fn system_colour(classification: Option<Classification>) -> (&'static str, &'static str) {
    match classification {
        Some(Classification::Restricted) => ("#fdecea", "#c62828"),
        Some(Classification::Confidential) => ("#fff3e0", "#ef6c00"),
        Some(Classification::Internal) => ("#e8f0fe", "#1565c0"),
        Some(Classification::Public) => ("#f3f4f6", "#6e7781"),
        None => ("#ffffff", "#9a6700"),
    }
}

fn legend(svg: &mut String, height: f64) {
    let y = height - MARGIN - 8.0;
    let mut x = MARGIN;
    for (name, colour) in FLOW_COLOURS {
        let _ = write!(
            svg,
            r##"<line x1="{x:.0}" y1="{y:.0}" x2="{:.0}" y2="{y:.0}" stroke="{colour}" stroke-width="2"/><text x="{:.0}" y="{:.0}" font-size="11" fill="#444">{name} data</text>"##,
            x + 24.0,
            x + 30.0,
            y + 4.0
        );
        x += 140.0;
    }
    let _ = write!(
        svg,
        r##"<line x1="{x:.0}" y1="{y:.0}" x2="{:.0}" y2="{y:.0}" stroke="#444" stroke-width="2" stroke-dasharray="6 4"/><text x="{:.0}" y="{:.0}" font-size="11" fill="#444">not encrypted in transit</text>"##,
        x + 24.0,
        x + 30.0,
        y + 4.0
    );
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// XML text and attribute escaping.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
