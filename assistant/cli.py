"""Transitional: the CLI is ``app.cli``. Only ``python -m assistant.cli`` in
tests/ingest/test_crash_safety.py (on issue 13's branch, not ours to edit) still names this
module; delete this file once that test runs ``-m app.cli``. Importing it does nothing."""

if __name__ == "__main__":
    import runpy

    runpy.run_module("app.cli", run_name="__main__", alter_sys=True)
