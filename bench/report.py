"""docs/benchmarks.md from the results of ``bench/run_all.py`` (every figure from one run of it)."""

from __future__ import annotations

import statistics

HOW = """\
## How to rerun

```
make bench                   # every benchmark, 5 flood runs per database (about an hour here)
BENCH_RUNS=1 BENCH_MIXED_SECONDS=20 make bench   # quick mode (about 25 minutes here)
.venv/bin/python bench/flood.py [--database-url postgresql://…] [--profile]   # one flood
.venv/bin/python bench/mixed.py [--rate 50 --seconds 60]                      # end to end
.venv/bin/python bench/profile_summary.py /tmp/tsunagu-flood-*/profile-*.txt  # after --profile
```

`make bench` rewrites this file and `docs/benchmarks.json` (every figure, raw). PostgreSQL is
`BENCH_POSTGRES_URL` (default `postgresql://postgres@127.0.0.1:5432/test`; each run uses a new
schema and drops it); without it only SQLite runs.

**What runs.** `bench/stack.py` starts what the Procfile starts — `web:` (gunicorn with
`bot/gunicorn_conf.py`: 2 workers × 8 threads; each worker also handles events and delivers)
and `clock:` — on a fresh database with the sample city's knowledge base, and the Messaging API
double (`bench/double_server.py`, its own gunicorn, 1 process × 16 threads), all on 127.0.0.1.
The app is `bench/bench_app.py`: `create_app()` plus `POST /bare`, which verifies the signature
and parses the body as `/callback` does, and stores nothing.

**The flood** (`bench/flood.py`): 32 keep-alive connections from 2 load processes send distinct
signed bodies as fast as they are answered: `/bare` for 8 s, `/callback` for 8 s (one parent's
question each, from 3,000 parents, 435 distinct sentences, each with a fresh reply token from the
double), then `/bare` again for 8 s once everything is answered. **Ratio = webhook acked/s ÷
mean of the two bare phases, same run.** The double counts every answer as it arrives; the run
checks that each parent got exactly as many answers as they had questions stored (answers per
user = stored events per user), that no reply token was used twice or after LINE's 60 s, and
that every inbox row is done and every outbox row sent. `--profile` records each worker with
py-spy for the flood and the answering.

**The mixed load** (`bench/mixed.py`): 50 events a second on a fixed schedule for a minute over
8 connections — parents' questions (60 %), taps on the parents' rich menu (20 %), a network
member's concern notes (20 %) — each with a reply token; latency is from sending the webhook
call to the double receiving the reply that used its token.

**The load generator and the double run on the same 2 CPUs as the bot** (and on PostgreSQL, so
does the database server), and **the machine was shared**: other engineers' test runs were
using it throughout. Each figure is given with the 1-minute load average at the start of its
phase and how many of the 2 CPUs were busy during it (everything on the machine, ours included).
"""


def _med(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _fmt(v, nd=2) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    return f"{v:,}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _load(r: dict, phase: str) -> str:
    p = (r.get("load") or {}).get(phase) or {}
    return f"{_fmt(p.get('loadavg_1m_at_start'), 1)} / {_fmt(p.get('cpus_busy'), 2)}"


def _flood_table(runs: list[dict]) -> list[str]:
    lines = [
        "| run (UTC) | bare 1 /s | webhook /s | bare 2 /s | **ratio** | webhook p50 / p99 ms "
        "| acked | answered ≤ 60 s | all answered after | answers/s | bot CPU ms/answer "
        "| load avg / busy CPUs (flood) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r['date'][11:16]} | {_fmt(r['bare_1'], 0)} | {_fmt(r['webhook'], 0)} "
            f"| {_fmt(r['bare_2'], 0)} | **{r['ratio']:.2f}** "
            f"| {r['webhook_p50_ms']} / {r['webhook_p99_ms']} | {_fmt(r['acked'])} "
            f"| {_fmt(r['answered_within_60s'])} | {_fmt(r['all_answered_after_s'], 1)} s "
            f"| {_fmt(r['answer_rate_per_s'], 1)} | {_fmt(r['bot_cpu_ms_per_answer'])} "
            f"| {_load(r, 'flood')} |"
        )
    return lines


def _checks(runs: list[dict]) -> str:
    bad = []
    for r in runs:
        if r["users_answer_count_mismatched"]:
            bad.append(
                f"{r['date'][11:16]}: {r['users_answer_count_mismatched']} parents "
                "with answers ≠ questions"
            )
        if r["double"]["problems"]:
            bad.append(f"{r['date'][11:16]}: {r['double']['problems']}")
        if r["webhook_non_200"]:
            bad.append(f"{r['date'][11:16]}: {r['webhook_non_200']} webhook calls not 200")
        inbox = r["database_status"]["inbox"]
        outbox = r["database_status"]["outbox"]
        if set(inbox) != {"done"} or set(outbox) != {"sent"}:
            bad.append(f"{r['date'][11:16]}: inbox {inbox}, outbox {outbox}")
    if bad:
        return "**Checks failed:** " + "; ".join(bad) + "."
    return (
        "In every run: every webhook call got 200, every stored question was answered exactly "
        "once per question (answers per parent = questions per parent), no reply token was "
        "used twice or after it expired, every inbox row ended `done` and every outbox row "
        "`sent`."
    )


def render(res: dict) -> str:
    m = res["machine"]
    out = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run_all.py`) from one run of every benchmark: "
        f"{res['started']} – {res['finished']} UTC, {res['runs']} flood run(s) per database.",
        "",
        f"**Machine:** {m.get('cpu', '?')}, {m['nproc']} CPUs, {m.get('memory_gb', '?')} GB, "
        f"{m['platform']}, Python {m['python']}. The load generator, the Messaging API double and "
        "PostgreSQL share these CPUs with the bot; the load average beside each figure says how "
        "busy the machine was (above about 4, other work was running too), and run-to-run spread "
        "is noise of that size.",
        "",
        *([f"Note: {res['notes']}.", ""] if res.get("notes") else []),
        "## Targets",
        "",
        "| target | SQLite | PostgreSQL |",
        "|---|---|---|",
    ]
    flood = res["flood"]
    row = {}
    for name, runs in flood.items():
        if not runs:
            continue
        ratios = [r["ratio"] for r in runs]
        within = [r["answered_within_60s"] / r["acked"] for r in runs if r["acked"]]
        ok = _med(ratios) >= 0.5 and min(ratios) >= 0.45
        row[name] = {
            "ratio": f"{_verdict(ok)}: median {_med(ratios):.2f}, lowest {min(ratios):.2f} "
            f"({len(runs)} run{'s' if len(runs) > 1 else ''})",
            "answer": f"{_verdict(min(within) >= 1.0)}: {_med(within) * 100:.0f} % answered "
            f"within 60 s (median); all after "
            f"{_fmt(_med([r['all_answered_after_s'] for r in runs]), 1)} s",
        }
        mixed = res["mixed"].get(name) or {}
        a = mixed.get("all") or {}
        if a:
            row[name]["e2e"] = (
                f"{_verdict(a['p99_ms'] < 300)}: p50 {a['p50_ms']} ms, p99 {a['p99_ms']} ms"
            )
        rss = max((v for r in runs for v in r.get("peak_rss_mb", {}).values()), default=None)
        if rss is not None:
            row[name]["rss"] = f"{_verdict(rss < 300)}: {rss:.0f} MB (largest process)"
        clock = (res.get("clock") or {}).get(name) or {}
        tick = (clock.get("morning_tick") or {}).get("seconds")
        if tick is not None:
            row[name]["clock"] = f"{_verdict(tick < 2)}: {tick} s"

    def cell(name, key):
        return row.get(name, {}).get(key, "—")

    for label, key in (
        ("ingest ratio ≥ 0.5 (median of runs, none < 0.45)", "ratio"),
        ("every acked question answered within 60 s of the flood's start", "answer"),
        ("mixed load 50/s: webhook → Messaging API p99 < 300 ms", "e2e"),
        ("peak RSS per process < 300 MB", "rss"),
        ("clock tick at 100,000 open cases < 2 s", "clock"),
    ):
        out.append(f"| {label} | {cell('SQLite', key)} | {cell('PostgreSQL', key)} |")
    out += [
        "",
        "Search at 5,000 entries (target p99 < 20 ms), one process:",
        "",
        "```",
        res.get("search", "").rstrip(),
        "```",
        "",
    ]

    out += ["## The flood", ""]
    for name, runs in flood.items():
        out += [f"### {name}", ""] + _flood_table(runs) + ["", _checks(runs), ""]
        for r in runs[:1]:
            curve = ", ".join(f"{t:.0f} s: {n:,}" for t, n in r["answered_by_second"][::4])
            out += [f"Answered so far, first run (from the flood's start): {curve}.", ""]
            rss = ", ".join(f"{k} {v:.0f}" for k, v in r.get("peak_rss_mb", {}).items())
            out += [f"Peak RSS (MB), first run: {rss}.", ""]
            if r.get("pss_mb_at_end"):
                pss = ", ".join(f"{k} {v:.0f}" for k, v in r["pss_mb_at_end"].items())
                out += [
                    f"Proportional set size at the end (MB; the dictionary's shared pages "
                    f"counted once across processes): {pss}.",
                    "",
                ]
    out += ["## Mixed load, end to end", ""]
    for name, r in res["mixed"].items():
        if not r:
            out += [f"{name}: failed.", ""]
            continue
        a = r["all"] or {}
        out += [
            f"**{name}** ({r['config']['rate']:.0f} events/s for {r['config']['seconds']:.0f} s, "
            f"load avg / busy CPUs {_load(r, 'mixed')}): p50 **{a.get('p50_ms')} ms**, "
            f"p99 **{a.get('p99_ms')} ms**, max {a.get('max_ms')} ms over {a.get('n')} events; "
            f"not answered by reply {r['not_answered_by_reply']}; non-200 {r['non_200']}; "
            f"bot CPU {r['bot_cpu_ms_per_event']} ms per event.",
            "",
            "| kind | n | p50 ms | p99 ms |",
            "|---|---:|---:|---:|",
        ]
        for kind, v in r["by_kind"].items():
            out.append(f"| {kind} | {v['n']} | {v['p50_ms']} | {v['p99_ms']} |")
        out.append("")
    out += [
        "## Clock tick at 100,000 open cases",
        "",
        "| database | morning tick | reminders | same tick again | max RSS MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, c in (res.get("clock") or {}).items():
        if c:
            out.append(
                f"| {name} | {c['morning_tick'].get('seconds')} s | {c.get('reminders_sent')} "
                f"| {c['same_tick_again'].get('seconds')} s | {c.get('max_rss_mb')} |"
            )
    out.append("")
    if res.get("handling"):
        out += [
            "## CPU per question, one process (`bench/handling.py`)",
            "",
            "The flood's questions stored, then handled and delivered by one thread: CPU seconds "
            "of the bot's process per question. Other work on the machine moves it too (up to "
            "a third between load averages 2 and 5 here): compare runs made one after another.",
            "",
            "| database | questions | handling CPU ms | delivering CPU ms | load avg |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, h in res["handling"].items():
            if h:
                out.append(
                    f"| {name} | {h['handled']} | {h['handling_cpu_ms']} "
                    f"| {h['delivery_cpu_ms']} | {h['loadavg_1m']:.1f} |"
                )
        out.append("")
    if res.get("scaling"):
        out += [
            "## More web processes on one PostgreSQL (see docs/scaling.md)",
            "",
            "| set-up | ratio | webhook /s | all answered after | answers/s | "
            "bot CPU ms/answer | load avg / busy CPUs |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for label, r in res["scaling"].items():
            if r:
                out.append(
                    f"| {label} | {r['ratio']:.2f} | {_fmt(r['webhook'], 0)} "
                    f"| {_fmt(r['all_answered_after_s'], 1)} s | {_fmt(r['answer_rate_per_s'], 1)}"
                    f" | {_fmt(r['bot_cpu_ms_per_answer'])} | {_load(r, 'flood')} |"
                )
        out.append("")
    out += [READING, HOW, PROFILES]
    return "\n".join(out) + "\n"


READING = """\
## Reading these figures

- **CPU per answer is the figure that travels.** Answers a second on this machine are what is
  left of 2 CPUs after the load generator, the double, PostgreSQL (on that database) and other
  people's work; "bot CPU ms/answer" (the bot's processes only, flood and answering together)
  does not depend on how much of the machine the bot got. Answers a second on a machine of the
  bot's own ≈ 1000 × CPUs ÷ (bot + double CPU ms per answer), less what ingest takes during a
  flood.
- **Answering waits for the flood to pass, by design.** While events arrive faster than 150 a
  second, or six of a worker's requests wait to be stored at once, handling steps aside (one
  batch at least every 5 s), so that storing them — what LINE waits for — goes first; the
  curve "answered so far" starts after the flood's 8 s.
- **An answer sent later than 50 s after its question goes by push** (the reply token is
  spent by then): the runs that took longer than that sent the rest by push, each with its
  retry key, none twice.
- **The ratio compares two rates measured minutes apart on a shared machine**; its spread from
  run to run is mostly the other work on the machine, which is why the target asks for the
  median of several runs.
"""


PROFILES = """\
## What the profiles showed, and what changed

Profiles: `bench/flood.py --profile` (py-spy, every thread of both workers, 50 Hz, during the
flood and the answering), summed by `bench/profile_summary.py`; shares are of all samples.

**Before** (main at the start of this work, SQLite, 2026-12-01 06:52 UTC): of the answering
threads' samples, the events loop spent 13.0 % in `process_next` but only 5.4 % handling events:
the rest was the look for work (a `GROUP BY source_key` over every pending event, per event),
the write lock taken and a commit per event, and the burst check's query per event (2.1 %).
The outbox loop (13.6 %) spent 7.7 % in the SDK's pydantic models (`from_dict` of the stored
JSON, then `to_dict` again: about 1.2 ms per reply) and two write transactions per reply (mark in
flight, settle). About 50 questions were answered a second; 2,828 of 12,421 within 60 s.

**Changes** (`bot/inbox.py`, `bot/runtime.py`, `bot/messaging/delivery.py`, `…/wire.py`):

1. Batched claiming: one read finds the sources of the oldest 256 pending events (an index on
   `(status, id)`, migration 0012); one transaction takes up to 32 sources (then: their advisory
   locks in one statement on PostgreSQL; since the third round, a claim row per source), loads
   the oldest event of each and handles them, each in its own savepoint; a batch stops after
   0.1 s so SQLite's write lock is never held long.
2. The outbox claims 32 rows at a time and writes their outcomes together, with the next reply's
   in-flight mark (which must still be written just before that reply goes) or at the end.
3. Stored JSON goes to the SDK's client without the parse-and-serialise round trip (same body on
   the wire, compared in `tests/test_delivery.py`).
4. Handling waits while more than 64 answers wait to be sent, so answers are not left to age
   their reply tokens while the interpreter is busy handling.

**After** (SQLite, 07:05 UTC): the events loop's time is now mostly handling itself: the danger
check (`bot/safety`, about 40 % of handling, all in its rule matching; the tokenizer is 3 %),
the search (about 20 %), the ORM (user, dialog place, relay thread: about 20 %). The outbox loop
is mostly the HTTP call and its wait for the SQLite write lock. The per-answer CPU figures in
the tables above are what remains.

**Second round** (2026-12-01, 10:00–11:00 UTC, busy machine: load average 2–8).

- *Memory.* A worker's peak RSS was 316 MB, 148 MB of it the Sudachi dictionary's mapped file
  (pages touched while loading it and building the analyzers and the danger check's word
  lists), 60 MB the LINE SDK's modules (`import linebot` 20 MB, `linebot.v3.messaging` 40 MB:
  hundreds of pydantic models). The gunicorn master now loads the dictionary, the analyzers and
  the danger check's lists before the workers fork (`bot/gunicorn_conf.py`), so the workers
  share those pages instead of each touching its own copy: peak RSS per worker 282–287 MB,
  master 237 MB, Pss per worker 176 MB (was 213).
- *Handling.* cProfile of `bench/handling.py` (SQLite, 800 questions): making the cards was 20 %
  of handling (`card_data`: the next sessions and dates in five languages, babel's
  `format_skeleton` 47 times per question). Cards are now kept per entry and day in the
  knowledge base. What remains of handling: the search (about 30 %, most of it
  `needs.NeedReader.read`), the ORM (the user, the dialog place read three times per question,
  the relay thread: about 30 %), the danger check (about 12 %, after its own rework).
- *Delivering.* The SDK's client walked every key of every stored message before sending
  (`sanitize_for_serialization`: 0.24 ms per answer with a carousel); stored requests now go as
  they are. The rest is the HTTP call and the in-flight mark written before each reply.
- *Ingest.* With handling stopped (`bench/webhook.py --no-runtime`) the webhook cost 0.74 ms of
  server CPU per request against 0.39 for the bare endpoint (ratio 0.51–0.55); with handling
  running, 1.2 ms (ratio 0.30–0.43). The burst watch judged a flood by the rate events were
  stored, which falls as soon as handling runs: with the periodic batch turned off, handling
  took over and the webhook fell to 75 acked/s. It now also counts the requests waiting to be
  stored (`Ingest.crowded`), which grow while handling holds them up.

**Third round** (2026-12-01, 13:00–14:30 UTC, busy machine: load average 2–7, three other
sessions' tests running; CPU and instruction counts are the figures to compare).

- *Ingest.* In-process (8 threads posting signed bodies through the WSGI app, 3,000 each, CPU
  per request): `/callback` 0.84–1.02 ms against `/bare` 0.32–0.49 ms; with the inbox insert
  stubbed out, 0.56 ms: storing was about 0.3 ms of each request, the rest the hand-over to the
  writer thread. Of a batch of 4 rows (one thread, `Ingest._write`): 0.76 ms on SQLite, 1.1 ms
  on PostgreSQL, half of it SQLAlchemy's checkout, compile and type processing; the Fernet
  encryption 0.03 ms a row. The writer now keeps a DBAPI connection of its own and hands the
  driver the rows as the columns bind them (`bot/ingest.py`): 0.40 / 0.65 ms per batch of 4.
  `bench/webhook.py --no-runtime --requests 4000`, SQLite: server CPU per request 1.32–1.37 ms
  (ratio 0.43–0.53, load 1.5–3.3) before, 1.05 ms (ratio 0.69, load 3.5–8) after; one flood
  run after (load 6.3): webhook 1,188 acked/s against bare 1,723 / 1,305, ratio 0.79.
- *Handling.* cProfile of `bench/handling.py` (SQLite, 600 questions): a batch held SQLite's
  write lock for all its work — the danger check, the search, the ORM, the commit — so one
  worker's handling held up the other worker's, the webhook's stores and the sender's in-flight
  marks. Now a batch is claimed in one short transaction (the oldest pending event of each user
  with none claimed, under a 15 s lease, migration 0014), prepared with no transaction open
  (payloads read and decrypted, the danger check; at first the search a parent's question
  makes too, dropped at 14:42 — it checked the knowledge base before an import:
  `bot/handlers/prepare.py`), then handled in one transaction that checks its claims first and
  marks the batch done in one statement — and claims the next batch, so that a batch takes
  one turn at the write lock, not two (`bot/inbox.py`). Of a batch's time, preparing is now
  about a quarter (cProfile: `prepare_batch` 5.5 s, the handling transaction 12.4 s, claiming
  2.2 s of 21.2). Statements per question: the attempt's own UPDATE and the done UPDATE are one
  statement per batch; the speakers and their dialog rows are read per batch (SELECTs of
  `line_users` 518 → 102 and of `conversations` 459 → about 60 for 400 questions). The danger
  check and the search tokenized each message in split mode C one after the other: a thread's
  tokenizer now remembers its last few results (`bot/sudachi.py`; 900 → 624 tokenizations for
  300 questions). CPU per question in one thread moved little (SQLite 10.0–10.5 → 10.2–10.3 ms,
  PostgreSQL 18.2 → 16.9 ms at load 4–5: what was saved, the claim's extra transaction and
  reads spend again); what changed is that about a quarter of it no longer holds the lock.
- *Floods on the busy machine* (`bench/flood.py`, SQLite, one run each, load average 6–8 with
  other sessions' tests: not comparable with the quiet runs above): main at the start
  (d6ceab3, 14:18, load 3.3–5.5) ratio 0.60, all 8,116 answered after 177 s (45.8/s), bot
  CPU 18.6 ms per answer; claims without the next batch claimed in the same transaction (13:38
  and 14:11, load 6.3–8.3) ratio 0.79 / 0.50, 32.9 / 36.3 answers/s, 20.3 / 21.2 ms; with it
  (14:21, load 4.9–5.1) ratio 0.59, all 7,240 answered after 124 s (58.6/s), 16.1 ms. Every
  run: answers per parent = questions per parent, no reply token used twice or after it
  expired, every inbox row done, every outbox row sent.

**CPU per answer** (issue 12, branch perf-r5, 2026-12-01, 19:50–20:45 UTC: load average
2–4, another session's jobs running; `bench/handling.py`, 1,000 questions, main and the branch
alternately).
py-spy of `bench/handling.py` (250 Hz, handling and delivering apart) and cProfile showed:

- *Handling.* Every parent's question asked the database whether the parent had an open
  conversation with a specialist (`relay.open_thread`: a SELECT built, compiled and run per
  question, about a tenth of handling). A batch now asks once for all its speakers as its
  transaction begins (`relay.note_no_threads`, from `prepare.preload`; someone new has none);
  a case written in the transaction (a specialist's words opening a conversation earlier in
  the same batch) sends `open_thread` back to the database. A new parent was inserted, then
  updated for `last_seen_at` at once: it is in the INSERT now. The claim's statements (two IN
  lists of up to 256 source keys, coerced and cache-keyed element by element each batch) are
  built once and bound by name.
- *Delivering.* Each batch's outcomes were written as one ORM UPDATE per row (built, compiled,
  synchronised each time: about a third of delivering); rows settled alike are now one
  executemany of one statement, on the table.
- CPU per question, main → branch (SQLite, five pairs, load 2.8–4.1): handling 8.1–10.8 (mean
  9.8) → 4.9–8.9 ms (mean 7.4), delivering 3.4–5.3 (mean 4.6) → 2.1–3.3 ms (mean 2.8);
  PostgreSQL (three pairs, load 3.1–3.9): handling 13.4–14.6 (mean 14.1) → 10.7–12.5 ms (mean
  11.5), delivering 5.7–6.5 (mean 6.0) → 3.4–4.3 ms (mean 3.8). This machine was slower today
  than in the runs above (main's handling 5.5 ms there).
- *Left as it is.* What remains of handling (py-spy shares): the savepoint's flush — the
  answer's outbox INSERT, its JSON (a carousel is about 10 KB: 0.25 ms to encode) and
  encryption (0.25 ms) — about a quarter; the search a sixth (four Sudachi tokenizations per
  question: the blanked question and its shortened form, each in modes C and A; deriving A
  from C with `Morpheme.split` panics in sudachipy 0.7); the danger check a tenth
  (`bot/safety`, another engineer's); a new parent's INSERT a tenth in this benchmark (its
  1,000 questions come from 1,000 parents, the flood's 10,000 from 3,000). Delivering: the
  HTTP call (the SDK and urllib3) about half; the stored JSON is still parsed when claimed and
  serialised again by the SDK (about 0.4 ms for a carousel) — sending the stored text as it is
  needs the SDK's REST layer bypassed, not done. The loading animation (a thread pool making
  SDK calls) runs for every question in `bench/handling.py`, which never counts as busy; in a
  flood the bot is busy and it is left out.

**Round 7** (issue 12, branch perf-r7, 2026-12-01, 22:40–00:30 UTC; the machine shared with
other sessions throughout, load average 2.5–9.5: rates in floods moved by a factor of two on
the same code, so the comparisons below are main and the branch alternately, and CPU or memory,
not rates).

- *Memory.* What a web worker's resident memory is made of (a worker forked from a master that
  loaded the dictionary, as gunicorn does; `/proc/self/smaps`, 1,000 flood questions):
  inherited from the master 63 MB, the app's imports 61 MB (flask, SQLAlchemy, the LINE SDK's
  models, the bot), building the search index 7 MB of heap **and 113 MB of the Sudachi
  dictionary's mapped file** (every entry's words read in modes C and A touch pages all over
  it), answering questions another 20 MB of heap. The master's pre-loading does not spare the
  workers those file pages: a forked process maps a shared file's pages again as it reads them,
  and each counts in its RSS. Answering the flood's 435 distinct questions (and the danger
  check) reads only 37 MB of the dictionary. The dictionary is a read-only shared mapping
  (`r--s`): after each index build the worker now drops its hold on those pages
  (`bot.sudachi.let_go_of_pages`, `madvise(MADV_DONTNEED)`; they stay in the page cache and
  are mapped again as read), and gunicorn's worker builds its index before it serves
  (`post_worker_init`), while its heap is smallest. Forked worker: peak 283 → 252 MB (at the
  build; 206 MB resident after the questions). Floods ("Round 7 checks"): main 289–291 MB
  per worker, the branch 254 MB on SQLite, 263 MB on PostgreSQL.
- *Handling.* cProfile of `bench/handling.py` with the loading animation left out (as in a
  flood, where the bot counts as busy; with it, a thread pool making SDK calls took turns at
  the interpreter and made every call that releases it look slow — `os.urandom` at 0.37 ms):
  the savepoint's flush of the answer's outbox row, an ORM object through the unit of work,
  was the largest part of handling (3.1 s of 15.2 s wall for 1,000 questions). `enqueue`
  now writes its rows by one prebuilt INSERT on the session's connection (JSON and encryption
  as before, by the column's type), after flushing what the turn added to the session before
  it (a menu link), so the outbox keeps its order. Per row, in savepoints (micro-benchmark,
  CPU): SQLite 0.76–0.82 → 0.44–0.50 ms, PostgreSQL 1.46–1.51 → 0.90–1.08 ms. Reading a
  question's facets folded and sorted every area's names per question (0.3 ms): kept per area.
  Search results over 1,130 questions (the flood's, the development sets', the evaluation
  set's) on two days: hashed, identical to main.
- *Delivering.* The claim's write transaction decrypted and parsed each claimed row's cards
  (EncryptedJSON, about 0.4 ms a carousel, some 15 ms a batch of 32) while holding SQLite's one
  write lock; the messages are now read after the claim commits (the rows are leased to this
  sender). Same CPU; a shorter turn at the lock for every batch of answers.
- CPU per question (`bench/handling.py`, 1,000 questions, loading animation off, main and the
  branch alternately): SQLite (load 2.4–3.3) handling main 7.96, 6.45, 6.07, 5.20, 6.13 ms
  (mean 6.4), branch 5.56, 5.67, 4.48, 4.93, 5.48 ms (mean 5.2); delivering unchanged (main
  2.4–4.3, branch 2.9–3.8 ms). PostgreSQL (load 2.9–3.9): handling main 10.0, 6.42, 7.16,
  7.56 ms, branch 9.73, 8.34, 9.17, 7.88 ms — no difference shows through the noise of a
  machine where one INSERT took 3–4 ms of wall time (the micro-benchmark's 0.45 ms per row
  is the figure to go by).
- *Ingest.* In one process (the WSGI app through Flask's test client, one thread, SQLite):
  `/callback` 629 µs against `/bare` 363 µs of CPU per request; of the difference, storing
  (`Ingest.store`: the hand-over to the writer thread, the row's JSON and encryption 32 µs,
  one INSERT and commit 124 µs) about 210 µs, checking the event's shape 15 µs. Not changed:
  in today's floods the ratio was 0.52–0.61 on main and on the branch alike (busy machine:
  the bare endpoint's rate itself moved between 1,289 and 2,914 a second within one run).
- *Left as it is.* Handling now (cProfile shares, SQLite): the danger check about a fifth
  (`bot/safety`, other engineers'), the search a fifth, a new parent's INSERT a tenth, the
  per-event savepoint and the rest of the ORM about a fifth. The answering target (200 a
  second) needs the bot's CPU per answer near 5 ms with the double's 2.3 ms beside it on these
  two CPUs; it was not measurable today (floods ran at 50–60 answers a second on main and the
  branch alike, with other sessions' work on the machine).
"""
