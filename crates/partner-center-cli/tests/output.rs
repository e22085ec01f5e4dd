//! The output contract (docs/cli.md, "Global flags"): every format for one list
//! (`customers list`), one get (`customers get`) and one create (`customers create`);
//! `--query`; tables that fit the width; completions, manual pages and `--version`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{BIN, emulator_env, run};
use partner_center_emulator::Emulator;
use serde_json::{Value, json};

fn customer_file(domain: &str) -> std::path::PathBuf {
    let file = std::env::temp_dir().join(format!("pc-output-{}-{domain}.json", std::process::id()));
    std::fs::write(
        &file,
        json!({
            "companyProfile": {"domain": domain},
            "billingProfile": {"culture": "en-US", "email": "a@b.example", "language": "en",
                "companyName": "Output Contoso With A Rather Long Company Name Indeed", "defaultAddress": {"country": "US",
                "city": "Redmond", "addressLine1": "1 Microsoft Way", "postalCode": "98052",
                "firstName": "A", "lastName": "B"}}
        })
        .to_string(),
    )
    .unwrap();
    file
}

/// Runs with `-o FORMAT`; a success is asserted.
async fn ok(args: &[&str], format: &str, vars: &[(&'static str, String)]) -> String {
    let mut all = args.to_vec();
    all.extend(["-o", format]);
    let r = run(&all, vars).await;
    assert_eq!(r.code, 0, "{all:?}: {}", r.stderr);
    r.stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_for_a_list_a_get_and_a_create() {
    let emu = Emulator::builder().start().await.unwrap();
    let mut vars = emulator_env(&emu);
    vars.push(("COLUMNS", "80".to_owned()));
    let formats = ["json", "jsonl", "tsv", "yaml", "table"];

    // Create: one object in every format.
    let mut ids = Vec::new();
    for (n, format) in formats.iter().enumerate() {
        let file = customer_file(&format!("out{n}.onmicrosoft.com"));
        let out = ok(
            &["customers", "create", "--file", &file.display().to_string()],
            format,
            &vars,
        )
        .await;
        match *format {
            "json" => {
                let v: Value = serde_json::from_str(&out).unwrap();
                assert!(v.is_object(), "a create prints the object: {out}");
                ids.push(v["id"].as_str().unwrap().to_owned());
            }
            "jsonl" => {
                assert_eq!(out.lines().count(), 1, "{out}");
                let v: Value = serde_json::from_str(out.trim()).unwrap();
                assert!(v.is_object());
            }
            "tsv" => {
                assert_eq!(out.lines().count(), 1, "one record: {out}");
                assert!(
                    out.contains('\t') && out.contains("out2.onmicrosoft.com"),
                    "{out}"
                );
            }
            "yaml" => {
                let v: Value = serde_yaml_ng::from_str(&out).unwrap();
                assert_eq!(v["companyProfile"]["domain"], "out3.onmicrosoft.com");
            }
            _ => assert!(out.contains("out4.onmicrosoft.com"), "{out}"),
        }
    }
    let id = ids[0].clone();

    // Get: the object.
    for format in formats {
        let out = ok(&["customers", "get", &id], format, &vars).await;
        match format {
            "json" => assert_eq!(
                serde_json::from_str::<Value>(&out).unwrap()["id"],
                id.as_str()
            ),
            "jsonl" => assert_eq!(out.lines().count(), 1),
            "tsv" => {
                assert_eq!(out.lines().count(), 1);
                assert!(out.split('\t').any(|f| f == id), "{out}");
            }
            "yaml" => assert_eq!(
                serde_yaml_ng::from_str::<Value>(&out).unwrap()["id"],
                id.as_str()
            ),
            _ => assert!(
                out.contains(&id) && out.contains("out0.onmicrosoft.com"),
                "{out}"
            ),
        }
    }

    // List: an array, a line per item.
    for format in formats {
        let out = ok(&["customers", "list"], format, &vars).await;
        match format {
            "json" => assert_eq!(
                serde_json::from_str::<Value>(&out)
                    .unwrap()
                    .as_array()
                    .unwrap()
                    .len(),
                5
            ),
            "jsonl" | "tsv" => assert_eq!(out.lines().count(), 5, "{out}"),
            "yaml" => assert_eq!(
                serde_yaml_ng::from_str::<Value>(&out)
                    .unwrap()
                    .as_array()
                    .unwrap()
                    .len(),
                5
            ),
            _ => {
                assert_eq!(out.lines().count(), 6, "a header and five rows: {out}");
                for line in out.lines() {
                    assert!(line.chars().count() <= 80, "fits 80 columns: {line:?}");
                }
                assert!(
                    out.contains('…'),
                    "long cells are cut with an ellipsis: {out}"
                );
                assert!(
                    !out.contains('\u{1b}'),
                    "no colour when not a terminal: {out:?}"
                );
            }
        }
    }

    // --query, as az --query: the domains one per line.
    let out = ok(
        &["customers", "list", "--query", "[].companyProfile.domain"],
        "tsv",
        &vars,
    )
    .await;
    let mut domains: Vec<&str> = out.lines().collect();
    domains.sort_unstable();
    assert_eq!(
        domains,
        (0..5)
            .map(|n| format!("out{n}.onmicrosoft.com"))
            .collect::<Vec<_>>()
    );
    let one = ok(
        &["customers", "get", &id, "--query", "companyProfile.domain"],
        "json",
        &vars,
    )
    .await;
    assert_eq!(one.trim(), "\"out0.onmicrosoft.com\"");
    // A query's result as a table, by its shape.
    let table = ok(
        &[
            "customers",
            "list",
            "--query",
            "[].{id: id, domain: companyProfile.domain}",
        ],
        "table",
        &vars,
    )
    .await;
    assert!(table.lines().next().unwrap().contains("domain"), "{table}");
    // A query that fails on the result (abs of an object) after a create: exit 2, and the
    // whole result on stdout, so the new customer's one-time password is not lost.
    let file = customer_file("outq.onmicrosoft.com");
    let failed = run(
        &[
            "customers",
            "create",
            "--file",
            &file.display().to_string(),
            "--query",
            "abs(companyProfile)",
        ],
        &vars,
    )
    .await;
    assert_eq!(failed.code, 2, "{}", failed.stderr);
    assert!(failed.stderr.contains("--query"), "{}", failed.stderr);
    let whole: Value = serde_json::from_str(&failed.stdout).unwrap();
    assert_eq!(whole["companyProfile"]["domain"], "outq.onmicrosoft.com");
    // Not JMESPath: exit 2, before any call.
    let bad = run(&["customers", "list", "--query", "[?"], &vars).await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--query"), "{}", bad.stderr);
}

#[tokio::test]
async fn completions_manual_pages_and_the_version() {
    let bash = run(&["completions", "bash"], &[]).await;
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    assert!(bash.stdout.contains("partner-center"));
    for sub in ["customers", "subscriptions", "marketplace", "completions"] {
        assert!(bash.stdout.contains(sub), "bash completes {sub}");
    }
    for shell in ["zsh", "fish", "powershell"] {
        let r = run(&["completions", shell], &[]).await;
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(!r.stdout.is_empty());
    }
    let unknown = run(&["completions", "tcsh"], &[]).await;
    assert_eq!(unknown.code, 2);

    let dir = std::env::temp_dir().join(format!("pc-man-{}", std::process::id()));
    let r = run(&["man-pages", "--out", &dir.display().to_string()], &[]).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let top = std::fs::read_to_string(dir.join("partner-center.1")).unwrap();
    assert!(top.contains(".TH partner-center"), "{top}");
    assert!(dir.join("partner-center-customers-list.1").exists());
    let _ = std::fs::remove_dir_all(&dir);

    let version = std::process::Command::new(BIN)
        .arg("--version")
        .output()
        .unwrap();
    let version = String::from_utf8_lossy(&version.stdout);
    assert!(
        version.starts_with("partner-center ") && version.contains("(commit "),
        "{version}"
    );
}

/// Runs the binary on a pseudo-terminal (util-linux `script`), as a person at a terminal
/// does; answers what the terminal showed (stdout and stderr together).
#[cfg(target_os = "linux")]
async fn on_a_terminal(args: &[&str], vars: &[(&'static str, String)]) -> String {
    // `script -c` hands the command to a shell: each word single-quoted.
    let quote = |word: &str| format!("'{}'", word.replace('\'', r"'\''"));
    let command = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(quote)
        .collect::<Vec<_>>()
        .join(" ");
    let vars = vars.to_vec();
    let out = tokio::task::spawn_blocking(move || {
        let home = tempfile::tempdir().unwrap();
        std::process::Command::new("script")
            .args(["-q", "-e", "-c", &command, "/dev/null"])
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TERM", "xterm")
            .envs(vars)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("util-linux `script` runs the CLI on a pseudo-terminal")
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// On a terminal, `--all` over 1,500 customers shows its progress (a spinner counting what
/// it fetched) and the table's header is bold; `NO_COLOR` drops the bold; piped, neither
/// appears (the contract's "only on a terminal").
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_gets_progress_and_colour_and_a_pipe_gets_neither() {
    // Each page held a little, so the spinner ticks while paging.
    let slow: partner_center_emulator::Fault =
        "latency,rate=1,ms=150,route=/v1/customers".parse().unwrap();
    let emu = Emulator::builder()
        .seed_customers(1_500)
        .fault(slow)
        .start()
        .await
        .unwrap();
    let mut vars = emulator_env(&emu);
    vars.push(("COLUMNS", "120".to_owned()));
    let args = ["customers", "list", "--all", "-o", "table"];

    let shown = on_a_terminal(&args, &vars).await;
    assert!(
        shown.contains("fetched"),
        "no progress on a terminal: {shown}"
    );
    assert!(shown.contains("\u{1b}[1m"), "no bold header on a terminal");
    assert!(shown.contains("ID"), "{shown}");

    let mut plain = vars.clone();
    plain.push(("NO_COLOR", "1".to_owned()));
    let shown = on_a_terminal(&args, &plain).await;
    assert!(!shown.contains("\u{1b}[1m"), "bold despite NO_COLOR");

    let piped = run(&args, &vars).await;
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert!(
        piped.stderr.is_empty(),
        "progress on a pipe: {}",
        piped.stderr
    );
    assert!(!piped.stdout.contains('\u{1b}'), "escape codes on a pipe");
    assert_eq!(
        piped
            .stdout
            .lines()
            .filter(|l| l.contains("onmicrosoft"))
            .count(),
        1_500,
        "every customer, one row each"
    );
}
