"""Importing a client's gift list (YAML): client, job, recipients, budgets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from shopcli.data.importing.base import ImportResult, at_line, located, log_import, read_text
from shopcli.storage import Store
from shopcli.storage.rows import Client, Job


class _Mapping(dict):
    """A mapping from the file that remembers the line of each key."""

    line: int = 0
    lines: dict[str, int]


class _Sequence(list):
    """A sequence from the file that remembers the line of each element."""

    line: int = 0
    lines: list[int]


def _load_yaml(path: Path, text: str) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """Keeps numbers, dates and yes/no as written (a phone 0401234567 is not octal) and
        remembers lines."""

    def as_written(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
        return loader.construct_scalar(node)

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _Mapping:
        loader.flatten_mapping(node)
        result = _Mapping()
        result.line = node.start_mark.line + 1
        result.lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise located(path, line, None, f"a key must be a name, not {key!r}")
            if key in result:
                raise located(path, line, key, "given twice")
            result[key] = loader.construct_object(value_node, deep=True)
            result.lines[key] = line
        return result

    def sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> _Sequence:
        result = _Sequence(loader.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.lines = [child.start_mark.line + 1 for child in node.value]
        return result

    for tag in ("int", "float", "bool", "timestamp"):
        Loader.add_constructor(f"tag:yaml.org,2002:{tag}", as_written)
    Loader.add_constructor("tag:yaml.org,2002:map", mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", sequence)
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise located(path, mark.line + 1 if mark else None, None, problem) from None


def _line(node: Any, key: str | None = None, default: int | None = None) -> int | None:
    if key is not None and isinstance(node, _Mapping):
        return node.lines.get(key, node.line)
    return getattr(node, "line", default) or default


@dataclass
class _Spec:
    """One record's fields as the file gives them: for the domain (`given`), as they would be
    stored (`cleaned`), and where each one is (`lines`)."""

    given: dict[str, Any]
    cleaned: dict[str, Any]
    lines: dict[str, int | None]
    line: int | None


# Fields holding a list (a comma-separated string also works) or a mapping.
_LIST_FIELDS = {"interests", "dislikes"}


_MAP_FIELDS = {"sizes", "dates"}


def _plain(path: Path, line: int | None, name: str, value: Any, label: str) -> Any:
    """A value from the file in the shape the cleaners take."""
    import datetime as dt

    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    if isinstance(value, str):
        return value
    if name in _LIST_FIELDS and isinstance(value, list):
        return [str(_plain(path, line, "", v, label)) for v in value if v is not None]
    if name in _MAP_FIELDS and isinstance(value, dict):
        return {str(k): _plain(path, line, "", v, label) for k, v in value.items() if v is not None}
    if name == "sizes" and isinstance(value, list):
        return [str(_plain(path, line, "", v, label)) for v in value if v is not None]
    kind = "a list" if isinstance(value, list) else "a mapping"
    raise located(path, line, label, f"expected a single value, not {kind}")


def _spec(
    path: Path,
    node: Any,
    what: str,
    cleaners: dict[str, Callable[[Any], Any]],
    required: str,
    prefix: str,
    *,
    extra: dict[str, Callable[[Any], Any]] | None = None,
) -> _Spec:
    from shopcli.core.cards import refuse_card_numbers
    from shopcli.core.validate import refuse_hidden_text

    if isinstance(node, str):
        node_map: dict = {required: node}
        line = None
    elif isinstance(node, dict):
        node_map = node
        line = _line(node)
    else:
        raise located(path, _line(node), prefix, f"{what} must be a mapping of fields")
    known = {**cleaners, **(extra or {})}
    given: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}
    lines: dict[str, int | None] = {}
    for key, raw in node_map.items():
        key_line = _line(node, key, line)
        name = f"{prefix}.{key}"
        if key not in known:
            raise located(
                path,
                key_line,
                name,
                f"unknown field; a {what} has: {', '.join(sorted(known))}",
            )
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        value = _plain(path, key_line, key, raw, name)
        if key == "sizes" and isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        with at_line(path, key_line, name):
            texts = list(value.values()) if isinstance(value, dict) else value
            refuse_card_numbers({key: texts})
            refuse_hidden_text({key: texts})
            cleaned[key] = known[key](value)
        given[key] = value
        lines[key] = key_line
    if required not in given:
        raise located(path, line, f"{prefix}.{required}", f"a {what} needs a {required}")
    return _Spec(given, cleaned, lines, line)


def import_giftlist(store: Store, path: Path) -> ImportResult:
    """A client's list: the client, optionally a job, and recipients with their budgets.

    Records are matched, not duplicated: the client by email then name, recipients by name
    within the client, the job by title within the client. Fields the file gives replace the
    stored ones; fields it leaves out are kept.
    """
    from shopcli.core.money import parse_amount, to_text
    from shopcli.people import clients, recipients
    from shopcli.work import jobs
    from shopcli.work.terms import parse_fee

    data = _load_yaml(path, read_text(path))
    if not isinstance(data, dict):
        raise located(
            path,
            _line(data, default=1),
            None,
            "a gift list is a mapping with client, job and recipients",
        )
    for key in data:
        if key not in ("client", "job", "recipients"):
            raise located(
                path,
                _line(data, key),
                key,
                "unknown section; a gift list has client, job and recipients",
            )
    if "client" not in data or data["client"] is None:
        raise located(path, 1, "client", "a gift list needs a client (at least a name)")

    amount_cleaner = {"budget": lambda v: to_text(parse_amount(v, "budget"))}
    client_spec = _spec(path, data["client"], "client", clients.CLEANERS, "name", "client")
    job_spec = None
    if data.get("job") is not None:
        fee = {"fee": lambda v: str(parse_fee(v))}
        job_spec = _spec(path, data["job"], "job", jobs.CLEANERS, "title", "job", extra=fee)
    people = data.get("recipients") or []
    if not isinstance(people, list):
        raise located(path, _line(data, "recipients"), "recipients", "expected a list")
    recipient_specs: list[_Spec] = []
    seen: dict[str, int | None] = {}
    for index, person in enumerate(people):
        prefix = f"recipients[{index + 1}]"
        spec = _spec(
            path, person, "recipient", recipients.CLEANERS, "name", prefix, extra=amount_cleaner
        )
        folded = spec.cleaned["name"].casefold()
        if folded in seen:
            raise located(
                path,
                spec.line,
                f"{prefix}.name",
                f"this name is listed twice (also on line {seen[folded]})",
            )
        seen[folded] = spec.line
        if "budget" in spec.given and job_spec is None:
            raise located(
                path,
                spec.lines["budget"],
                f"{prefix}.budget",
                "a recipient's budget belongs to a job: add a job section (title at least)",
            )
        recipient_specs.append(spec)

    result = ImportResult(path, "gift list")
    with store.write():
        client = _import_client(store, path, client_spec, result)
        job = _import_job(store, path, job_spec, client, result) if job_spec else None
        for index, spec in enumerate(recipient_specs):
            _import_recipient(store, path, spec, f"recipients[{index + 1}]", client, job, result)
        log_import(store, result, client_id=client["id"], job_id=job["id"] if job else None)
    return result


def _changed(
    existing: Mapping[str, Any], spec: _Spec, skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The given fields whose stored value would change (a name written in other letter
    case is the same name: the stored spelling stays)."""
    return {
        key: spec.given[key]
        for key, value in spec.cleaned.items()
        if key not in skip
        and existing.get(key) != value
        and not (key in ("name", "title") and str(existing.get(key)).casefold() == value.casefold())
    }


def _import_client(store: Store, path: Path, spec: _Spec, result: ImportResult) -> Client:
    from shopcli.people import clients
    from shopcli.storage import importing as queries

    matches: list[Client] = []
    if "email" in spec.cleaned:
        matches = queries.clients_by_email(store, spec.cleaned["email"])
    if not matches:
        matches = queries.clients_by_name(store, spec.cleaned["name"])
    if len(matches) > 1:
        shown = ", ".join(f"#{row['id']}" for row in matches[:8])
        raise located(
            path,
            spec.line,
            "client",
            f"{len(matches)} clients have this name ({shown}); give the email of the one you mean",
        )
    if not matches:
        with at_line(path, spec.line, "client"):
            given = dict(spec.given)
            row = clients.add(store, given.pop("name"), **given)
        result.add("created", "client", row["name"], row["id"])
        return row
    row = matches[0]
    given_email, email = spec.cleaned.get("email"), row["email"]
    if given_email and email and email.casefold() != given_email.casefold():
        # Found by name only: a namesake, or a changed address. Either way the file does not
        # get to rewrite who the client is; the shopper decides.
        raise located(
            path,
            spec.lines.get("email", spec.line),
            "client.email",
            f"client #{row['id']} has this name and another email on file: if this is "
            "another person, add them first with `shop client add` (a distinguishing name and "
            f"this email); if the email changed, run `shop client edit {row['id']} --email "
            "ADDRESS` and import again",
        )
    changes = _changed(row, spec)
    if not changes:
        result.add("unchanged", "client", row["name"], row["id"])
        return row
    with at_line(path, spec.line, "client"):
        row = clients.edit(store, row, **changes)
    result.add("updated", "client", row["name"], row["id"], tuple(changes))
    return row


def _import_job(store: Store, path: Path, spec: _Spec, client: Client, result: ImportResult) -> Job:
    from shopcli.storage import jobs as queries
    from shopcli.work import jobs

    given = dict(spec.given)
    fee = given.pop("fee", None)
    row = queries.named(store, client["id"], spec.cleaned["title"])
    if row is None:
        with at_line(path, spec.line, "job"):
            row = jobs.add(store, client, given.pop("title"), fee=fee, **given)
        result.add("created", "job", row["title"], row["id"])
        return row
    changes = _changed(row, spec, skip=("fee",))
    if fee is not None and spec.cleaned["fee"] != (jobs.fee_text(row) or ""):
        changes["fee"] = fee
    if not changes:
        result.add("unchanged", "job", row["title"], row["id"])
        return row
    with at_line(path, spec.line, "job"):
        fee_change = changes.pop("fee", None)
        row = jobs.edit(store, row, fee=fee_change, **changes)
    fields = tuple(changes) + (("fee",) if fee_change is not None else ())
    result.add("updated", "job", row["title"], row["id"], fields)
    return row


def _import_recipient(
    store: Store,
    path: Path,
    spec: _Spec,
    prefix: str,
    client: Client,
    job: Job | None,
    result: ImportResult,
) -> None:
    from shopcli.people import recipients
    from shopcli.storage import importing as queries
    from shopcli.storage import recipients as recipient_queries
    from shopcli.work import budgets

    given = dict(spec.given)
    budget = given.pop("budget", None)
    # Names compare case-insensitively in any script (SQLite folds only ASCII): Äiti is äiti.
    folded = spec.cleaned["name"].casefold()
    same = [r for r in queries.recipients_of(store, client["id"]) if r["name"].casefold() == folded]
    row = recipient_queries.by_id(store, same[0]["id"]) if same else None
    if row is None:
        with at_line(path, spec.line, prefix):
            row = recipients.add(store, client, given.pop("name"), **given)
        result.add("created", "recipient", row["name"], row["id"])
    else:
        changes = _changed(row, spec, skip=("budget",))
        if changes:
            with at_line(path, spec.line, prefix):
                row = recipients.edit(store, row, **changes)
            result.add("updated", "recipient", row["name"], row["id"], tuple(changes))
        else:
            result.add("unchanged", "recipient", row["name"], row["id"])
    if budget is None or job is None:
        return
    from shopcli.core.money import plain

    shown = plain(Decimal(spec.cleaned["budget"]), job["currency"])
    label = f"{row['name']} in {job['title']}: {shown} {job['currency']}"
    stored = queries.budget_amount(store, job["id"], row["id"])
    if stored == spec.cleaned["budget"]:
        result.add("unchanged", "budget", label)
        return
    with at_line(path, spec.lines.get("budget"), f"{prefix}.budget"):
        budgets.set_budget(store, job, row, budget)
    result.add("created" if stored is None else "updated", "budget", label)
