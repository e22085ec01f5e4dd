//! Invoices and reconciliation end to end: the facade and the CLI against the emulator —
//! invoices, the balance, the statement PDF, line items, and exports that resume.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app, app_and_user};
use partner_center::export::{ExportFormat, LineItemExport};
use partner_center::models::{InvoiceLineItem, LineItemKind};
use partner_center::prelude::*;
use partner_center::{BillingPeriod, Invoices, LineItemType, Page, Provider, Purchase};
use partner_center_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoices_the_balance_and_the_statement() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let invoices = pc.invoices();
    let all: Vec<_> = invoices.list().try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
    let id = all[0].id.clone();
    let one = invoices.get(&id).await.unwrap();
    // The default four seeded line items: 1, 8, 15 and 2 licences at 6, 12.5, 22 and 23.
    assert_eq!(
        one.total_charges.unwrap().as_f64(),
        Some(6.0 + 100.0 + 330.0 + 46.0)
    );
    let items: Vec<InvoiceLineItem> = invoices
        .line_items(&id, Provider::OneTime, LineItemType::Billing)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 4);
    assert!(
        items
            .iter()
            .all(|i| i.kind() == Some(LineItemKind::OneTime))
    );
    let sum: f64 = items
        .iter()
        .filter_map(InvoiceLineItem::pre_tax_total)
        .sum();
    assert!((sum - 482.0).abs() < 1e-9, "{sum}");
    let legacy: Vec<InvoiceLineItem> = invoices
        .line_items(&id, Provider::Office, LineItemType::Billing)
        .try_collect()
        .await
        .unwrap();
    assert!(legacy.is_empty());

    let balance = invoices.summary().await.unwrap();
    assert_eq!(balance.balance_amount.unwrap().as_f64(), Some(482.0));
    let per_currency: Vec<_> = invoices.summaries().try_collect().await.unwrap();
    assert_eq!(per_currency[0].currency_code.as_deref(), Some("USD"));

    let mut pdf = Vec::new();
    let statement = invoices.statement(&id, &mut pdf).await.unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));
    assert!(pdf.ends_with(b"%%EOF\n"));
    assert_eq!(statement.bytes, pdf.len() as u64);
    assert_eq!(statement.file_name, Some(format!("Invoice_{id}.pdf")));

    // App-only credentials are refused where the docs say App+User only.
    let e = app(&emu).invoices().get(&id).await.unwrap_err();
    assert_eq!(api_code(&e).0, 403);
    assert!(app(&emu).invoices().summary().await.is_ok());

    let vars = common::emulator_env(&emu);
    let run = common::run(&["invoices", "list", "-o", "json"], &vars).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()[0]["id"], id.as_str());
    let run = common::run(
        &[
            "invoices",
            "line-items",
            &id,
            "--provider",
            "onetime",
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json().as_array().unwrap().len(), 4);
    // `-o jsonl`: a line per item, streamed; a list command too.
    let run = common::run(
        &[
            "invoices",
            "line-items",
            &id,
            "--provider",
            "onetime",
            "-o",
            "jsonl",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[0]["attributes"]["objectType"],
        "OneTimeInvoiceLineItem"
    );
    let run = common::run(&["invoices", "list", "-o", "jsonl"], &vars).await;
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("statement.pdf");
    let run = common::run(
        &["invoices", "pdf", &id, "--out", out.to_str().unwrap()],
        &vars,
    )
    .await;
    assert_eq!(run.code, 4, "app-only: {}", run.stderr);
    assert!(!out.exists(), "nothing is left behind");
}

/// The unbilled period holds a charge per purchase and a credit per cancellation; the
/// export writes exactly those rows, with the docs' columns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_unbilled_period_exports_to_csv_and_json_lines() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let customer = a_customer(&pc, "billing.onmicrosoft.com", true).await;
    let handle = pc.customer(&customer);
    let kept = handle
        .buy(&Purchase::new("CFQ7TTC0LH18", "0001", 3))
        .await
        .unwrap();
    let gone = handle
        .buy(&Purchase::new("CFQ7TTC0LDPB", "0001", 2))
        .await
        .unwrap();
    handle.subscriptions().cancel(&gone[0].id).await.unwrap();
    let unbilled: Vec<InvoiceLineItem> = pc
        .invoices()
        .unbilled(LineItemType::Billing, "usd", BillingPeriod::Current)
        .try_collect()
        .await
        .unwrap();
    let charges: Vec<_> = unbilled
        .iter()
        .filter_map(InvoiceLineItem::charge_type)
        .collect();
    assert_eq!(charges, ["new", "new", "cancelImmediate"]);
    assert_eq!(unbilled[0].subscription_id(), Some(kept[0].id.clone()));
    assert_eq!(unbilled[0].pre_tax_total(), Some(18.0));
    assert_eq!(unbilled[2].pre_tax_total(), Some(-25.0));

    let vars = common::emulator_env(&emu);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("unbilled.csv");
    let run = common::run(
        &[
            "invoices",
            "export",
            "--unbilled",
            "--period",
            "current",
            "--provider",
            "onetime",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["rows"], 3);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut reader = csv_rows(&text);
    let header = reader.remove(0);
    assert_eq!(header.first().map(String::as_str), Some("partnerId"));
    assert_eq!(header.last().map(String::as_str), Some("extra"));
    assert_eq!(header.len(), LineItemKind::OneTime.columns().len() + 1);
    assert_eq!(reader.len(), 3);
    let charge = header.iter().position(|h| h == "chargeType").unwrap();
    assert_eq!(reader[2][charge], "cancelImmediate");
    assert!(!dir.path().join("unbilled.csv.progress").exists());

    let jsonl = dir.path().join("unbilled.jsonl");
    let run = common::run(
        &[
            "invoices",
            "export",
            "--unbilled",
            "--provider",
            "onetime",
            "--format",
            "jsonl",
            "--out",
            jsonl.to_str().unwrap(),
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    // An invoice export needs an invoice or --unbilled, not both.
    let run = common::run(
        &[
            "invoices",
            "export",
            "--provider",
            "onetime",
            "--out",
            "x.csv",
        ],
        &vars,
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// Splits CSV text into records (the cells hold no line breaks here).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        cell.push('"');
                        chars.next();
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => cells.push(std::mem::take(&mut cell)),
                    (c, _) => cell.push(c),
                }
            }
            cells.push(cell);
            cells
        })
        .collect()
}

/// An export stopped after its first page resumes there and ends byte for byte as one
/// that was never stopped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_export_resumes_to_the_same_file() {
    let emu = Emulator::builder()
        .billing_line_items(5_000)
        .start()
        .await
        .unwrap();
    let pc = app(&emu);
    let invoices = pc.invoices();
    let id = invoices.list().try_next().await.unwrap().unwrap().id;
    let from = Invoices::line_items_from(&id, Provider::OneTime, LineItemType::Billing);
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.csv");
    let report = LineItemExport::new(
        from.clone(),
        LineItemKind::OneTime,
        ExportFormat::Csv,
        &whole,
    )
    .run(|c| invoices.raw_pages(c), |_| {})
    .await
    .unwrap();
    assert_eq!((report.rows, report.resumed), (5_000, false));

    let cut = dir.path().join("cut.csv");
    let export = LineItemExport::new(from, LineItemKind::OneTime, ExportFormat::Csv, &cut);
    // The first page, then the connection drops.
    let e = export
        .run(
            |c| {
                let first = invoices.raw_pages(c).take(1);
                let failure = futures_util::stream::once(async {
                    Err::<Page<Box<serde_json::value::RawValue>>, _>(
                        partner_center::Error::Transient {
                            status: None,
                            message: "connection reset".to_owned(),
                            network: None,
                            attempts: 5,
                            request_id: String::new(),
                            correlation_id: String::new(),
                        },
                    )
                });
                Box::pin(first.chain(failure))
            },
            |_| {},
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("connection reset"), "{e}");
    assert!(export.checkpoint_path().exists());
    // Half a page more was written before the process died: the resume cuts it off.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&cut)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"partial,row"))
        .unwrap();
    let report = export.run(|c| invoices.raw_pages(c), |_| {}).await.unwrap();
    assert_eq!((report.rows, report.resumed), (5_000, true));
    assert_eq!(std::fs::read(&cut).unwrap(), std::fs::read(&whole).unwrap());
    assert!(!export.checkpoint_path().exists());

    // A file shorter than its checkpoint (the machine lost what it had not written) is
    // exported again from the start, never trusted.
    let e = export
        .run(
            |c| {
                let first = invoices.raw_pages(c).take(1);
                Box::pin(first.chain(futures_util::stream::once(async {
                    Err::<Page<Box<serde_json::value::RawValue>>, _>(partner_center::Error::Config(
                        "stopped".to_owned(),
                    ))
                })))
            },
            |_| {},
        )
        .await;
    assert!(e.is_err());
    std::fs::OpenOptions::new()
        .write(true)
        .open(&cut)
        .and_then(|f| f.set_len(100))
        .unwrap();
    let report = export.run(|c| invoices.raw_pages(c), |_| {}).await.unwrap();
    assert_eq!((report.rows, report.resumed), (5_000, false));
    assert_eq!(std::fs::read(&cut).unwrap(), std::fs::read(&whole).unwrap());
}

/// The same invoice through Microsoft Graph's asynchronous export ends as the same CSV,
/// byte for byte, as through the REST API's pages, blob downloads failing now and then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graph_export_writes_what_the_rest_export_writes() {
    let emu = Emulator::builder()
        .billing_line_items(25_000)
        .export_delay(std::time::Duration::ZERO)
        .start()
        .await
        .unwrap();
    let id = app(&emu)
        .invoices()
        .list()
        .try_next()
        .await
        .unwrap()
        .unwrap()
        .id;
    emu.inject("503,next=3,route=/_blobs".parse().unwrap());
    let mut vars = common::emulator_env(&emu);
    vars.push(("PARTNER_CENTER_GRAPH_URL", emu.graph_url().to_owned()));
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let (rest, graph) = (out("rest.csv"), out("graph.csv"));
    for (file, extra) in [(&rest, None), (&graph, Some("--graph"))] {
        let mut args = vec![
            "invoices",
            "export",
            &id,
            "--provider",
            "onetime",
            "--out",
            file,
            "-o",
            "json",
        ];
        args.extend(extra);
        let run = common::run(&args, &vars).await;
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(run.json()["rows"], 25_000);
    }
    assert_eq!(
        std::fs::read(&graph).unwrap(),
        std::fs::read(&rest).unwrap()
    );
    assert!(
        !dir.path().join("graph.csv.blob").exists(),
        "the scratch file is gone"
    );
    assert!(!dir.path().join("graph.csv.progress").exists());
}

/// A new user's export killed (SIGKILL) once it has written a page, and run again, ends
/// as the uninterrupted one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_export_run_again_ends_identical() {
    let emu = Emulator::builder()
        .billing_line_items(60_000)
        .rate_limit_per_minute(None)
        .start()
        .await
        .unwrap();
    let id = app(&emu)
        .invoices()
        .list()
        .try_next()
        .await
        .unwrap()
        .unwrap()
        .id;
    let vars = common::emulator_env(&emu);
    let dir = tempfile::tempdir().unwrap();
    let (whole, cut) = (dir.path().join("whole.csv"), dir.path().join("cut.csv"));
    let args = |out: &std::path::Path| {
        vec![
            "invoices".to_owned(),
            "export".to_owned(),
            id.clone(),
            "--provider".to_owned(),
            "onetime".to_owned(),
            "--out".to_owned(),
            out.display().to_string(),
            "-o".to_owned(),
            "json".to_owned(),
        ]
    };
    let run = common::run(
        &args(&whole).iter().map(String::as_str).collect::<Vec<_>>(),
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);

    let progress = dir.path().join("cut.csv.progress");
    let (cut_args, vars_killed) = (args(&cut), vars.clone());
    let killed = tokio::task::spawn_blocking(move || {
        let mut child = std::process::Command::new(common::BIN)
            .args(&cut_args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(vars_killed)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        while !progress.exists() && start.elapsed() < std::time::Duration::from_secs(60) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        progress.exists()
    })
    .await
    .unwrap();
    assert!(killed, "killed while it had a checkpoint");
    let run = common::run(
        &args(&cut).iter().map(String::as_str).collect::<Vec<_>>(),
        &vars,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["resumed"], true);
    assert_eq!(run.json()["rows"], 60_000);
    assert_eq!(std::fs::read(&cut).unwrap(), std::fs::read(&whole).unwrap());
}
