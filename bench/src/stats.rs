//! Samples, the figures made of them, and the table they print as.

/// One figure: what was measured, at which scale, its samples and what it is compared with.
#[derive(Debug, Clone)]
pub struct Figure {
    pub name: String,
    /// `small`, `medium`, `large`, or `machine` for the references.
    pub scale: String,
    pub samples: Vec<f64>,
    pub unit: &'static str,
    pub reference: Reference,
}

/// What a figure is compared with.
#[derive(Debug, Clone)]
pub enum Reference {
    None,
    /// A note without a number to compare.
    Note(String),
    /// Another figure in the same unit, measured in the same run: `ratio` is this figure's
    /// median over the reference's (how far from the machine's limit).
    Against {
        label: String,
        median: f64,
    },
}

impl Figure {
    pub fn new(
        name: impl Into<String>,
        scale: &str,
        samples: Vec<f64>,
        unit: &'static str,
    ) -> Self {
        Figure {
            name: name.into(),
            scale: scale.to_owned(),
            samples,
            unit,
            reference: Reference::None,
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.reference = Reference::Note(note.into());
        self
    }

    /// Compares with `reference`, which must be in the same unit.
    pub fn against(mut self, label: impl Into<String>, reference: &Figure) -> Self {
        self.reference = Reference::Against {
            label: label.into(),
            median: reference.median(),
        };
        self
    }

    pub fn median(&self) -> f64 {
        median(&self.samples)
    }

    pub fn min(&self) -> f64 {
        self.samples.iter().copied().fold(f64::INFINITY, f64::min)
    }

    pub fn max(&self) -> f64 {
        self.samples
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// How many times slower than its reference: the ratio of medians, turned so that
    /// above 1 is always worse (for rates, a lower rate is worse; for times, a longer one).
    pub fn distance(&self) -> Option<f64> {
        let Reference::Against { median, .. } = &self.reference else {
            return None;
        };
        let ratio = self.median() / median;
        let distance = if is_rate(self.unit) {
            1.0 / ratio
        } else {
            ratio
        };
        distance.is_finite().then_some(distance)
    }

    fn reference_cell(&self) -> String {
        match &self.reference {
            Reference::None => String::new(),
            Reference::Note(note) => note.clone(),
            Reference::Against { label, median } => {
                let ratio = self.median() / median;
                format!(
                    "{label} {} {} ({}×)",
                    number(*median),
                    self.unit,
                    ratio_text(ratio)
                )
            }
        }
    }
}

/// Units that count work per time: higher is better.
fn is_rate(unit: &str) -> bool {
    unit.ends_with("/s")
}

pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if !n.is_multiple_of(2) => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Three significant digits, with thousands separators above 1,000: `0.0123`, `4.56`, `789`,
/// `12,345`.
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".to_owned();
    }
    let magnitude = value.abs();
    if magnitude >= 999.5 {
        return thousands(value.round() as i64);
    }
    let decimals = if magnitude >= 99.95 {
        0
    } else if magnitude >= 9.995 {
        1
    } else if magnitude >= 0.9995 {
        2
    } else if magnitude >= 0.09995 {
        3
    } else {
        4
    };
    format!("{value:.decimals$}")
}

fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0 { format!("-{out}") } else { out }
}

fn ratio_text(ratio: f64) -> String {
    if ratio >= 10.0 {
        format!("{ratio:.0}")
    } else {
        format!("{ratio:.2}")
    }
}

/// The Markdown table every figure prints in.
pub fn table(figures: &[Figure]) -> String {
    let mut out = String::from(
        "| Figure | Scale | Median | Min | Max | Unit | Reference (same run) |\n|---|---|---|---|---|---|---|\n",
    );
    for f in figures {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            f.name,
            f.scale,
            number(f.median()),
            number(f.min()),
            number(f.max()),
            f.unit,
            f.reference_cell()
        ));
    }
    out
}

/// The figures furthest from their reference, furthest first.
pub fn furthest(figures: &[Figure], n: usize) -> Vec<&Figure> {
    let mut compared: Vec<(&Figure, f64)> = figures
        .iter()
        .filter_map(|f| f.distance().map(|d| (f, d)))
        .collect();
    compared.sort_by(|a, b| b.1.total_cmp(&a.1));
    compared.into_iter().take(n).map(|(f, _)| f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(number(0.01234), "0.0123");
        assert_eq!(number(4.567), "4.57");
        assert_eq!(number(78.94), "78.9");
        assert_eq!(number(789.4), "789");
        assert_eq!(number(12_345.6), "12,346");
        assert_eq!(number(1_234_567.0), "1,234,567");
    }

    #[test]
    fn distance_reads_rates_and_times_the_right_way_round() {
        let raw = Figure::new("raw", "machine", vec![1000.0], "MB/s");
        let slow_rate = Figure::new("verify", "small", vec![250.0], "MB/s").against("raw", &raw);
        assert_eq!(slow_rate.distance(), Some(4.0));
        let floor = Figure::new("floor", "machine", vec![2.0], "ms");
        let slow_time = Figure::new("start", "small", vec![30.0], "ms").against("floor", &floor);
        assert_eq!(slow_time.distance(), Some(15.0));
        let figures = [slow_rate, slow_time];
        let furthest = furthest(&figures, 1);
        assert_eq!(furthest[0].name, "start");
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
    }
}
