use attest_collect::{Kind, Options, collect};
use serde_json::{Value, json};

use crate::support::{collect_err, collect_ok, find, fixture, list, options, write};

const KIND: Kind = Kind::HrRoster;

#[test]
fn a_bamboohr_report_with_bom_crlf_and_quoted_commas_is_read_person_by_person() {
    let snapshot = collect_ok(KIND, &fixture("bamboohr-report.csv"), &options());
    let people = list(&snapshot, "people");
    assert_eq!(people.len(), 25);
    assert_eq!(snapshot.source.records, 25);
    assert_eq!(snapshot.source.file, "bamboohr-report.csv");
    assert_eq!(snapshot.system, "hr");

    // The first data row is row 2; the email is lowercased; BambooHR's 0000-00-00 is no date.
    assert_eq!(
        people[0],
        json!({
            "email": "maya.okonkwo@northwind-labs.io",
            "name": "Maya Okonkwo",
            "title": "Chief Executive Officer",
            "department": "Executive",
            "manager_email": null,
            "employment_type": "employee",
            "start_date": "2019-03-01",
            "end_date": null,
            "status": "Active",
            "github_login": "mayao",
            "row": 2
        })
    );
    let tomas = find(people, "email", "tomas.alvarez@northwind-labs.io");
    assert_eq!(
        tomas["title"], "VP, Engineering",
        "a quoted comma stays inside the value"
    );
    assert_eq!(
        tomas["github_login"], "talvarez",
        "a leading @ is not part of the login"
    );
    assert_eq!(
        find(people, "email", "priya.raman@northwind-labs.io")["github_login"],
        "priyar"
    );

    let lucas = find(people, "email", "lucas.ferreira@northwind-labs.io");
    assert_eq!(lucas["end_date"], "2024-03-31");
    assert_eq!(lucas["status"], "Inactive");
    assert_eq!(lucas["manager_email"], "priya.raman@northwind-labs.io");

    let types = |email: &str| find(people, "email", email)["employment_type"].clone();
    assert_eq!(
        types("aiko.tanaka@northwind-labs.io"),
        "employee",
        "Part-Time"
    );
    assert_eq!(types("sofia.rossi@northwind-labs.io"), "contractor");
    assert_eq!(
        types("kwame.asante@northwind-labs.io"),
        "contractor",
        "Consultant"
    );
    assert_eq!(
        types("samuel.osei@northwind-labs.io"),
        Value::Null,
        "Intern is neither"
    );
    assert_eq!(
        find(people, "email", "mateo.garcia@northwind-labs.io")["name"],
        "Mateo García"
    );
}

#[test]
fn a_personio_export_with_german_dates_and_internal_external_types_is_read() {
    let snapshot = collect_ok(KIND, &fixture("personio-employees.csv"), &options());
    let people = list(&snapshot, "people");
    assert_eq!(people.len(), 7);
    let mia = find(people, "email", "mia.schulz@kiefer-werke.de");
    assert_eq!(mia["start_date"], "2021-09-01");
    assert_eq!(mia["end_date"], "2024-03-31");
    assert_eq!(mia["title"], "Frontend Developer", "Position is the title");
    assert_eq!(
        mia["manager_email"],
        Value::Null,
        "Supervisor holds a name, not an email"
    );
    let paul = find(people, "email", "paul.richter@agentur-nord.de");
    assert_eq!(paul["employment_type"], "contractor");
    assert_eq!(
        find(people, "email", "lena.hoffmann@kiefer-werke.de")["employment_type"],
        "employee"
    );
    assert_eq!(
        find(people, "email", "hannah.klein@kiefer-werke.de")["employment_type"],
        Value::Null
    );
}

#[test]
fn a_semicolon_separated_export_with_german_headers_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "mitarbeiter.csv",
        "Vorname;Nachname;E-Mail;Abteilung;Beschäftigungsart;Eintrittsdatum;Austrittsdatum;Status\r\nJana;Vogel;Jana.Vogel@kiefer-werke.de;IT;intern;01.04.2022;;aktiv\r\n",
    );
    let snapshot = collect_ok(KIND, &path, &options());
    // "intern" is German for internal but English for trainee, so the type stays unknown.
    assert_eq!(
        list(&snapshot, "people")[0],
        json!({
            "email": "jana.vogel@kiefer-werke.de",
            "name": "Jana Vogel",
            "title": null,
            "department": "IT",
            "manager_email": null,
            "employment_type": null,
            "start_date": "2022-04-01",
            "end_date": null,
            "status": "aktiv",
            "github_login": null,
            "row": 2
        })
    );
}

#[test]
fn an_xlsx_roster_reads_date_cells_and_reports_excel_row_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rippling-people.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let headers = [
        "Legal first name",
        "Legal last name",
        "Work email",
        "Title",
        "Department",
        "Manager - Work email",
        "Employment type",
        "Start date",
        "End date",
        "Employment status",
    ];
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    let people = [
        (
            "Noor",
            "Haddad",
            "Noor.Haddad@Brightline.dev",
            "CTO",
            "Engineering",
            "",
            "Salaried, full-time",
            (2021, 2, 1),
            None,
            "Active",
        ),
        (
            "Ben",
            "Carter",
            "ben.carter@brightline.dev",
            "Engineer",
            "Engineering",
            "noor.haddad@brightline.dev",
            "Contractor",
            (2023, 11, 6),
            Some((2024, 5, 31)),
            "Terminated",
        ),
    ];
    for (index, (first, last, email, title, department, manager, kind, start, end, status)) in
        people.iter().enumerate()
    {
        let row = index as u32 + 1;
        for (column, value) in [first, last, email, title, department, manager, kind]
            .iter()
            .enumerate()
        {
            if !value.is_empty() {
                sheet.write_string(row, column as u16, **value).unwrap();
            }
        }
        let start = rust_xlsxwriter::ExcelDateTime::from_ymd(start.0, start.1, start.2).unwrap();
        sheet
            .write_datetime_with_format(row, 7, &start, &date)
            .unwrap();
        if let Some(end) = end {
            let end = rust_xlsxwriter::ExcelDateTime::from_ymd(end.0, end.1, end.2).unwrap();
            sheet
                .write_datetime_with_format(row, 8, &end, &date)
                .unwrap();
        }
        sheet.write_string(row, 9, *status).unwrap();
    }
    // A typed-in text date that is not a date, on Excel row 5 (row 4 left blank).
    sheet.write_string(4, 0, "Ada").unwrap();
    sheet.write_string(4, 2, "ada@brightline.dev").unwrap();
    sheet.write_string(4, 7, "next Monday").unwrap();
    workbook.save(&path).unwrap();

    let message = collect_err(KIND, &path, &options());
    assert_eq!(
        message,
        "rippling-people.xlsx row 5, column \"Start date\": \"next Monday\" is not a date; expected YYYY-MM-DD, MM/DD/YYYY or DD.MM.YYYY"
    );

    // Without the broken row, the dates come from the date cells.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    sheet
        .write_string(1, 2, "Noor.Haddad@Brightline.dev")
        .unwrap();
    sheet.write_string(1, 0, "Noor").unwrap();
    sheet.write_string(1, 6, "Salaried, full-time").unwrap();
    let start = rust_xlsxwriter::ExcelDateTime::from_ymd(2021, 2, 1).unwrap();
    sheet
        .write_datetime_with_format(1, 7, &start, &date)
        .unwrap();
    workbook.save(&path).unwrap();
    let snapshot = collect_ok(KIND, &path, &options());
    let noor = &list(&snapshot, "people")[0];
    assert_eq!(noor["email"], "noor.haddad@brightline.dev");
    assert_eq!(noor["name"], "Noor");
    assert_eq!(noor["start_date"], "2021-02-01");
    assert_eq!(noor["employment_type"], "employee");
}

#[test]
fn map_names_columns_the_alias_table_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "hibob.csv",
        "Display name,Corporate mailbox,Line manager mailbox,Joined,Lifecycle status\nRui Costa,rui@costa.example,,2022-01-10,Employed\n",
    );
    let mut options = options();
    options.map = vec![
        ("Corporate mailbox".into(), "email".into()),
        ("line manager mailbox".into(), "manager_email".into()),
        ("Joined".into(), "start_date".into()),
    ];
    let snapshot = collect_ok(KIND, &path, &options);
    let rui = &list(&snapshot, "people")[0];
    assert_eq!(rui["email"], "rui@costa.example");
    assert_eq!(rui["start_date"], "2022-01-10");
    assert_eq!(rui["status"], "Employed");
    assert_eq!(rui["name"], "Rui Costa");

    options.map = vec![("Corporate mailbox".into(), "mail".into())];
    assert_eq!(
        collect_err(KIND, &path, &options),
        "--map \"Corporate mailbox=mail\" names the unknown field \"mail\"; valid fields are: email, name, first_name, last_name, title, department, manager_email, employment_type, start_date, end_date, status, github_login"
    );
    options.map = vec![("Work Mail".into(), "email".into())];
    assert_eq!(
        collect_err(KIND, &path, &options),
        "hibob.csv has no column \"Work Mail\" (named in --map); its columns are: \"Display name\", \"Corporate mailbox\", \"Line manager mailbox\", \"Joined\", \"Lifecycle status\""
    );
    options.map = Vec::new();
    let message = collect_err(KIND, &path, &options);
    assert!(
        message.starts_with("hibob.csv is not an hr-roster export: it has no email column"),
        "{message}"
    );
    assert!(message.contains("--map \"COLUMN=email\""), "{message}");
}

#[test]
fn each_broken_row_is_refused_with_its_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let header = "Work Email,First Name,Last Name,Hire Date\n";
    let cases = [
        (
            "dup.csv",
            "a@x.io,A,A,2020-01-01\nb@x.io,B,B,2020-01-01\nA@X.io,C,C,2020-01-01\n",
            "dup.csv rows 2 and 4 both have email \"a@x.io\"; each must appear once, so remove or fix one of them",
        ),
        (
            "blank.csv",
            "a@x.io,A,A,2020-01-01\n,B,B,2020-01-01\n",
            "blank.csv row 3, column \"Work Email\": the email is empty; every row needs one, so fill it in or remove the row",
        ),
        (
            "notmail.csv",
            "a@x.io,A,A,2020-01-01\nbob,B,B,2020-01-01\n",
            "notmail.csv row 3, column \"Work Email\": \"bob\" is not an email address; expected name@example.com",
        ),
        (
            "date.csv",
            "a@x.io,A,A,2020-13-01\n",
            "date.csv row 2, column \"Hire Date\": \"2020-13-01\" is not a date; expected YYYY-MM-DD, MM/DD/YYYY or DD.MM.YYYY",
        ),
        (
            "ragged.csv",
            "a@x.io,A,A,2020-01-01\nb@x.io,Smith, Bob,B,2020-01-01\n",
            "ragged.csv row 3: the row has 5 values but the header has 4; a value probably contains an unquoted comma or line break, so quote it or export the file again",
        ),
        (
            "empty.csv",
            "",
            "empty.csv contains no people (only a header row); export it again without filters that exclude everyone",
        ),
        (
            "dayfirst.csv",
            "a@x.io,A,A,03/04/2021\nb@x.io,B,B,25/03/2021\n",
            "dayfirst.csv row 3, column \"Hire Date\": \"25/03/2021\" is not a MM/DD/YYYY date; expected YYYY-MM-DD or MM/DD/YYYY; this column is written day first, so export it with ISO dates (YYYY-MM-DD) to avoid misreading the other rows",
        ),
    ];
    for (name, rows, expected) in cases {
        let path = write(dir.path(), name, format!("{header}{rows}"));
        assert_eq!(collect_err(KIND, &path, &options()), expected);
    }
    let nothing = write(dir.path(), "nothing.csv", "");
    assert_eq!(
        collect_err(KIND, &nothing, &options()),
        "nothing.csv contains no rows at all; export it again without filters that exclude everyone"
    );
    let latin1 = write(
        dir.path(),
        "latin1.csv",
        b"Work Email,First Name\nj@x.io,J\xe9r\xf4me\n",
    );
    assert_eq!(
        collect_err(KIND, &latin1, &options()),
        "latin1.csv row 2: the text is not UTF-8; save the file as CSV UTF-8 (Excel: Save As > CSV UTF-8) and collect it again"
    );
}

#[test]
fn an_identity_export_given_as_a_roster_is_named_for_what_it_is() {
    let message = collect_err(KIND, &fixture("credential-report.csv"), &options());
    assert!(
        message.starts_with(
            "credential-report.csv is not an hr-roster export: it has no email column"
        ),
        "{message}"
    );
    assert!(
        message.ends_with("(it looks like an aws-iam-credential-report export; collect it as aws-iam-credential-report)"),
        "{message}"
    );
}

#[test]
fn a_missing_file_is_an_input_error_naming_the_path() {
    let error = collect(
        KIND,
        "/nonexistent/roster.csv".as_ref(),
        &Options::new(crate::support::now()),
    )
    .unwrap_err();
    assert!(error.is_input_error());
    assert!(
        error
            .to_string()
            .starts_with("could not read /nonexistent/roster.csv: "),
        "{error}"
    );
}
