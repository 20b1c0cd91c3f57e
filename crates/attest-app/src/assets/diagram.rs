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
/// Room for the zone titles above the first row.
const HEADER: f64 = 40.0;
/// The spacing of the lanes above the rows that carry flows skipping a zone.
const LANE: f64 = 5.0;
/// Room for the legend below the zones.
const FOOTER: f64 = 40.0;
/// The most rows a column holds: a zone with more systems is laid out in several columns, so
/// the diagram stays within a screen or two at fifty systems.
const MAX_ROWS: usize = 14;

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
    let zones = order(systems, flows);
    // Each zone's systems, in as many columns as it needs; `spans` is each zone's first column
    // and how many it has.
    let mut columns: Vec<Vec<&Record<System>>> = Vec::new();
    let mut spans = Vec::with_capacity(zones.len());
    for members in &zones {
        let wide = members.len().div_ceil(MAX_ROWS).max(1);
        let per = members.len().div_ceil(wide).max(1);
        spans.push((columns.len(), wide));
        let mut chunks: Vec<Vec<&Record<System>>> =
            members.chunks(per).map(<[_]>::to_vec).collect();
        chunks.resize(wide, Vec::new());
        columns.extend(chunks);
    }
    let column_of: BTreeMap<&str, usize> = columns
        .iter()
        .enumerate()
        .flat_map(|(c, members)| members.iter().map(move |s| (s.key.as_str(), c)))
        .collect();
    // Flows that skip a zone run in lanes above the rows, never through another zone's boxes.
    let skips = |f: &Record<DataFlow>| match (
        column_of.get(f.body.from.as_str()),
        column_of.get(f.body.to.as_str()),
    ) {
        (Some(a), Some(b)) => a.abs_diff(*b) > 1,
        _ => false,
    };
    let lanes = flows.iter().filter(|f| skips(f)).count();
    let top = MARGIN + HEADER + lanes as f64 * LANE;
    let mut placed: BTreeMap<&str, Placed<'_>> = BTreeMap::new();
    for (column, members) in columns.iter().enumerate() {
        for (row, system) in members.iter().enumerate() {
            let y = top + row as f64 * (NODE_HEIGHT + ROW_GAP);
            placed.insert(system.key.as_str(), Placed { system, column, y });
        }
    }
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let width = MARGIN * 2.0
        + columns.len() as f64 * NODE_WIDTH
        + columns.len().saturating_sub(1) as f64 * COLUMN_GAP;
    let height = top + tallest as f64 * (NODE_HEIGHT + ROW_GAP) + MARGIN * 2.0 + FOOTER;

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
    for ((_, title), (first, wide)) in ZONES.iter().zip(&spans) {
        let x = column_x(*first);
        let span = column_x(first + wide - 1) + NODE_WIDTH - x;
        let _ = write!(
            svg,
            r##"<rect x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}" rx="10" fill="#f6f7f9" stroke="#e1e4e8"/><text x="{:.0}" y="{:.0}" text-anchor="middle" font-weight="600" fill="#444">{title}</text>"##,
            x - 14.0,
            MARGIN,
            span + 28.0,
            height - MARGIN * 2.0 - FOOTER,
            x + span / 2.0,
            MARGIN + 24.0
        );
    }
    svg.push_str(r#"<g class="flows" fill="none">"#);
    let mut lane = 0;
    for flow in flows {
        let (Some(from), Some(to)) = (
            placed.get(flow.body.from.as_str()),
            placed.get(flow.body.to.as_str()),
        ) else {
            continue;
        };
        let (name, colour) = flow_colour(&flow.body.data);
        let path = if from.column.abs_diff(to.column) > 1 {
            lane += 1;
            over_the_top(from, to, MARGIN + HEADER + (lane - 1) as f64 * LANE)
        } else {
            route(from, to)
        };
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
        // Within the gap beside the column, however far apart the two systems are.
        let bow = (40.0 + (mid(from) - mid(to)).abs() * 0.25).min(COLUMN_GAP * 0.8);
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

/// A flow that skips a zone: out into the gap beside its system, up to its lane above the rows,
/// across, and down the gap beside the other system, with rounded corners.
fn over_the_top(from: &Placed<'_>, to: &Placed<'_>, lane: f64) -> String {
    let mid = |p: &Placed<'_>| p.y + NODE_HEIGHT / 2.0;
    let rightwards = from.column < to.column;
    let (start, end) = if rightwards {
        (column_x(from.column) + NODE_WIDTH, column_x(to.column))
    } else {
        (column_x(from.column), column_x(to.column) + NODE_WIDTH)
    };
    let step = if rightwards { 1.0 } else { -1.0 };
    // Each lane turns at its own offset in the gaps, so parallel flows stay apart.
    let turn = (24.0 + (lane - MARGIN - HEADER)).min(COLUMN_GAP / 2.0 - 6.0);
    let (out, back) = (start + step * turn, end - step * turn);
    let r = 6.0;
    format!(
        "M{start:.1},{a:.1} L{o1:.1},{a:.1} Q{out:.1},{a:.1} {out:.1},{a2:.1} L{out:.1},{l2:.1} Q{out:.1},{lane:.1} {o2:.1},{lane:.1} L{b1:.1},{lane:.1} Q{back:.1},{lane:.1} {back:.1},{l3:.1} L{back:.1},{b2:.1} Q{back:.1},{b:.1} {b3:.1},{b:.1} L{end:.1},{b:.1}",
        a = mid(from),
        o1 = out - step * r,
        a2 = mid(from) - r,
        l2 = lane + r,
        o2 = out + step * r,
        b1 = back - step * r,
        l3 = lane + r,
        b2 = mid(to) - r,
        b = mid(to),
        b3 = back + step * r,
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
