//! Importing licensed criterion text.

use attest_content::Catalog;
use attest_content::licensed::{ImportError, MAX_IMPORT_BYTES, parse};

fn catalog() -> &'static Catalog {
    Catalog::embedded().unwrap_or_else(|e| panic!("embedded content must load: {e}"))
}

#[test]
fn csv_with_id_and_text_imports_criteria_and_points_of_focus() {
    let csv = "ID,Text\ncc6.1,\"Official text, with a comma.\"\nCC6.1.2,Second focus\nCC6.1.1,First focus\nA1.2,Other text\n";
    let result = parse("tsc.csv", csv.as_bytes(), catalog()).unwrap();
    assert_eq!(result.texts.len(), 2);
    let cc61 = &result.texts[0];
    assert_eq!(cc61.criterion.as_str(), "CC6.1");
    assert_eq!(cc61.text, "Official text, with a comma.");
    assert_eq!(cc61.points_of_focus, ["First focus", "Second focus"]);
    assert!(result.skipped.is_empty());
}

#[test]
fn csv_with_an_unknown_criterion_names_the_row() {
    let csv = "id,text\nCC6.1,fine\nPP1.1,typo\n";
    let err = parse("tsc.csv", csv.as_bytes(), catalog())
        .unwrap_err()
        .to_string();
    assert!(err.contains("row 3") && err.contains("PP1.1"), "{err}");
}

#[test]
fn csv_without_the_columns_says_which_it_needs() {
    let err = parse("tsc.csv", b"criterion,description\nCC6.1,x\n", catalog())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`id` and `text`") && err.contains("criterion, description"),
        "{err}"
    );
}

#[test]
fn csv_with_an_empty_text_is_refused() {
    let err = parse("tsc.csv", b"id,text\nCC6.1,\n", catalog())
        .unwrap_err()
        .to_string();
    assert!(err.contains("CC6.1 has no text"), "{err}");
}

#[test]
fn ciso_assistant_library_imports_and_skips_what_is_not_a_criterion() {
    let yaml = include_str!("fixtures/ciso-soc2-sample.yaml");
    let result = parse("soc2-2017.yaml", yaml.as_bytes(), catalog()).unwrap();
    let ids: Vec<&str> = result.texts.iter().map(|t| t.criterion.as_str()).collect();
    assert_eq!(ids, ["CC1.1", "PI1.2"]);
    assert_eq!(
        result.texts[0].points_of_focus,
        [
            "First focus placeholder.",
            "Second focus \u{2014} placeholder text folded over two lines."
        ]
    );
    // The heading `CC2` and the stray `P1.2` are reported, not imported.
    assert_eq!(result.skipped.len(), 2, "{:?}", result.skipped);
    assert!(result.skipped.iter().any(|s| s.contains("`P1.2`")));
}

#[test]
fn yaml_that_is_not_a_library_is_refused_with_the_expected_shape() {
    let err = parse("x.yaml", b"just: [a, list", catalog())
        .unwrap_err()
        .to_string();
    assert!(err.contains("objects.framework.requirement_nodes"), "{err}");
}

#[test]
fn unknown_extensions_and_huge_files_are_refused() {
    assert!(matches!(
        parse("tsc.xlsx", b"", catalog()),
        Err(ImportError::UnknownFormat { .. })
    ));
    let huge = vec![b'a'; MAX_IMPORT_BYTES + 1];
    assert!(matches!(
        parse("tsc.csv", &huge, catalog()),
        Err(ImportError::TooLarge { .. })
    ));
}

#[test]
fn control_characters_are_refused() {
    let err = parse("tsc.csv", b"id,text\nCC6.1,bad\x00text\n", catalog())
        .unwrap_err()
        .to_string();
    assert!(err.contains("U+0000") && err.contains("row 2"), "{err}");
    let err = parse("tsc.csv", b"id,text\nCC6.1,\x1b[31mred\n", catalog())
        .unwrap_err()
        .to_string();
    assert!(err.contains("U+001B"), "{err}");
}
