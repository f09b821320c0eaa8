"""`assistant ingest|ask|eval|serve|...`: parse arguments, call the packages, print the result.

The program, not the library: it may import ``assistant``, ``ingest`` and ``evals``; none of
them imports it. The `ask --json` object and `ask --jsonl` lines are a contract other tools
build on. Errors a user can act on are one line on stderr; ``-v`` adds the stack trace.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from kbcore.offline import apply_offline_environment
from kbcore.settings import Settings, get_settings

log = logging.getLogger("app")


def _settings(args: argparse.Namespace) -> Settings:
    settings = get_settings()
    if getattr(args, "index", None):
        settings = settings.model_copy(update={"index_dir": Path(args.index)})
    return settings


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.sync import ADDED, CHANGED, FAILED, REMOVED, UNCHANGED, IngestBusy, run_ingest
    from kbcore.embedder import get_embedder

    settings = _settings(args)
    paths = args.paths or [str(settings.corpus_dir)]
    try:
        report = run_ingest(
            paths, settings, get_embedder(settings), progress=not args.json and sys.stderr.isatty()
        )
    except IngestBusy as error:
        print(error, file=sys.stderr)
        return 3
    if args.json:
        _print_json(
            {
                "seconds": round(report.seconds, 2),
                "model_reset": report.model_reset,
                "files": [vars(result) for result in report.results],
            }
        )
    else:
        if report.model_reset:
            print("Inbäddningsmodellen har bytts: alla dokument bäddas in på nytt.")
        for result in report.results:
            if result.status == FAILED:
                print(f"FEL  {result.path}: {result.message}", file=sys.stderr)
            elif result.message:
                print(f"OBS  {result.path}: {result.message}", file=sys.stderr)
        counts = ", ".join(
            f"{report.count(status)} {status}" for status in (ADDED, CHANGED, UNCHANGED, REMOVED, FAILED)
        )
        print(f"Indexering klar på {report.seconds:.1f} s: {counts}.")
    return 1 if report.nothing_readable else 0


_CHAT_ROLES = ("user", "assistant")


def _jsonl_question(line: str) -> tuple[str, str | None, list[str]]:
    """One ``ask --jsonl`` line -> (question, role or None, earlier questions). ``history``
    holds the earlier questions as strings, or chat turns ``{"role", "content"}``, of which
    the user's are the questions. Raises ValueError with a Swedish message saying what is
    wrong with the line."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"ingen giltig JSON ({error.msg}, tecken {error.pos})") from error
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        raise ValueError('raden saknar "question" som text')
    role = item.get("role")
    if role is not None and not isinstance(role, str):
        raise ValueError('"role" ska vara text')
    history: list[str] = []
    for turn in item.get("history") or []:
        if isinstance(turn, str):
            history.append(turn)
        elif (
            isinstance(turn, dict)
            and isinstance(turn.get("content"), str)
            and turn.get("role") in _CHAT_ROLES
        ):
            if turn["role"] == "user":
                history.append(turn["content"])
        else:
            raise ValueError('"history" ska vara tidigare frågor som text, eller {"role", "content"}')
    return item["question"], role, history


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.answer import Answer
    from assistant.query import has_content
    from assistant.service import Assistant
    from assistant.texts import EMPTY_QUESTION

    if not args.jsonl and not args.question:
        print("Ange en fråga, eller --jsonl FIL.", file=sys.stderr)
        return 2
    if not args.jsonl and not has_content(args.question):  # before the model loads
        print(EMPTY_QUESTION, file=sys.stderr)
        return 2
    settings = _settings(args)
    assistant = Assistant(settings)
    generative = None if args.writer is None else args.writer == "generative"
    if args.jsonl:
        bad = 0
        with open(args.jsonl, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    question, role, history = _jsonl_question(line)
                except ValueError as error:  # reported, and the other lines are still answered
                    print(f"{args.jsonl}:{number}: {error}", file=sys.stderr)
                    bad += 1
                    continue
                answer = assistant.ask(question, role or args.role, args.top_k, history, generative)
                _print_json(answer.to_json())
        return 1 if bad else 0
    shown = ""
    for item in assistant.ask_stream(args.question, args.role, args.top_k, (), generative):
        if isinstance(item, Answer):
            answer = item
        elif not args.json:  # verified sentences as they come
            print(item[len(shown) :], end="", flush=True)
            shown = item
    if args.json:
        _print_json(answer.to_json())
        return 0
    notice = f"OBS: {answer.notice}" if answer.notice else ""
    if shown and answer.answer.startswith(shown):  # the generated answer: finish what streamed
        print(answer.answer[len(shown) :])
        print(notice, end="\n" if notice else "")
    else:  # the quoted answer, possibly replacing a streamed text that did not hold up
        print("\n" if shown else "", notice, sep="", end="\n\n" if notice else "")
        print(answer.answer)
    for citation in answer.citations:
        print(f"\n[{citation.n}] {citation.describe()}\n    {citation.path}")
    if answer.abstained and answer.retrieved:
        print("\nKanske relevant:")
        for item in answer.retrieved[:3]:
            print(f"  - {item.chunk.metadata.get('title')} ({item.chunk.metadata.get('path')})")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.evaluate import run_sets
    from evals.gate import load_gate, violations
    from evals.report import markdown_table, write_reports

    def announce(run) -> None:
        print(
            f"\n{run.target.name}: {len(run.target.questions)} frågor; index: {run.ingest}; "
            f"start {run.startup_s:.1f} s"
        )

    report = run_sets(
        args.sets or ["corpus"], _settings(args), args.writer, progress=sys.stderr.isatty(), on_run=announce
    )
    for name, data in report["sets"].items():
        print(f"\n## {name}\n\n{markdown_table(data['slices'])}")
    if not args.no_report:
        written = write_reports(report)
        print("\nRapport: " + ", ".join(str(path) for path in written))
    if args.gate:
        missed = violations(report, load_gate())
        for line in missed:
            print(f"GRIND  {line}", file=sys.stderr)
        print("Kvalitetsgrinden: " + ("underkänd" if missed else "godkänd"))
        return 1 if missed else 0
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from assistant.sentence_selection import MODEL_FILE
    from evals.train_selector import train

    out = Path(args.out) if args.out else MODEL_FILE
    stored = train(_settings(args), out, progress=sys.stderr.isatty())
    trained = stored["trained"]
    print(
        f"Meningsväljaren: {trained['examples']} kandidater ({trained['positives']} med svaret) "
        f"ur {trained['questions']}"
    )
    print(" ".join(f"{name}={weight:+.3f}" for name, weight in zip(stored["features"], stored["weights"])))
    for cutoff, hit in trained["span_hit_by_cutoff"].items():
        print(f"gräns {cutoff}: svaret i citerade enheter {hit['hit']:.3f}, enheter {hit['units']:.2f}")
    print(f"Skrivet: {out}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from evals.bench import markdown, run_bench

    settings = _settings(args)
    sizes = [int(size) for size in args.sizes.split(",")]
    result = run_bench(settings, args.docs, sizes, args.queries)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "bench.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    print(f"Skrivet: {out / 'bench.json'}, {out / 'bench.md'}")
    return 0


@contextlib.contextmanager
def _app_under_load(settings: Settings, workers: int) -> Iterator[tuple[str, list[int]]]:
    """The app a load test starts for itself, without login: one process, or ``workers``
    behind nginx as `serve --workers N` starts them. Yields (url, the app processes' pids)."""
    from evals.load import load_app_settings, start_local_app

    if workers == 1:
        with start_local_app(settings) as running:
            yield running
        return
    from app.workers import run_cluster
    from kbcore.loopback import free_port

    with load_app_settings(settings) as local:
        update = {"app_host": "127.0.0.1", "app_port": free_port()}
        with run_cluster(local.model_copy(update=update), workers) as cluster:
            yield cluster.url, [worker.process.pid for worker in cluster.workers]


def cmd_loadtest(args: argparse.Namespace) -> int:
    from evals.load import load_test, markdown, unreachable
    from evals.runner import corpus_questions

    if args.workers < 1:
        print(f"--workers måste vara minst 1, inte {args.workers}.", file=sys.stderr)
        return 2
    if args.url and args.workers > 1:
        print("--workers går inte med --url: den appen körs redan med sina arbetare.", file=sys.stderr)
        return 2
    settings = _settings(args)
    questions = [q.question for q in corpus_questions() if not q.history]
    think = tuple(float(part) for part in args.think.split("-")) if args.think else None
    if args.url:
        if problem := unreachable(args.url):
            print(f"Appen på {args.url} svarar inte ({problem}); inget lasttest kördes.", file=sys.stderr)
            return 2
        result = load_test(args.url, args.clients, args.seconds, questions, think_s=think)
    else:
        with _app_under_load(settings, args.workers) as (url, pids):
            result = load_test(url, args.clients, args.seconds, questions, server_pids=pids, think_s=think)
    print(markdown(result))
    for example in result["error_examples"]:
        print(f"FEL  {example}", file=sys.stderr)
    return 1 if result["errors"] else 0


def cmd_serve(args: argparse.Namespace) -> int:
    if args.workers < 1:
        print(f"--workers måste vara minst 1, inte {args.workers}.", file=sys.stderr)
        return 2
    settings = _settings(args)
    update = {key: value for key, value in (("app_host", args.host), ("app_port", args.port)) if value}
    if args.workers > 1:
        from app.workers import serve_workers

        serve_workers(settings.model_copy(update=update), args.workers)
        return 0
    from app.web.server import serve

    serve(settings.model_copy(update=update))
    return 0


def cmd_llm_serve(args: argparse.Namespace) -> int:
    from app.llm_server import serve_forever

    settings = _settings(args)
    serve_forever(Path(args.model) if args.model else settings.generator_gguf, args.host, args.port)
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from kbcore.users import UserStore

    settings = _settings(args)
    settings.access_rank(args.role)  # an unknown role stops here, with the known ones listed
    password = _read_password(args)
    UserStore(settings.users_file).add(args.name, password, args.role, admin=args.admin)
    print(f"Användaren {args.name} ({args.role}{', administratör' if args.admin else ''}) är sparad i "
          f"{settings.users_file}.")  # fmt: skip
    return 0


def cmd_user_key(args: argparse.Namespace) -> int:
    from kbcore.users import UserStore

    key = UserStore(_settings(args).users_file).create_key(args.name)
    print(f"API-nyckel för {args.name} (visas bara nu; en tidigare nyckel gäller inte längre):")
    print(key)
    return 0


def cmd_mcp(args: argparse.Namespace) -> int:
    from app.api.mcp_server import run_stdio

    settings = _settings(args)
    if args.role is not None:
        settings.access_rank(args.role)  # an unknown role stops here, with the known ones listed
    run_stdio(settings, args.role)
    return 0


def _read_password(args: argparse.Namespace) -> str:
    import getpass

    return sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Lösenord: ")


def cmd_user_list(args: argparse.Namespace) -> int:
    from kbcore.users import UserStore

    settings = _settings(args)
    users = UserStore(settings.users_file).users()
    if not users:
        print(f"Inga användare ({settings.users_file} finns inte eller är tom): appen körs utan inloggning.")
        return 0
    width = max(len(name) for name in users)
    for user in sorted(users.values(), key=lambda u: u.name):
        admin = "  administratör" if user.admin else ""
        print(f"{user.name.ljust(width)}  {user.role}{admin}")
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    from kbcore.users import UserStore

    settings = _settings(args)
    UserStore(settings.users_file).remove(args.name)
    print(f"Användaren {args.name} är borttagen; en pågående session i appen avslutas vid nästa förfrågan.")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from kbcore.users import UserStore

    settings = _settings(args)
    users = UserStore(settings.users_file)
    users.require(args.name)  # an unknown name stops here, before the password is asked for
    users.set_password(args.name, _read_password(args))
    print(f"Nytt lösenord för {args.name}; en pågående session i appen avslutas vid nästa förfrågan.")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from assistant.audit import AuditFilter, AuditLog, as_csv, as_table

    settings = _settings(args)
    rows = AuditLog(settings.feedback_db).rows(AuditFilter(args.user, args.since, args.doc))
    print(as_csv(rows) if args.csv else as_table(rows), end="" if args.csv else "\n")
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    from assistant.feedback import FeedbackStore

    settings = _settings(args)
    count = FeedbackStore(settings.feedback_db).export_draft(Path(args.out))
    print(f"{count} betygsatta svar skrivna till {args.out} (utkast: kontrollera guld och nyckelfakta).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Plattformsassistenten")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="skriv logg, och stackspåret vid fel, till stderr"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="indexera dokument (mappar eller filer)")
    ingest.add_argument("paths", nargs="*", metavar="PATH")
    ingest.add_argument("--index", metavar="DIR")
    ingest.add_argument("--json", action="store_true")
    ingest.set_defaults(func=cmd_ingest)

    ask = sub.add_parser("ask", help="ställ en fråga")
    ask.add_argument("question", nargs="?", metavar="FRÅGA")
    ask.add_argument("--index", metavar="DIR")
    ask.add_argument("--role", metavar="ROLL")
    ask.add_argument("--top-k", type=int, metavar="N")
    ask.add_argument("--json", action="store_true")
    ask.add_argument(
        "--jsonl",
        metavar="FIL",
        help='en fråga per rad: {"question", "role", "history": [tidigare frågor, eller '
        '{"role", "content"}]}; en felaktig rad rapporteras med filnamn och radnummer, de andra besvaras',
    )
    ask.add_argument(
        "--writer",
        choices=("extractive", "generative"),
        help="extractive citerar meningar; generative låter språkmodellen (ASSISTANT_LLM_*) formulera "
        "svaret och kontrollerar varje mening mot källan (standard: generative om en modell är satt)",
    )
    ask.set_defaults(func=cmd_ask)

    evaluate = sub.add_parser("eval", help="mät svarskvaliteten på frågemängder")
    evaluate.add_argument(
        "sets",
        nargs="*",
        metavar="MÄNGD",
        help="corpus (standard), dev, haystack, swequad_mc, swefaq_dev, blind, eller en .jsonl",
    )
    evaluate.add_argument("--index", metavar="DIR")
    evaluate.add_argument("--gate", action="store_true", help="misslyckas om evals/gate.toml inte nås")
    evaluate.add_argument("--no-report", action="store_true", help="skriv inte evals/reports/")
    evaluate.add_argument(
        "--writer",
        choices=("extractive", "generative", "both"),
        default="extractive",
        help="skrivaren som mäts; both jämför dem på samma frågor (generative kräver ASSISTANT_LLM_BASE_URL)",
    )
    evaluate.set_defaults(func=cmd_eval)

    train = sub.add_parser(
        "train", help="träna meningsväljaren på SweQUAD-MC train och dev-mängden (evals/train_selector.py)"
    )
    train.add_argument("--out", help="var vikterna skrivs (standard: assistant/sentence_selector.json)")
    train.set_defaults(func=cmd_train)

    bench = sub.add_parser(
        "bench", help="mät indexering, sökning och minne mot en enkel llama-index-baslinje"
    )
    bench.add_argument("--docs", type=int, default=40, help="dokument ur ../shared/data/regeringen/md")
    bench.add_argument("--sizes", default="1000,10000,50000", help="indexstorlekar i chunkar")
    bench.add_argument("--queries", type=int, default=20)
    bench.add_argument("--out", default="evals/reports")
    bench.set_defaults(func=cmd_bench)

    load = sub.add_parser("loadtest", help="N klienter mot appens /chat i S sekunder (loopback)")
    load.add_argument("--url", help="en app som redan körs (utan inloggning); standard: starta en egen")
    load.add_argument("--index", metavar="DIR")
    load.add_argument("--clients", type=int, default=20)
    load.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="starta N arbetare bakom nginx som `serve --workers N` (standard 1: en process)",
    )
    load.add_argument("--seconds", type=float, default=60)
    load.add_argument(
        "--think",
        metavar="MIN-MAX",
        help="betänketid i sekunder mellan en användares frågor, t.ex. 10-30 (standard: sluten slinga)",
    )
    load.set_defaults(func=cmd_loadtest)

    serve = sub.add_parser("serve", help="starta chattappen på ett befintligt index")
    serve.add_argument("--index", metavar="DIR")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="N appprocesser över en chroma-server bakom nginx (klibbiga sessioner); standard 1",
    )
    serve.set_defaults(func=cmd_serve)

    llm = sub.add_parser("llm-serve", help="servera en GGUF-modell på loopback (OpenAI-kompatibelt API)")
    llm.add_argument("--model", metavar="GGUF", help="standard: den verifierade Qwen2.5-Coder-0.5B i cachen")
    llm.add_argument("--host", default="127.0.0.1")
    llm.add_argument("--port", type=int, default=8081)
    llm.set_defaults(func=cmd_llm_serve)

    user = sub.add_parser("user", help="användare av chattappen").add_subparsers(dest="action", required=True)
    add = user.add_parser("add", help="lägg till eller ändra en användare")
    add.add_argument("name", metavar="NAMN")
    add.add_argument(
        "--role", required=True, metavar="ROLL", help="allmanhet, remisspartner, medarbetare, styrgrupp"
    )
    add.add_argument("--admin", action="store_true", help="får ladda upp och indexera i appen")
    add.add_argument("--password-stdin", action="store_true", help="läs lösenordet från stdin")
    add.set_defaults(func=cmd_user_add)
    user.add_parser("list", help="lista användarna, deras roller och administratörer").set_defaults(
        func=cmd_user_list
    )
    remove = user.add_parser("remove", help="ta bort en användare (sessionen i appen avslutas)")
    remove.add_argument("name", metavar="NAMN")
    remove.set_defaults(func=cmd_user_remove)
    passwd = user.add_parser("passwd", help="byt lösenord (sessionen i appen avslutas)")
    passwd.add_argument("name", metavar="NAMN")
    passwd.add_argument("--password-stdin", action="store_true", help="läs lösenordet från stdin")
    passwd.set_defaults(func=cmd_user_passwd)

    audit = sub.add_parser(
        "audit", help="granskningsloggen: frågor med citerade dokument, misslyckade inloggningar"
    )
    audit.add_argument("--user", metavar="NAMN", help="bara den här användaren")
    audit.add_argument("--since", metavar="DATUM", help="från och med ÅÅÅÅ-MM-DD [TT:MM] (UTC)")
    audit.add_argument("--doc", metavar="SÖKVÄG", help="bara frågor som citerade eller hämtade dokumentet")
    audit.add_argument("--csv", action="store_true", help="skriv CSV i stället för en tabell")
    audit.set_defaults(func=cmd_audit)

    key = user.add_parser("key", help="skapa en API-nyckel för en användare (visas en gång)")
    key.add_argument("name", metavar="NAMN")
    key.set_defaults(func=cmd_user_key)

    mcp = sub.add_parser("mcp", help="MCP-server över stdio (verktyg och register för AI-assistenter)")
    mcp.add_argument("--index", metavar="DIR")
    mcp.add_argument(
        "--role", metavar="ROLL", help="åtkomsten verktygen svarar med (standard: full åtkomst, som CLI:t)"
    )
    mcp.set_defaults(func=cmd_mcp)

    feedback = sub.add_parser("feedback", help="betyg på svar").add_subparsers(dest="action", required=True)
    export = feedback.add_parser("export", help="skriv betygsatta svar som utkast till frågemängd")
    export.add_argument("out", nargs="?", default="evals/sets/feedback-utkast.jsonl", metavar="FIL")
    export.set_defaults(func=cmd_feedback_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    apply_offline_environment()
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING if args.verbose else logging.ERROR)
    try:
        return args.func(args)
    except (ValueError, RuntimeError, OSError) as error:
        if args.verbose:
            log.exception("Fel")
        print(f"Fel: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
