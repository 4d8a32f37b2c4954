"""The `shop` application: global options, error handling and the command groups."""

from __future__ import annotations

import os
import sqlite3
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from shopcli import __version__
from shopcli.cli.help_text import tidy_help
from shopcli.core.errors import ExitStatus, ShopError


class ShopGroup(TyperGroup):
    """Turns domain errors into one line on stderr and an exit code, never a traceback.

    It also builds a command only when it is used: see `_Loader`.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return [name for loader in _LOADERS for name in loader.names]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = _BUILT.get(cmd_name)
        if found is None and cmd_name in _OWNERS:
            _BUILT.update(_OWNERS[cmd_name].build())
            found = _BUILT.get(cmd_name)
        return found

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:  # Click's UsageError (Typer may bundle its own Click)
            # Suggest among every command, built or not (Typer looks only at built ones).
            message = getattr(exc, "message", None)
            if (
                isinstance(message, str)
                and args
                and message.startswith("No such command")
                and "Did you mean" not in message
            ):
                from difflib import get_close_matches

                matches = get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    names = ", ".join(repr(m) for m in matches)
                    # Click's UsageError, caught as Exception: Click is not imported to name it.
                    exc.message = f"{message.rstrip('.')}. Did you mean {names}?"  # type: ignore[attr-defined]
            raise

    def invoke(self, ctx: Any) -> Any:
        import warnings

        from shopcli.core.errors import ShopWarning

        with warnings.catch_warnings(record=True) as noted:
            warnings.simplefilter("always", ShopWarning)
            try:
                return self._invoke(ctx)
            finally:
                for note in noted:
                    if issubclass(note.category, ShopWarning):
                        typer.echo(f"Warning: {note.message}", err=True)

    def _invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ShopError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except sqlite3.Error as exc:
            from shopcli.core.paths import db_path
            from shopcli.storage import translate_error

            typer.echo(f"Error: {translate_error(exc, db_path())}", err=True)
            raise typer.Exit(ExitStatus.STORAGE) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `shop item list | head`: the reader has all it wanted; nothing went wrong.
            _silence_stdout()
            raise typer.Exit(ExitStatus.OK) from None
        except Exception as exc:
            # Usage errors belong to the framework: it prints usage and exits 2.
            if type(exc).__module__.split(".")[0] in {"click", "typer"}:
                raise
            if os.environ.get("SHOP_DEBUG"):
                raise
            # Never print locals or record contents: only the kind of failure.
            typer.echo(
                f"Error: unexpected {type(exc).__name__}; nothing more is shown to keep client "
                "data private (set SHOP_DEBUG=1 for a traceback)",
                err=True,
            )
            raise typer.Exit(ExitStatus.UNEXPECTED) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the final flush does not fail on a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


app = typer.Typer(
    cls=ShopGroup,
    name="shop",
    help="Records, proposals and invoices for a solo personal shopper.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    pretty_exceptions_short=True,
    rich_markup_mode=None,
    # `shop --install-completion` (bash, zsh, fish): names and numbers come from cli/complete.
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"shop {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            help="Data folder to use (overrides SHOP_HOME).",
            show_default=False,
            metavar="DIR",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Records, proposals and invoices for a solo personal shopper."""
    if home:
        os.environ["SHOP_HOME"] = home


class _Loader:
    """One CLI module's top-level commands, built into Click commands on first use.

    A module either has its own Typer app, the group `names[0]` (with `extras`: modules
    adding commands to that group), or a `register(app)` that adds top-level commands.
    Only public Typer API is used: `typer.main.get_command` builds what a module defines.
    """

    def __init__(self, module: str, names: tuple[str, ...], *extras: str) -> None:
        self.module, self.names, self.extras = module, names, extras

    def build(self) -> dict[str, Any]:
        from importlib import import_module

        from typer.main import get_command

        module = import_module(f"shopcli.cli.{self.module}")
        holder = typer.Typer(rich_markup_mode=app.rich_markup_mode, add_completion=False)
        holder.callback()(_no_options)  # always a group, so every command is found by name
        register = getattr(module, "register", None)
        if register is not None:
            register(holder)
        else:
            for extra in self.extras:
                import_module(f"shopcli.cli.{extra}").register(module.app)
            module.app.rich_markup_mode = app.rich_markup_mode
            holder.add_typer(module.app, name=self.names[0])
        # A Click group (typed as a plain Command): Click is not imported to check that.
        commands = get_command(holder).commands  # type: ignore[attr-defined]
        return {name: tidy_help(commands[name]) for name in self.names}


def _no_options() -> None:
    """The holder of one module's top-level commands."""


# Every top-level command, by the module that defines it, in the order of the shopper's day
# (`--help` lists them so). A command's module is imported only when it runs: building every
# command costs ~40 ms (signatures, type hints) and importing every module ~15 ms.
_LOADERS = (
    _Loader("setup", ("init", "path")),
    _Loader("demo", ("demo",)),
    _Loader("profile", ("profile",)),
    _Loader("clients", ("client",), "privacy"),
    _Loader("recipients", ("recipient",)),
    _Loader("jobs", ("job",)),
    _Loader("budgets", ("budget",)),
    _Loader("rates", ("rate",)),
    _Loader("items", ("item",), "delivery"),
    _Loader("proposals", ("propose", "approve", "reject", "change", "decide", "proposal")),
    _Loader("templates", ("templates",)),
    _Loader("notify", ("notify",)),
    _Loader("handover", ("handover", "labels")),
    _Loader("feedback", ("feedback",)),
    _Loader("agenda", ("agenda",)),
    _Loader("calendar", ("calendar",)),
    _Loader("invoices", ("invoice",), "reminders"),
    _Loader("timelog", ("time",)),
    _Loader("costs", ("cost",)),
    _Loader("receipts", ("receipt",)),
    _Loader("payments", ("pay", "payment")),
    _Loader("books", ("books",)),
    _Loader("report", ("report",)),
    _Loader("log", ("log",)),
    _Loader("data", ("import", "export", "backup", "restore", "doctor")),
)
_OWNERS = {name: loader for loader in _LOADERS for name in loader.names}
# Commands built so far, by name: built once per process (CliRunner tests invoke many times).
_BUILT: dict[str, Any] = {}


def main() -> None:
    """Console entry point."""
    try:
        app()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(ExitStatus.OK)
    except KeyboardInterrupt:
        typer.echo("Interrupted; nothing half-written was kept.", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
