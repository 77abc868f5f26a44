//! Outside commands a book names (mdBook preprocessors and renderers) run bounded. A
//! stranger's command can be buggy as well as hostile: it runs in its own process
//! group, for at most a time limit, with its standard output kept up to a size and its
//! standard error cut to its end. When it exits, when the limit passes, when folio gives
//! up on it or when folio itself is told to stop (SIGTERM, SIGINT, SIGHUP: see
//! [`end_groups_on_termination`]), its whole group is killed, so a child it left
//! holding a pipe can neither hang folio nor outlive it.
//!
//! The running groups are one process-wide list because signals are process-wide: the
//! thread that receives SIGTERM must reach every command any thread started.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

/// The process groups of the commands running now.
static RUNNING_GROUPS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// How long a finished command's pipes may stay open (held by a child that escaped its
/// group) before folio stops waiting for the rest of its output.
const PIPE_GRACE: Duration = Duration::from_millis(500);

/// What a command may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock time from start to exit.
    pub time: Duration,
    /// Bytes of standard output kept; more is an error.
    pub output_bytes: usize,
    /// Bytes of the end of standard error kept for an error message.
    pub error_bytes: usize,
}

/// A command that ran to its end.
#[derive(Debug)]
pub struct Finished {
    /// How it exited.
    pub status: ExitStatus,
    /// Everything it wrote on standard output.
    pub output: Vec<u8>,
    /// The end of what it wrote on standard error.
    pub errors: Tail,
}

/// Why a command did not run to its end.
#[derive(Debug)]
pub enum Failure {
    /// It could not be started.
    Start(std::io::Error),
    /// It ran past the time limit and was killed.
    TimedOut {
        /// The limit.
        after: Duration,
        /// The end of its standard error.
        errors: Tail,
    },
    /// It wrote more than the output limit and was killed.
    TooMuchOutput {
        /// The limit, in bytes.
        limit: usize,
        /// The end of its standard error.
        errors: Tail,
    },
}

/// The end of a stream: its last bytes, and how many it had in all.
#[derive(Debug, Default)]
pub struct Tail {
    kept: Vec<u8>,
    total: u64,
    limit: usize,
}

impl Tail {
    fn new(limit: usize) -> Self {
        Self {
            kept: Vec::new(),
            total: 0,
            limit,
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        self.kept.extend_from_slice(bytes);
        if self.kept.len() > 2 * self.limit.max(1) {
            self.kept.drain(..self.kept.len() - self.limit);
        }
    }

    /// The stream as text, trimmed; when it was longer than what was kept, it starts by
    /// saying how long it was and that only its end follows.
    pub fn text(&self) -> String {
        let start = self.kept.len().saturating_sub(self.limit);
        let kept = String::from_utf8_lossy(&self.kept[start..]);
        let kept = kept.trim();
        if (self.kept.len() - start) as u64 == self.total {
            kept.to_string()
        } else {
            format!(
                "[{} bytes in all; the last {} follow] …{kept}",
                self.total,
                self.kept.len() - start
            )
        }
    }
}

/// Runs `command` with `input` on its standard input, within `limits`.
pub fn run(mut command: Command, input: Vec<u8>, limits: &Limits) -> Result<Finished, Failure> {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = command.spawn().map_err(Failure::Start)?;
    let group = Group::register(child.id());
    let (sender, received) = std::sync::mpsc::sync_channel(64);
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // The input is written on its own thread, so a command that answers before reading
    // everything cannot block folio; a command that never reads gets a broken pipe when
    // its group is killed.
    std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    forward(
        child.stdout.take().expect("stdout is piped"),
        Stream::Output,
        sender.clone(),
    );
    forward(
        child.stderr.take().expect("stderr is piped"),
        Stream::Errors,
        sender,
    );
    let outcome = collect(&group, &received, limits);
    group.kill();
    // Out of the list before the leader is reaped and its id can be given to another
    // process: nothing signals that id after the wait.
    group.forget();
    let status = child.wait().map_err(Failure::Start)?;
    let Collected {
        output,
        errors,
        overflow,
        timed_out,
    } = outcome;
    if timed_out {
        return Err(Failure::TimedOut {
            after: limits.time,
            errors,
        });
    }
    if overflow {
        return Err(Failure::TooMuchOutput {
            limit: limits.output_bytes,
            errors,
        });
    }
    Ok(Finished {
        status,
        output,
        errors,
    })
}

/// Which of a command's streams a chunk comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Output,
    Errors,
}

/// A chunk of a stream, or its end (`None`).
type Chunk = (Stream, Option<Vec<u8>>);

/// Reads `pipe` on its own thread into `sender`, a chunk at a time.
fn forward(mut pipe: impl Read + Send + 'static, stream: Stream, sender: SyncSender<Chunk>) {
    std::thread::spawn(move || {
        let mut buffer = vec![0; 64 * 1024];
        loop {
            match pipe.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => {
                    if sender
                        .send((stream, Some(buffer[..read].to_vec())))
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
        let _ = sender.send((stream, None));
    });
}

/// What came out of a command until it exited (or was given up on).
struct Collected {
    output: Vec<u8>,
    errors: Tail,
    overflow: bool,
    timed_out: bool,
}

/// Gathers the command's streams until it has exited and both are closed (or a little
/// after it exited, for pipes a runaway child holds), the output grows past its limit, or
/// the time limit passes.
fn collect(group: &Group, received: &Receiver<Chunk>, limits: &Limits) -> Collected {
    let started = Instant::now();
    let mut collected = Collected {
        output: Vec::new(),
        errors: Tail::new(limits.error_bytes),
        overflow: false,
        timed_out: false,
    };
    let mut open = [true, true];
    let mut exited_at: Option<Instant> = None;
    let mut pause = Duration::from_millis(1);
    loop {
        if exited_at.is_none() && group.leader_has_exited() {
            exited_at = Some(Instant::now());
            // What the leader left running goes with it; its pipes then close.
            group.kill();
        }
        match exited_at {
            Some(_) if open == [false, false] => return collected,
            Some(at) if at.elapsed() > PIPE_GRACE => return collected,
            _ => {}
        }
        if started.elapsed() > limits.time {
            collected.timed_out = true;
            return collected;
        }
        match received.recv_timeout(pause) {
            Ok((stream, Some(bytes))) => {
                pause = Duration::from_millis(1);
                match stream {
                    Stream::Output => {
                        if collected.output.len() + bytes.len() > limits.output_bytes {
                            collected.overflow = true;
                            return collected;
                        }
                        collected.output.extend_from_slice(&bytes);
                    }
                    Stream::Errors => collected.errors.push(&bytes),
                }
            }
            Ok((stream, None)) => open[stream as usize] = false,
            Err(RecvTimeoutError::Timeout) => pause = (pause * 2).min(Duration::from_millis(20)),
            Err(RecvTimeoutError::Disconnected) => open = [false, false],
        }
    }
}

/// A running command's process group, killed when dropped.
struct Group {
    leader: i32,
}

impl Group {
    fn register(pid: u32) -> Self {
        let leader = i32::try_from(pid).expect("a process id fits in pid_t");
        lock_running().insert(leader);
        Self { leader }
    }

    /// True once the leader has exited. It is not reaped here: until `wait`, its process
    /// id (the group's id) cannot be taken by another process, so killing the group
    /// reaches only what the command started.
    fn leader_has_exited(&self) -> bool {
        // SAFETY: waitid writes only into `info`, which lives across the call.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let found = unsafe {
            libc::waitid(
                libc::P_PID,
                self.leader as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        // SAFETY: si_pid is set by waitid for a child that changed state, zero otherwise.
        found == 0 && unsafe { info.si_pid() } != 0
    }

    fn kill(&self) {
        // SAFETY: a signal to the group folio created; an empty group is ESRCH.
        unsafe {
            libc::kill(-self.leader, libc::SIGKILL);
        }
    }
}

impl Group {
    /// Takes the group off the list without killing it again.
    fn forget(self) {
        lock_running().remove(&self.leader);
        std::mem::forget(self);
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill();
        lock_running().remove(&self.leader);
    }
}

fn lock_running() -> std::sync::MutexGuard<'static, BTreeSet<i32>> {
    RUNNING_GROUPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Makes SIGTERM, SIGINT and SIGHUP end every command's group before folio exits
/// (with 128 + the signal's number, as the shell reports a process the signal ended).
/// Called once by the command line; without it a signal would end folio alone.
pub fn end_groups_on_termination() {
    let signals = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP];
    let Ok(mut received) = signal_hook::iterator::Signals::new(signals) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = received.forever().next() {
            for group in lock_running().iter() {
                // SAFETY: a signal to a group folio created.
                unsafe {
                    libc::kill(-group, libc::SIGKILL);
                }
            }
            std::process::exit(128 + signal);
        }
    });
}
