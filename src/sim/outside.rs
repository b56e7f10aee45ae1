//! Outside agents: parties played by external programs over line-delimited JSON, under a
//! referee that enforces every party's stated rules.
//!
//! The protocol is documented in `docs/agent-protocol.md`; in short, the referee starts
//! each program, sends it one JSON object per line on its standard input (a `start`
//! message, then a `turn` on each of its turns, an `end` at the end) and reads one JSON
//! object per line from its standard output: `{"offer": {ISSUE: LEVEL, …}}`,
//! `{"accept": true}` or `{"walk_out": true}`, with an optional `"message"` kept in the
//! trace.
//!
//! The referee refuses, with a `rejected` reply naming the reason, a line that is not such
//! an object, an offer that breaks the sender's own red lines in force, falls below its
//! reservation in force, or cannot be implemented from the status quo in force without
//! breaking a precondition in force (unless bad-faith offers are allowed), and an
//! acceptance of nothing, of the agent's own offer, or of a state it could not accept
//! under the same rules. Each move allows [`RefereeConfig::max_retries`] refused lines; one
//! more and the move is forfeited (it counts as a rejection: the offer on the table stands,
//! acceptances are cleared). No line within [`RefereeConfig::move_timeout`], or the program
//! ending, forfeits the run: the party walks out, and the trace says why.
//!
//! Every line both ways is logged ([`OutsideRun::log`]). Each program's output is read on
//! its own thread and its input written on another, so a silent or stuck program costs at
//! most the timeout, never a hang; at the end each program's input is closed, it is given
//! a short grace to exit, then killed, and always waited for (no zombie).
//!
//! **Security.** Programs come only from the caller (the command line's `--agent`): no
//! scenario or tournament file can name one. **Determinism.** The built-in agents and the
//! events draw from the run's seeded stream as always, but an outside program answers as
//! it likes and when it likes, so a run with one is not reproducible from its seed.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

use super::agent::RunState;
use super::monte_carlo::run_seed;
use super::protocol::{RunResult, run_seated};
use super::seat::{SeatMove, Seats, Turn};
use super::trace::{End, InForce, Recorder, Step, Trace};
use super::world::{Protocol, World};
use crate::error::sim::SimError;
use crate::space::StateIndex;

/// The protocol's name and version, sent in the `start` message.
pub const PROTOCOL: &str = "dealzone-agent/1";

/// The wait, after an agent's input is closed at the end, before it is killed.
pub const GRACE: Duration = Duration::from_millis(500);

/// One party played by an external program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentProgram {
    /// The party's id.
    pub party: String,
    /// The program and its arguments (run directly, never through a shell).
    pub argv: Vec<String>,
}

impl AgentProgram {
    /// Parse `PARTY=PROGRAM [ARG…]`: the program and its arguments are split at whitespace
    /// (no quoting, no shell).
    ///
    /// # Errors
    /// [`SimError::OutsideAgent`] without `=`, or with an empty party or program.
    ///
    /// # Example
    /// ```
    /// let a = dealzone::sim::outside::AgentProgram::parse("union=python3 agent.py --fast").unwrap();
    /// assert_eq!(a.party, "union");
    /// assert_eq!(a.argv, ["python3", "agent.py", "--fast"]);
    /// assert!(dealzone::sim::outside::AgentProgram::parse("union").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<AgentProgram, SimError> {
        let bad = |party: &str, message: &str| SimError::OutsideAgent {
            party: party.to_string(),
            message: message.to_string(),
        };
        let Some((party, program)) = text.split_once('=') else {
            return Err(bad(text, "write it as PARTY=PROGRAM [ARGS]"));
        };
        let argv: Vec<String> = program.split_whitespace().map(str::to_string).collect();
        if party.is_empty() {
            return Err(bad(party, "the party is empty (write PARTY=PROGRAM)"));
        }
        if argv.is_empty() {
            return Err(bad(party, "the program is empty (write PARTY=PROGRAM)"));
        }
        Ok(AgentProgram {
            party: party.to_string(),
            argv,
        })
    }
}

/// How the referee treats outside agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefereeConfig {
    /// The longest wait for each line an agent sends; none in time forfeits the run.
    pub move_timeout: Duration,
    /// Refused lines allowed per move; one more forfeits the move.
    pub max_retries: u32,
    /// The longest line accepted from an agent, in bytes (a longer one is refused as
    /// malformed).
    pub max_line_bytes: usize,
    /// The longest a whole run may wait for agents (a tournament's per-match budget):
    /// once it is spent, the agent the referee is waiting for forfeits the run as on a
    /// timeout (`None`: no limit beyond the per-line timeout).
    pub run_time_limit: Option<Duration>,
}

impl Default for RefereeConfig {
    /// 5 s per line, 3 retries, 1 MiB lines, no limit per run.
    fn default() -> Self {
        RefereeConfig {
            move_timeout: Duration::from_secs(5),
            max_retries: 3,
            max_line_bytes: 1 << 20,
            run_time_limit: None,
        }
    }
}

/// Which way a logged line went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the referee to the agent.
    ToAgent,
    /// From the agent to the referee.
    FromAgent,
    /// The referee's own note (a timeout, the program's exit, a kill).
    Note,
}

impl Direction {
    /// `to`, `from` or `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::ToAgent => "to",
            Direction::FromAgent => "from",
            Direction::Note => "note",
        }
    }
}

/// One logged exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The party whose agent it concerns.
    pub party: String,
    /// Which way.
    pub direction: Direction,
    /// The line (without its newline), or the note.
    pub line: String,
}

impl Exchange {
    /// The exchange as one JSON object: `{"party", "dir", "line"}`.
    pub fn to_json(&self) -> Value {
        json!({"party": self.party, "dir": self.direction.as_str(), "line": self.line})
    }
}

/// A run with outside agents.
#[derive(Debug, Clone)]
pub struct OutsideRun {
    /// The run's result.
    pub result: RunResult,
    /// Every step, the agents' messages, refusals and forfeits included.
    pub trace: Trace,
    /// Every line sent and received, in order, and the referee's notes.
    pub log: Vec<Exchange>,
}

/// What the reader thread hands over.
enum Incoming {
    Line(String),
    TooLong,
    Eof,
}

/// One running agent program.
struct Proc {
    child: Child,
    to: Option<Sender<String>>,
    from: Receiver<Incoming>,
    reader: Option<JoinHandle<()>>,
    writer: Option<JoinHandle<()>>,
    /// Still answering (no timeout, no exit seen).
    alive: bool,
}

impl Proc {
    fn start(party: &str, argv: &[String], max_line: usize) -> Result<Proc, SimError> {
        let mut child = Command::new(&argv[0])
            .args(&argv[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|source| SimError::AgentStart {
                party: party.to_string(),
                program: argv.join(" "),
                source,
            })?;
        // Both pipes exist: they were asked for above.
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(SimError::OutsideAgent {
                party: party.to_string(),
                message: "the program's pipes could not be opened".into(),
            });
        };
        let (to, inbox) = channel::<String>();
        let writer = std::thread::spawn(move || {
            let mut stdin = stdin;
            for line in inbox {
                if stdin
                    .write_all(line.as_bytes())
                    .and_then(|_| stdin.write_all(b"\n"))
                    .and_then(|_| stdin.flush())
                    .is_err()
                {
                    break;
                }
            }
            // Dropping `stdin` closes the agent's input.
        });
        let (outbox, from) = channel();
        let reader = std::thread::spawn(move || read_lines(stdout, max_line, &outbox));
        Ok(Proc {
            child,
            to: Some(to),
            from,
            reader: Some(reader),
            writer: Some(writer),
            alive: true,
        })
    }

    fn send(&self, line: String) {
        if let Some(to) = &self.to {
            // A writer that stopped (the program closed its input) is seen as an exit on
            // the next read.
            let _ = to.send(line);
        }
    }

    /// Close the input, wait up to `grace` for the exit, kill, reap, and join both threads
    /// (each ends once the pipes close; a thread still blocked a second later, by a
    /// grandchild holding a pipe open, is left to end with it).
    fn finish(&mut self, grace: Duration) -> Option<String> {
        self.to = None;
        let until = Instant::now() + grace;
        let mut note = None;
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < until => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => {
                    let _ = self.child.kill();
                    note = Some("killed at the end".to_string());
                    break;
                }
            }
        }
        let status = self.child.wait().ok();
        let until = Instant::now() + Duration::from_secs(1);
        for handle in [self.reader.take(), self.writer.take()]
            .into_iter()
            .flatten()
        {
            while !handle.is_finished() && Instant::now() < until {
                // Drain what the reader still has so it is never blocked on the channel.
                while self.from.try_recv().is_ok() {}
                std::thread::sleep(Duration::from_millis(2));
            }
            if handle.is_finished() {
                let _ = handle.join();
            }
        }
        note.or_else(|| status.map(|s| format!("exited: {s}")))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if self.reader.is_some() || self.writer.is_some() {
            self.finish(Duration::ZERO);
        }
    }
}

/// Read lines of at most `max` bytes from `out` until it closes.
fn read_lines(out: impl Read, max: usize, to: &Sender<Incoming>) {
    let mut r = BufReader::new(out);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        // A read error ends the stream as its close does.
        let n: usize = r
            .by_ref()
            .take(max as u64 + 1)
            .read_until(b'\n', &mut buf)
            .unwrap_or_default();
        if n == 0 {
            let _ = to.send(Incoming::Eof);
            return;
        }
        let msg = if buf.last() != Some(&b'\n') && buf.len() > max {
            // Skip the rest of the long line.
            loop {
                buf.clear();
                match r.by_ref().take(1 << 16).read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if buf.last() == Some(&b'\n') => break,
                    Ok(_) => {}
                }
            }
            Incoming::TooLong
        } else {
            let text = String::from_utf8_lossy(&buf);
            Incoming::Line(text.trim_end_matches(['\n', '\r']).to_string())
        };
        if to.send(msg).is_err() {
            return;
        }
    }
}

/// The referee: the [`Seats`] of a run with outside agents.
struct Referee<'a> {
    config: RefereeConfig,
    /// When the run's time is up ([`RefereeConfig::run_time_limit`]).
    deadline: Option<Instant>,
    /// By party: its program, if outside.
    procs: Vec<Option<Proc>>,
    log: &'a mut Vec<Exchange>,
}

impl Referee<'_> {
    fn note(&mut self, w: &World, p: usize, direction: Direction, line: String) {
        self.log.push(Exchange {
            party: w.parties[p].name.clone(),
            direction,
            line,
        });
    }

    fn send(&mut self, w: &World, p: usize, msg: &Value) {
        let line = msg.to_string();
        if let Some(proc) = &self.procs[p]
            && proc.alive
        {
            proc.send(line.clone());
            self.note(w, p, Direction::ToAgent, line);
        }
    }
}

/// A refused line: its code and reason.
type Refusal = (&'static str, String);

impl Seats for Referee<'_> {
    fn outside(&self, p: usize) -> bool {
        self.procs[p].is_some()
    }

    fn play<R: Recorder>(
        &mut self,
        w: &World,
        st: &RunState,
        p: usize,
        turn: Turn<'_>,
        rec: &mut R,
    ) -> SeatMove {
        let round = turn.round;
        if !self.procs[p].as_ref().is_some_and(|x| x.alive) {
            return SeatMove::WalkOut;
        }
        let msg = turn_message(w, st, p, &turn, &self.config);
        self.send(w, p, &msg);
        let mut retries_left = self.config.max_retries;
        loop {
            let left = self
                .deadline
                .map(|d| d.saturating_duration_since(Instant::now()));
            let timeout = left.map_or(self.config.move_timeout, |l| {
                l.min(self.config.move_timeout)
            });
            let Some(proc) = self.procs[p].as_ref() else {
                return SeatMove::WalkOut;
            };
            let got = proc.from.recv_timeout(timeout);
            let line = match got {
                Ok(Incoming::Line(line)) => line,
                Ok(Incoming::TooLong) => {
                    self.note(w, p, Direction::FromAgent, "(a line too long)".into());
                    String::new()
                }
                Ok(Incoming::Eof) | Err(RecvTimeoutError::Disconnected) => {
                    return self.forfeit_run(w, p, round, "exited", rec);
                }
                Err(RecvTimeoutError::Timeout) => {
                    // The run's budget, when it ran out before the line's own timeout.
                    let why = if left.is_some_and(|l| l < self.config.move_timeout) {
                        "run_time_limit"
                    } else {
                        "timeout"
                    };
                    return self.forfeit_run(w, p, round, why, rec);
                }
            };
            if !line.is_empty() {
                self.note(w, p, Direction::FromAgent, line.clone());
            }
            let checked = if line.is_empty() {
                Err((
                    "malformed",
                    format!(
                        "an empty line, or one longer than {} bytes",
                        self.config.max_line_bytes
                    ),
                ))
            } else {
                parse_move(w, &line).and_then(|(mv, message)| {
                    check_move(w, st, p, &turn, mv).map(|mv| (mv, message))
                })
            };
            match checked {
                Ok((mv, message)) => {
                    if let Some(message) = message {
                        rec.record(|| Step::Said {
                            round,
                            party: p,
                            message,
                        });
                    }
                    return mv;
                }
                Err((code, reason)) => {
                    rec.record(|| Step::Refused {
                        round,
                        party: p,
                        code: code.to_string(),
                        reason: reason.clone(),
                    });
                    if retries_left == 0 {
                        let msg = json!({
                            "type": "forfeited", "round": round, "code": code, "reason": reason,
                            "what": "move",
                        });
                        self.send(w, p, &msg);
                        rec.record(|| Step::Forfeit {
                            round,
                            party: p,
                            reason: "retries".into(),
                        });
                        return SeatMove::Pass;
                    }
                    retries_left -= 1;
                    let msg = json!({
                        "type": "rejected", "round": round, "code": code, "reason": reason,
                        "retries_left": retries_left,
                    });
                    self.send(w, p, &msg);
                }
            }
        }
    }
}

impl Referee<'_> {
    fn forfeit_run<R: Recorder>(
        &mut self,
        w: &World,
        p: usize,
        round: u32,
        reason: &str,
        rec: &mut R,
    ) -> SeatMove {
        let note = match reason {
            "timeout" => format!(
                "no line within {} ms: the party forfeits the run",
                self.config.move_timeout.as_millis()
            ),
            "run_time_limit" => format!(
                "the run's time limit of {} ms is spent: the party forfeits the run",
                self.config.run_time_limit.unwrap_or_default().as_millis()
            ),
            _ => "the program closed its output: the party forfeits the run".to_string(),
        };
        self.note(w, p, Direction::Note, note);
        let msg = json!({"type": "forfeited", "round": round, "code": reason, "what": "run"});
        self.send(w, p, &msg);
        if let Some(proc) = self.procs[p].as_mut() {
            proc.alive = false;
        }
        rec.record(|| Step::Forfeit {
            round,
            party: p,
            reason: reason.to_string(),
        });
        SeatMove::WalkOut
    }
}

/// A state as `{ISSUE: LEVEL}`.
fn state_json(w: &World, s: StateIndex) -> Value {
    let mut m = Map::new();
    for (i, l) in w.state_names(s) {
        m.insert(i.to_string(), Value::from(l));
    }
    Value::Object(m)
}

/// The constraints in force: `party`'s red lines, every party's preconditions.
fn in_force(w: &World, variants: &[u8], p: usize) -> (Vec<Value>, Vec<Value>) {
    let mut red = Vec::new();
    let mut pre = Vec::new();
    for (k, c) in w.constraints.iter().enumerate() {
        let v = usize::from(variants[k]);
        if c.variants[v].is_none() {
            continue;
        }
        let item = json!({"id": c.name, "rule": c.texts[v]});
        if c.red_line {
            if c.party == p {
                red.push(item);
            }
        } else {
            pre.push(item);
        }
    }
    (red, pre)
}

fn start_message(w: &World, p: usize, config: &RefereeConfig) -> Value {
    let s = &w.scenario;
    let issues: Vec<Value> = s
        .issues()
        .iter()
        .map(|i| json!({"id": i.id(), "levels": i.levels().iter().map(|l| l.id()).collect::<Vec<_>>()}))
        .collect();
    let party = &s.parties()[p];
    let utility = party.preferences().map(|pr| {
        let mut weights = Map::new();
        let mut values = Map::new();
        for (i, issue) in s.issues().iter().enumerate() {
            weights.insert(issue.id().to_string(), Value::from(pr.weights()[i]));
            values.insert(issue.id().to_string(), Value::from(pr.values()[i].clone()));
        }
        json!({"weights": weights, "values": values})
    });
    let (red, pre) = in_force(w, &vec![0; w.constraints.len()], p);
    json!({
        "type": "start",
        "protocol": PROTOCOL,
        "negotiation": match w.protocol {
            Protocol::Alternating => "alternating",
            Protocol::Mediation { .. } => "mediation",
        },
        "mediator": match w.protocol {
            Protocol::Alternating => None,
            Protocol::Mediation { mediator } => Some(w.parties[mediator].name.as_str()),
        },
        "scenario": s.name(),
        "party": w.parties[p].name,
        "parties": w.parties.iter().map(|q| q.name.as_str()).collect::<Vec<_>>(),
        "issues": issues,
        "status_quo": state_json(w, w.status_quo),
        "utility": utility,
        "reservation": w.parties[p].contrib.as_ref().map(|_| w.parties[p].reservation),
        "red_lines": red,
        "preconditions": pre,
        "rounds": w.deadline,
        "move_timeout_ms": config.move_timeout.as_millis() as u64,
        "max_retries": config.max_retries,
        "bad_faith": w.sequencing.bad_faith,
    })
}

fn turn_message(
    w: &World,
    st: &RunState,
    p: usize,
    turn: &Turn<'_>,
    config: &RefereeConfig,
) -> Value {
    let (red, pre) = in_force(w, &st.variants, p);
    let on_table = turn
        .on_table
        .map(|(s, from)| json!({"party": w.parties[from].name, "offer": state_json(w, s)}));
    let mut latest = Map::new();
    for (q, s) in turn.latest.iter().enumerate() {
        if let Some(s) = s {
            latest.insert(w.parties[q].name.clone(), state_json(w, *s));
        }
    }
    let accepted_by: Vec<&str> = (0..w.parties.len())
        .filter(|&q| turn.accepted[q])
        .map(|q| w.parties[q].name.as_str())
        .collect();
    json!({
        "type": "turn",
        "round": turn.round,
        "rounds": w.deadline,
        "on_table": on_table,
        "accepted_by": accepted_by,
        "latest_offers": latest,
        "status_quo": state_json(w, st.sq),
        "reservation": w.parties[p].contrib.as_ref().map(|_| st.reservations[p]),
        "red_lines": red,
        "preconditions": pre,
        "move_timeout_ms": config.move_timeout.as_millis() as u64,
    })
}

/// An agent's line as a move (an offer still unchecked against the rules) and its message.
fn parse_move(w: &World, line: &str) -> Result<(Parsed, Option<String>), Refusal> {
    let v: Value =
        serde_json::from_str(line).map_err(|e| ("malformed", format!("not JSON: {e}")))?;
    let Value::Object(o) = v else {
        return Err(("malformed", "not a JSON object".into()));
    };
    let message = match o.get("message") {
        None | Some(Value::Null) => None,
        Some(Value::String(m)) => Some(m.clone()),
        Some(_) => return Err(("malformed", "`message` is not a string".into())),
    };
    if let Some(k) = o
        .keys()
        .find(|k| !["offer", "accept", "walk_out", "message"].contains(&k.as_str()))
    {
        let hint = crate::suggest::did_you_mean(k, ["offer", "accept", "walk_out", "message"])
            .map_or_else(String::new, |h| format!(" ({h})"));
        return Err(("malformed", format!("unknown key `{k}`{hint}")));
    }
    let moves = ["offer", "accept", "walk_out"]
        .iter()
        .filter(|k| o.contains_key(**k))
        .count();
    if moves != 1 {
        return Err((
            "malformed",
            "send exactly one of `offer`, `accept`, `walk_out`".into(),
        ));
    }
    if let Some(a) = o.get("accept") {
        return if a == &Value::Bool(true) {
            Ok((Parsed::Accept, message))
        } else {
            Err(("malformed", "`accept` must be true".into()))
        };
    }
    if let Some(a) = o.get("walk_out") {
        return if a == &Value::Bool(true) {
            Ok((Parsed::WalkOut, message))
        } else {
            Err(("malformed", "`walk_out` must be true".into()))
        };
    }
    let Some(Value::Object(offer)) = o.get("offer") else {
        return Err((
            "malformed",
            "`offer` must be an object {ISSUE: LEVEL}".into(),
        ));
    };
    let issues = w.scenario.issues();
    let mut levels = vec![None; issues.len()];
    for (k, v) in offer {
        let Some(i) = issues.iter().position(|x| x.id() == k) else {
            let hint = crate::suggest::did_you_mean(k, issues.iter().map(|x| x.id()))
                .map_or_else(String::new, |h| format!(" ({h})"));
            return Err(("unknown_issue", format!("no issue `{k}`{hint}")));
        };
        let Value::String(l) = v else {
            return Err((
                "malformed",
                format!("the level of `{k}` must be a string (a level id)"),
            ));
        };
        let Some(li) = issues[i].level_index(l) else {
            let hint = crate::suggest::did_you_mean(l, issues[i].levels().iter().map(|x| x.id()))
                .map_or_else(String::new, |h| format!(" ({h})"));
            return Err((
                "unknown_level",
                format!("issue `{k}` has no level `{l}`{hint}"),
            ));
        };
        levels[i] = Some(li);
    }
    let missing: Vec<&str> = issues
        .iter()
        .zip(&levels)
        .filter(|(_, l)| l.is_none())
        .map(|(x, _)| x.id())
        .collect();
    if !missing.is_empty() {
        return Err((
            "incomplete_offer",
            format!("the offer gives no level for: {}", missing.join(", ")),
        ));
    }
    let levels: Vec<usize> = levels.into_iter().flatten().collect();
    Ok((Parsed::Offer(w.space.encode(&levels)), message))
}

/// A parsed move, before the rules.
enum Parsed {
    Offer(StateIndex),
    Accept,
    WalkOut,
}

/// Whether `p` may stand by `s`: its red lines in force, its reservation in force, and the
/// preconditions in force (unless bad faith is allowed).
fn check_state(w: &World, st: &RunState, p: usize, s: StateIndex) -> Result<(), Refusal> {
    let broken: Vec<&str> = w.parties[p]
        .red_lines
        .iter()
        .filter(|&&c| !w.holds(c, st.variants[c], s))
        .map(|&c| w.constraints[c].name.as_str())
        .collect();
    if !broken.is_empty() {
        return Err((
            "red_line",
            format!("it breaks your red lines: {}", broken.join(", ")),
        ));
    }
    if w.parties[p].contrib.is_some() && w.utility(p, s) < st.floor(w, p) - super::agent::TOL {
        return Err((
            "reservation",
            format!(
                "your utility there, {:.6}, is below your reservation {:.6}",
                w.utility(p, s),
                st.floor(w, p)
            ),
        ));
    }
    if !st.offerable(w, s) {
        let inf = InForce {
            variants: st.variants.clone(),
            reservations: st.reservations.clone(),
            status_quo: st.sq,
        };
        let blocked = match super::sequencing::path_to(w, &inf, s) {
            Ok(path) => path
                .least_blocking()
                .iter()
                .map(|b| b.join(" + "))
                .collect::<Vec<_>>()
                .join("; or "),
            Err(e) => e.to_string(),
        };
        return Err((
            "precondition",
            format!(
                "no path from the status quo in force reaches it without breaking a \
                 precondition in force (blocked by: {blocked})"
            ),
        ));
    }
    Ok(())
}

fn check_move(
    w: &World,
    st: &RunState,
    p: usize,
    turn: &Turn<'_>,
    mv: Parsed,
) -> Result<SeatMove, Refusal> {
    match mv {
        Parsed::WalkOut => Ok(SeatMove::WalkOut),
        Parsed::Offer(s) => check_state(w, st, p, s).map(|_| SeatMove::Offer(s)),
        Parsed::Accept => match turn.on_table {
            None => Err(("nothing_to_accept", "no offer is on the table".into())),
            Some((_, from)) if from == p => Err((
                "nothing_to_accept",
                if matches!(w.protocol, Protocol::Mediation { mediator } if mediator == p) {
                    "the text on the table is your own: as the mediator, offer the next text \
                     (the same one to keep it)"
                        .into()
                } else {
                    "the offer on the table is your own".into()
                },
            )),
            Some((s, _)) => check_state(w, st, p, s).map(|_| SeatMove::Accept),
        },
    }
}

/// Play one run of `w` with the parties `agents` names played by their programs.
///
/// # Arguments
/// - `w`: the compiled world, played by alternating offers or by mediation (an outside
///   party answers the mediator's text; an outside mediator tables the texts: see
///   docs/agent-protocol.md, "Mediation").
/// - `seed`, `run`: the built-in agents' and the events' stream is that of run `run` of a
///   batch with master seed `seed` (as [`super::monte_carlo::replay`]).
/// - `agents`: who plays which party (each party at most once).
/// - `config`: timeouts and retries.
///
/// # Returns
/// The run's result, its trace and the log of every exchange.
///
/// # Errors
/// [`SimError::UnknownAgentParty`] (with a did-you-mean), [`SimError::OutsideAgent`] for a
/// party seated twice, [`SimError::AgentStart`] when a program cannot be
/// started (those already started are stopped).
///
/// # Complexity
/// That of one run, plus up to `move_timeout` of waiting per line from each agent.
///
/// # Example
/// ```no_run
/// use dealzone::sim::outside::{AgentProgram, RefereeConfig, play};
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default())?;
/// let agent = AgentProgram::parse("union=python3 examples/agents/concede.py")?;
/// let run = play(&w, 0, 0, &[agent], &RefereeConfig::default())?;
/// println!("{:?} after {} rounds", run.result.end, run.result.rounds);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn play(
    w: &World,
    seed: u64,
    run: u64,
    agents: &[AgentProgram],
    config: &RefereeConfig,
) -> crate::error::Result<OutsideRun> {
    play_seeded(w, run_seed(seed, run), agents, config)
}

/// [`play`] with the run's stream seeded by `stream_seed` itself (a tournament match's
/// seed, [`super::tournament`]).
///
/// # Arguments
/// As [`play`], the stream's seed in place of the batch's seed and run number.
///
/// # Returns
/// As [`play`].
///
/// # Errors
/// As [`play`].
///
/// # Complexity
/// As [`play`]; with [`RefereeConfig::run_time_limit`], at most that long waiting for
/// agents in all.
///
/// # Example
/// ```no_run
/// use dealzone::sim::outside::{AgentProgram, RefereeConfig, play_seeded};
/// let s = dealzone::Scenario::load("seeds/wage_round.toml")?;
/// let w = dealzone::sim::World::new(&s, Default::default(), &Default::default())?;
/// let agent = AgentProgram::parse("union=python3 examples/agents/concede.py")?;
/// let run = play_seeded(&w, 42, &[agent], &RefereeConfig::default())?;
/// println!("{:?} after {} rounds", run.result.end, run.result.rounds);
/// # Ok::<(), dealzone::Error>(())
/// ```
pub fn play_seeded(
    w: &World,
    stream_seed: u64,
    agents: &[AgentProgram],
    config: &RefereeConfig,
) -> crate::error::Result<OutsideRun> {
    let names: Vec<&str> = w.parties.iter().map(|p| p.name.as_str()).collect();
    let mut seat = vec![None; w.parties.len()];
    for a in agents {
        let Some(p) = names.iter().position(|n| *n == a.party) else {
            return Err(SimError::UnknownAgentParty {
                party: a.party.clone(),
                hint: crate::suggest::did_you_mean(&a.party, names.iter().copied())
                    .map_or_else(String::new, |h| format!(": {h}")),
                parties: names.join(", "),
            }
            .into());
        };
        if seat[p].is_some() {
            return Err(SimError::OutsideAgent {
                party: a.party.clone(),
                message: "the party is seated twice".into(),
            }
            .into());
        }
        seat[p] = Some(&a.argv);
    }
    let mut procs = Vec::with_capacity(seat.len());
    for (p, argv) in seat.iter().enumerate() {
        procs.push(match argv {
            // On an error, `procs` is dropped: every program already started is stopped.
            Some(argv) => Some(Proc::start(names[p], argv, config.max_line_bytes)?),
            None => None,
        });
    }
    let mut log = Vec::new();
    let mut referee = Referee {
        deadline: config.run_time_limit.map(|t| Instant::now() + t),
        config: *config,
        procs,
        log: &mut log,
    };
    for p in 0..w.parties.len() {
        if referee.procs[p].is_some() {
            let msg = start_message(w, p, config);
            referee.send(w, p, &msg);
        }
    }
    let mut trace = Trace::default();
    let rng = ChaCha8Rng::seed_from_u64(stream_seed);
    let result = run_seated(w, rng, &mut trace, &mut referee);
    let outcome = match result.end {
        End::Agreement => "agreement",
        End::Deadline => "deadline",
        End::WalkOut(_) => "walk_out",
        End::Unimplementable(_) => "unimplementable",
    };
    let end = json!({
        "type": "end",
        "outcome": outcome,
        "party": match result.end {
            End::WalkOut(q) => Value::from(w.parties[q].name.as_str()),
            _ => Value::Null,
        },
        "agreed": result.agreed.map_or(Value::Null, |s| state_json(w, s)),
        "rounds": result.rounds,
    });
    for p in 0..w.parties.len() {
        if referee.procs[p].is_some() {
            referee.send(w, p, &end);
        }
    }
    for p in 0..w.parties.len() {
        if let Some(mut proc) = referee.procs[p].take()
            && let Some(note) = proc.finish(GRACE)
        {
            referee.note(w, p, Direction::Note, note);
        }
    }
    Ok(OutsideRun { result, trace, log })
}
