//! `partner-center demo` runs to the end on its embedded emulator, every step narrated.
#![allow(clippy::unwrap_used)] // reason: tests

mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_every_step() {
    let run = common::run(&["demo"], &[]).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    for step in 1..=14 {
        assert!(
            run.stdout.contains(&format!("== {step}. ")),
            "step {step} is missing:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout.contains("Customer Agreement confirmed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("cancelled: status now deleted"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("live: 3 resources"), "{}", run.stdout);
    assert!(
        run.stdout.contains("diff: listing en-us: title"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("assigned: 1 of 3 seats used"),
        "{}",
        run.stdout
    );
    for operation in ["create_customer_user", "update_customer_user_licenses"] {
        assert!(
            run.stdout.contains(operation),
            "{operation}:\n{}",
            run.stdout
        );
    }
    assert!(
        !run.stdout.contains("Pc9!"),
        "no password is printed:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("exported 2 unbilled line items"),
        "{}",
        run.stdout
    );
}
