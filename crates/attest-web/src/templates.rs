//! The page templates (minijinja, auto-escaped), compiled into the binary and parsed once.
//! A missing variable is an error, never a silent blank.

use std::sync::LazyLock;

use axum::http::StatusCode;
use axum::response::Html;
use include_dir::{Dir, include_dir};
use minijinja::{Environment, UndefinedBehavior, Value};

use crate::error::WebError;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

static ENV: LazyLock<Result<Environment<'static>, String>> = LazyLock::new(build);

fn build() -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for file in all_files(&TEMPLATES) {
        let name = file.path().to_string_lossy().replace('\\', "/");
        let source = file
            .contents_utf8()
            .ok_or_else(|| format!("template {name} is not UTF-8"))?;
        env.add_template(Box::leak(name.into_boxed_str()), source)
            .map_err(|e| format!("template {e:#}"))?;
    }
    env.add_function("asset", |name: &str| {
        Value::from_safe_string(format!("/assets/{}/{name}", *crate::assets::VERSION))
    });
    env.add_filter("when", when);
    // Markdown people wrote (policies), rendered with nothing that can run (see markdown.rs).
    env.add_filter("markdown", |text: &str| {
        Value::from_safe_string(crate::markdown::to_html(text))
    });
    env.add_filter("day", day);
    env.add_filter("pct", |v: Value| -> String {
        match f64::try_from(v) {
            Ok(p) => format!("{p:.0}%"),
            Err(_) => "n/a".into(),
        }
    });
    // Bar widths come from a class (w-0 … w-100 in steps of 5): the CSP forbids inline styles.
    env.add_filter("width_class", |v: Value| -> String {
        let p = f64::try_from(v).unwrap_or(0.0).clamp(0.0, 100.0);
        format!("w-{}", ((p / 5.0).round() as i64) * 5)
    });
    Ok(env)
}

fn all_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(all_files(sub));
    }
    files
}

/// An RFC 3339 time as people read it: `2026-11-28 17:55 UTC`.
fn when(v: Value) -> String {
    let s = v.to_string();
    chrono::DateTime::parse_from_rfc3339(&s)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        })
        .unwrap_or(s)
}

/// An RFC 3339 time or a date, as a day: `2026-11-28`.
fn day(v: Value) -> String {
    let s = v.to_string();
    s.get(..10).map(str::to_string).unwrap_or(s)
}

/// Checks that every template parses; called at start so a broken build fails loudly.
pub(crate) fn check() -> Result<(), String> {
    ENV.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// Renders a template with its context.
pub(crate) fn render(name: &str, ctx: Value) -> Result<Html<String>, WebError> {
    let env = ENV
        .as_ref()
        .map_err(|e| internal(format!("templates failed to load: {e}")))?;
    let template = env
        .get_template(name)
        .map_err(|e| internal(format!("template {name}: {e:#}")))?;
    template
        .render(ctx)
        .map(Html)
        .map_err(|e| internal(format!("rendering {name}: {e:#}")))
}

fn internal(message: String) -> WebError {
    WebError::from(attest_app::AppError::Internal(message))
}

/// The message htmx drops into the toast region.
pub(crate) fn toast(message: &str) -> String {
    render("partials/toast_partial.html", ctx! { message })
        .map(|h| h.0)
        .unwrap_or_else(|_| "<div class=\"flash flash-error\">Something went wrong.</div>".into())
}

/// A whole error page.
pub(crate) fn error_page(status: StatusCode, message: &str) -> String {
    render(
        "error.html",
        ctx! {
            status => status.as_u16(),
            reason => status.canonical_reason().unwrap_or("Error"),
            message,
        },
    )
    .map(|h| h.0)
    .unwrap_or_else(|_| {
        format!(
            "<!doctype html><title>{}</title><p>Error {}</p>",
            status.as_u16(),
            status.as_u16()
        )
    })
}
