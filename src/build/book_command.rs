//! A command book.toml names (`[preprocessor.NAME]`, `[output.NAME]`): its words, its
//! time limit, and its run, bounded by [`crate::subprocess`], with every failure a
//! diagnostic at the line of its table. A book's command is its author's code: the
//! callers run it only when the person running folio allowed it.

use crate::diagnostic::Diagnostic;
use crate::subprocess::{self, Failure, Finished, Limits};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The code of the error for a command that is not installed (which `optional = true`
/// makes a warning).
pub const NOT_FOUND: &str = "command-not-found";

/// How long a command may run when its table sets no `timeout`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// The standard output a command may write: this much, plus [`OUTPUT_PER_INPUT`] times
/// its input (a preprocessor answers the book it was given, a little changed).
const OUTPUT_BASE: usize = 64 << 20;
const OUTPUT_PER_INPUT: usize = 8;

/// The end of standard error kept for a failure's message.
const ERRORS_KEPT: usize = 8 << 10;

/// One command of book.toml.
#[derive(Debug, Clone)]
pub struct BookCommand {
    /// `preprocessor` or `renderer`: what the messages call it.
    pub kind: &'static str,
    /// The table's name (`NAME` of `[preprocessor.NAME]`).
    pub name: String,
    /// The command line as written (default `mdbook-NAME`).
    pub command: String,
    /// `optional = true`: a command that cannot start is a warning.
    pub optional: bool,
    /// `timeout` in seconds, or [`DEFAULT_TIMEOUT`].
    pub timeout: Duration,
    /// book.toml, and the line of the command's table.
    pub config_file: PathBuf,
    /// The line of the command's table in book.toml.
    pub line: usize,
}

impl BookCommand {
    /// The command of the table `[TABLE.NAME]` (`table` is `preprocessor` or `output`).
    pub fn from_table(
        kind: &'static str,
        table: &str,
        name: &str,
        values: &toml::Value,
        config_file: &Path,
    ) -> Result<Self, Diagnostic> {
        let line = crate::toml_input::line_of_key_in(config_file, &format!("{table}.{name}"));
        let mut command = Self {
            kind,
            name: name.to_string(),
            command: values
                .get("command")
                .and_then(toml::Value::as_str)
                .map_or_else(|| format!("mdbook-{name}"), str::to_string),
            optional: values
                .get("optional")
                .and_then(toml::Value::as_bool)
                .unwrap_or(false),
            timeout: DEFAULT_TIMEOUT,
            config_file: config_file.to_path_buf(),
            line,
        };
        if let Some(timeout) = values.get("timeout") {
            let seconds = timeout
                .as_float()
                .or_else(|| timeout.as_integer().map(|seconds| seconds as f64))
                .filter(|seconds| seconds.is_finite() && *seconds > 0.0 && *seconds <= 86_400.0);
            let Some(seconds) = seconds else {
                return Err(command
                    .error(format!(
                        "`timeout = {timeout}` in [{table}.{name}] is not a number of seconds"
                    ))
                    .with_hint("write `timeout = 300` (seconds, more than 0, at most a day)"));
            };
            command.timeout = Duration::from_secs_f64(seconds);
        }
        Ok(command)
    }

    /// An error about this command, at its table's line.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.kind, message)
            .in_file(&self.config_file)
            .at_line(self.line)
    }

    /// The command, its words split as a shell would (quotes kept together), run from
    /// `directory`; a relative program path is taken from the book's `root`.
    pub fn prepare(&self, root: &Path, directory: &Path) -> Result<Command, Diagnostic> {
        let words = split_command(&self.command);
        let Some((program, arguments)) = words.split_first() else {
            return Err(self
                .error(format!(
                    "{} `{}` has an empty command",
                    self.kind, self.name
                ))
                .with_hint(
                    "write `command = \"program arguments\"`, or leave it out to run `mdbook-NAME`",
                ));
        };
        // A path in the book (`ci/linkcheck.sh`) is taken from its root, made absolute:
        // the command runs elsewhere (a renderer in its own directory).
        let program = if program.contains('/') && Path::new(program).is_relative() {
            let in_book = root.join(program);
            std::path::absolute(&in_book).unwrap_or(in_book)
        } else {
            program.into()
        };
        let mut command = Command::new(program);
        command.args(arguments).current_dir(directory);
        Ok(command)
    }

    /// Runs `command` (from [`prepare`](Self::prepare)) with `input` on its standard
    /// input; a start failure, a time or output limit passed, or an exit status other
    /// than success is an error with the end of its standard error.
    pub fn run(&self, command: Command, input: Vec<u8>) -> Result<Finished, Diagnostic> {
        let finished = self.run_to_exit(command, input)?;
        if !finished.status.success() {
            return Err(self
                .error(format!(
                    "{} `{}` (`{}`) failed ({}){}",
                    self.kind,
                    self.name,
                    self.command,
                    finished.status,
                    with_errors(&finished.errors)
                ))
                .with_hint(format!(
                    "run the command by hand on the book to see why, or remove its [{}] table",
                    self.table()
                )));
        }
        Ok(finished)
    }

    /// [`run`](Self::run), whatever its exit status.
    pub fn run_to_exit(&self, command: Command, input: Vec<u8>) -> Result<Finished, Diagnostic> {
        let limits = Limits {
            time: self.timeout,
            output_bytes: OUTPUT_BASE.saturating_add(input.len().saturating_mul(OUTPUT_PER_INPUT)),
            error_bytes: ERRORS_KEPT,
        };
        subprocess::run(command, input, &limits).map_err(|failure| self.failed(failure))
    }

    /// The table the command comes from, for hints: `preprocessor.NAME` or `output.NAME`.
    pub fn table(&self) -> String {
        match self.kind {
            "preprocessor" => format!("preprocessor.{}", self.name),
            _ => format!("output.{}", self.name),
        }
    }

    fn failed(&self, failure: Failure) -> Diagnostic {
        let who = format!("{} `{}` (`{}`)", self.kind, self.name, self.command);
        match failure {
            Failure::Start(error) => {
                let mut diagnostic = self.error(format!("cannot run {who}: {error}"));
                if error.kind() == std::io::ErrorKind::NotFound {
                    diagnostic.code = NOT_FOUND;
                }
                diagnostic.with_hint(format!(
                    "install it (e.g. `cargo install mdbook-{}`), set `optional = true`, or remove its [{}] table",
                    self.name,
                    self.table()
                ))
            }
            Failure::TimedOut { after, errors } => self
                .error(format!(
                    "{who} ran for more than {} s and was stopped, with every process it started{}",
                    after.as_secs_f64(),
                    with_errors(&errors)
                ))
                .with_hint(format!(
                    "if it is only slow, raise `timeout` (seconds) in its [{}] table; otherwise run it by hand to see where it waits",
                    self.table()
                )),
            Failure::TooMuchOutput { limit, errors } => self
                .error(format!(
                    "{who} wrote more than {} MiB on its standard output and was stopped{}",
                    limit >> 20,
                    with_errors(&errors)
                ))
                .with_hint("it must print only its answer on its standard output (logs go to standard error)"),
        }
    }
}

/// `: ` and the end of standard error, when it wrote anything.
fn with_errors(errors: &subprocess::Tail) -> String {
    let text = errors.text();
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

/// Words of a command line; `"..."` and `'...'` keep spaces.
fn split_command(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut started = false;
    for character in command.chars() {
        match (quote, character) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(character);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::split_command;

    #[test]
    fn commands_split_like_a_shell_line() {
        assert_eq!(
            split_command("python3 'my script.py' --x"),
            ["python3", "my script.py", "--x"]
        );
        assert_eq!(split_command("mdbook-toc"), ["mdbook-toc"]);
        assert_eq!(split_command("a \"\" b"), ["a", "", "b"]);
    }
}
