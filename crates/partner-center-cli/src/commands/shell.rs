//! `completions` and `man-pages`: the shell's completions and the manual pages, generated
//! from the command definitions themselves (clap_complete, clap_mangen).

use std::path::{Path, PathBuf};

use clap::{CommandFactory as _, Subcommand};

use crate::{Cli, Context, Failure};

/// The shell integration commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Prints the completion script for a shell: `source <(partner-center completions
    /// bash)`, or save it where the shell looks (see docs/cli.md).
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Writes the manual pages (man1) into a folder (`cargo xtask man` writes them to
    /// target/man/man1).
    #[command(hide = true)]
    ManPages {
        /// The folder (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

impl Command {
    pub(crate) async fn run(self, _ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Completions { shell } => {
                let mut out = Vec::new();
                clap_complete::generate(shell, &mut Cli::command(), "partner-center", &mut out);
                crate::output::outln!("{}", String::from_utf8_lossy(&out).trim_end());
                Ok(())
            }
            Command::ManPages { out } => man_pages(&out),
        }
    }
}

/// One page per command: `partner-center.1`, `partner-center-customers.1`,
/// `partner-center-customers-list.1`, …
fn man_pages(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::usage(format!("cannot create {}: {e}", dir.display())))?;
    let mut cmd = Cli::command();
    cmd.build();
    let mut written = 0;
    write_pages(&cmd, "partner-center", dir, &mut written)?;
    crate::output::outln!("{written} manual pages in {}", dir.display());
    Ok(())
}

fn write_pages(
    cmd: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut usize,
) -> Result<(), Failure> {
    if cmd.is_hide_set() {
        return Ok(());
    }
    let page = cmd.clone().name(name.to_owned());
    let mut text = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut text)
        .map_err(|e| Failure::usage(format!("cannot render the page of {name}: {e}")))?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, text)
        .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
    *written += 1;
    for sub in cmd.get_subcommands() {
        if sub.get_name() != "help" {
            write_pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
        }
    }
    Ok(())
}
