"""The import workflow, one service for the UI, the API, the background task and the command line.

``import_file_run`` reads the file (strings), checks every cell and row set-based, joins the registry for
enterprise ids and scope, compares with the stored rows, and, for a commit without a single rejected row,
writes the new and changed rows in one transaction with one change-log entry for the whole batch.  A dry run
does everything but the write.  ``import_start`` stores an upload and runs the same service as a job.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from industria.core.changelog import bulk_change_record, suppress_row_logging
from industria.core.exceptions import DomainError
from industria.core.models import Job
from industria.core.permissions import perm_name
from industria.core.services import job_enqueue

from .changes import SUMMARY_ROWS, Plan, db_key, plan_changes
from .kinds import KINDS, kind_get
from .problems import ROW_PARAMS, ImportFileError, messages_column, problem_message
from .reading import RawTable, read_table, sniff_format
from .selectors import references_load, size_thresholds, staged_usccs, stored_enterprises, stored_rows
from .specs import Kind
from .validation import Checked, check_cells, order_problems, registry_problems
from .workbooks import problems_by_row, rejected_xlsx
from .writing import analyze_table, insert_rows, lock_table, timestamp_value, upsert_rows

logger = logging.getLogger(__name__)
IMPORT_JOB_KIND = "enterprises.import"
IMPORTS_DIR = "imports"
PROBLEMS_KEPT = 1000  # problems kept in the result; the rejected-rows workbook has them all
ROLLUP_ALL_ABOVE = 20_000  # past this many enterprises, refresh every group membership at once
ANALYZE_AFTER_ROWS = 10_000  # a bulk write leaves the planner's statistics stale: refresh them in the transaction
Progress = Callable[[int, int, str], None]
STEPS = 1000
# rows whose credit code is unusable are not looked up in the registry (their problem is already reported)
USCC_CELL_CODES = ("required_value", "uscc_length", "uscc_character", "uscc_check_digit", "example_row")


class ImportNotAllowed(DomainError):
    """The user's role or scope does not allow this import."""

    code = "import_not_allowed"
    default_message = gettext_lazy("Your role may not import %(kind)s.")
    http_status = 403


@dataclass
class ImportResult:
    """What an import found and did; ``as_dict`` is the job's result."""

    kind: str
    dry_run: bool
    outcome: str  # malformed | rejected | checked | committed
    file: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    problems_total: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    scaled_columns: dict[str, int] = field(default_factory=dict)
    rejected_file: str | None = None
    audit_id: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome in ("checked", "committed")

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__} | {"ok": self.ok}


class _Progress:
    """Maps the phases onto one bar of ``STEPS`` steps: reading 0-10 %, checking -35 %, registry -50 %,
    writing -97 %, change log -100 %."""

    def __init__(self, callback: Progress | None):
        self.callback = callback

    def __call__(self, fraction: float, phase: str) -> None:
        if self.callback:
            self.callback(int(fraction * STEPS), STEPS, phase)

    def span(self, start: float, end: float, phase: str, total: int) -> Callable[[int], None]:
        return lambda done: self(start + (end - start) * (done / total if total else 1), phase)


def _scope_district(actor: Any, kind: Kind) -> int | None:
    """Check the actor may import ``kind``; return the district they are limited to (None: the whole city).

    No actor (a command run by an operator without a user) imports city-wide.
    """
    if actor is None:
        return None
    params = {"kind": str(kind.label)}
    if not getattr(actor, "is_authenticated", False):
        raise ImportNotAllowed(params=params)
    if actor.is_superuser:
        return None
    scope = getattr(actor, "scope", "city") or "city"
    allowed = actor.has_perm(perm_name(kind.model, "add")) and actor.has_perm(perm_name(kind.model, "change"))
    if scope == "enterprise" or not allowed:
        raise ImportNotAllowed(params=params)
    return actor.district_id if scope == "district" else None


def import_allowed(actor: Any, kind: str) -> bool:
    """Whether ``actor`` may import ``kind`` (for showing the upload page and its choices)."""
    spec = kind_get(kind)
    if spec is None:
        return False
    try:
        _scope_district(actor, spec)
    except ImportNotAllowed:
        return False
    return True


def _kind_or_error(kind: str) -> Kind:
    spec = kind_get(kind)
    if spec is None:
        raise ImportFileError("unknown_kind", {"value": kind, "allowed": ", ".join(KINDS)})
    return spec


def message_constants(kind: Kind, district_label: str = "") -> dict[tuple[str, str], dict[str, Any]]:
    """Message parameters that are the same for every row of a (code, column)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for c in kind.columns:
        out[("below_minimum", c.key)] = {"min": c.min_value if c.min_value is not None else 0}
        out[("above_maximum", c.key)] = {"max": c.max_value}
        out[("date_out_of_range", c.key)] = {"min": c.min_value, "max": c.max_value}
        out[("too_long", c.key)] = {"max": c.max_length}
        out[("bad_choice", c.key)] = {"allowed": ", ".join(f"{code} ({label})" for code, label in c.allowed_values())}
    out[("duplicate_key", "uscc")] = {"key": str(kind.key_label)}
    out[("enterprise_out_of_scope", "uscc")] = {"district": district_label}
    out[("district_out_of_scope", "district")] = {"district": district_label}
    return out


def _problem_dicts(problems: pl.DataFrame, headers: dict[str, str], constants: dict) -> list[dict[str, Any]]:
    out = []
    for row in problems.head(PROBLEMS_KEPT).iter_rows(named=True):
        code, key = row["code"], row["column"]
        params = {name: row[name] for name in ROW_PARAMS if row.get(name) is not None}
        params.update(constants.get((code, key), {}))
        out.append(
            {
                "row": row["_row"],
                "column": headers.get(key, key),
                "key": key,
                "code": code,
                "params": params,
                "message": problem_message(code, params),
            }
        )
    return out


def localized_problems(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored problems with their message rendered again in the active language."""
    return [{**p, "message": problem_message(p["code"], p.get("params") or {})} for p in problems]


@contextmanager
def _database_phase(kind: Kind, *, write: bool) -> Iterator[None]:
    """The transaction of the registry reads and the write.  A commit locks the target table first; a dry run
    on PostgreSQL runs in a transaction that is rolled back (its temporary tables live there)."""
    if write:
        with transaction.atomic():
            lock_table(kind.model._meta.db_table)
            yield
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    else:
        yield


def import_file_run(
    *,
    actor: Any,
    kind: str,
    path: str | Path,
    dry_run: bool = True,
    filename: str | None = None,
    progress: Progress | None = None,
    rejected_path: Path | None = None,
) -> ImportResult:
    """Import the file at ``path`` as ``kind`` (see the module docstring); nothing is written on a dry run or
    when any row is rejected.  Raises ImportFileError for an unknown kind, ImportNotAllowed for a role or scope
    that may not import; a malformed file is reported in the result (outcome ``malformed``)."""
    spec = _kind_or_error(kind)
    district_id = _scope_district(actor, spec)
    path = Path(path)
    report = _Progress(progress)
    clock = {"start": time.perf_counter()}
    result = ImportResult(
        kind=spec.code,
        dry_run=dry_run,
        outcome="malformed",
        file={"name": filename or path.name, "path": _media_relative(path)},
    )
    report(0, "reading")
    try:
        raw = read_table(path, spec)
    except ImportFileError as exc:
        result.problems = [
            {**p, "key": p.get("column"), "message": problem_message(p["code"], p["params"])} for p in exc.problems
        ]
        result.problems_total = len(exc.problems)
        return result
    clock["read"] = time.perf_counter()
    result.file.update(format=raw.file_format, encoding=raw.encoding, header_row=raw.header_row)
    result.ignored_columns = raw.ignored
    result.scaled_columns = {raw.headers[k]: v for k, v in raw.scales.items()}
    report(0.10, "checking")
    checked = check_cells(raw, spec, references_load(spec))
    clock["check"] = time.perf_counter()
    report(0.35, "checking")
    district_label = _district_label(district_id)
    write = not dry_run and checked.problems.is_empty()
    rows = raw.frame.height
    with _database_phase(spec, write=write):
        problems, plan = _against_registry(spec, raw, checked, district_id, report)
        clock["compare"] = time.perf_counter()
        rejected = problems["_row"].n_unique()
        if write and rejected == 0:
            result.audit_id = _write(spec, plan, rows, result, report)
            result.outcome = "committed"
    clock["write"] = time.perf_counter()
    if result.outcome != "committed":
        result.outcome = "rejected" if rejected else "checked"
    constants = message_constants(spec, district_label)
    result.counts = {
        "rows": rows,
        "new": plan.new,
        "changed": plan.changed,
        "unchanged": plan.unchanged,
        "rejected": rejected,
    }
    result.problems_total = problems.height
    result.problems = _problem_dicts(problems, raw.headers, constants)
    if rejected and rejected_path is not None:
        messages = messages_column(problems, constants)
        rejected_xlsx(
            Path(rejected_path), raw.original, raw.original_headers, problems_by_row(problems, messages, raw.headers)
        )
        result.rejected_file = _media_relative(Path(rejected_path))
    report(1.0, "done")
    end = time.perf_counter()
    result.seconds = {
        "read": clock["read"] - clock["start"],
        "check": clock["check"] - clock["read"],
        "compare": clock["compare"] - clock["check"],
        "write": clock["write"] - clock["compare"],
        "total": end - clock["start"],
    }
    result.seconds = {k: round(v, 3) for k, v in result.seconds.items()}
    return result


def _district_label(district_id: int | None) -> str:
    if district_id is None:
        return ""
    from industria.accounts.models import District

    return str(District.objects.get(pk=district_id))


def _against_registry(
    spec: Kind, raw: RawTable, checked: Checked, district_id: int | None, report: _Progress
) -> tuple[pl.DataFrame, Plan]:
    """Join the registry: enterprise ids and scope, then the stored rows; returns (all problems, plan).

    Once every problem is known, the file's text is cut down to the rejected rows (all the workbook of rejected
    rows needs), so a large clean file does not keep its text in memory while it is compared and written.
    """
    present = list(raw.headers)
    bad_uscc = checked.problems.filter((pl.col("column") == "uscc") & pl.col("code").is_in(USCC_CELL_CODES))
    typed = checked.typed
    if not bad_uscc.is_empty():
        typed = typed.filter(~pl.col("_row").is_in(bad_uscc["_row"].implode()))
    checked.typed = None  # type: ignore[assignment]  # freed: only the rows with a readable code go on
    with staged_usccs(typed["uscc"]) as keys_table:
        enterprises = stored_enterprises(spec, keys_table, present)
        registry = registry_problems(typed, enterprises, kind=spec, district_id=district_id, text=raw.frame)
        problems = order_problems(pl.concat([checked.problems, registry], how="diagonal_relaxed"), present)
        rejected = problems["_row"].unique().implode()
        raw.original = raw.original.filter(pl.col("_row").is_in(rejected))
        raw.frame = raw.frame.head(0)
        valid = typed.filter(~pl.col("_row").is_in(rejected)) if problems.height else typed
        del typed
        report(0.45, "comparing")
        thresholds = None
        if spec.is_enterprise:
            stored = enterprises.rename({"enterprise_id": "id"}).drop("stored_district_id")
            incoming = valid
        else:
            incoming = valid.join(enterprises.select("uscc", "enterprise_id"), on="uscc", how="inner")
            years = None
            if "year" in incoming.columns and incoming.height:
                years = (int(incoming["year"].min()), int(incoming["year"].max()))
                thresholds = size_thresholds(incoming["year"].unique().to_list())
            stored = stored_rows(spec, keys_table, years, present)
        del valid, enterprises
        plan = plan_changes(
            spec, incoming, stored, present=present, thresholds=thresholds, now=timestamp_value(timezone.now())
        )
    report(0.50, "comparing")
    return problems, plan


def _write(spec: Kind, plan: Plan, rows: int, result: ImportResult, report: _Progress) -> int | None:
    """Insert and update, refresh group memberships after an enterprise import, and record one change-log entry."""
    table = spec.model._meta.db_table
    total = plan.new + plan.changed
    if not total:
        return None
    with suppress_row_logging():
        insert_rows(table, plan.inserts, report.span(0.50, 0.50 + 0.47 * plan.new / total, "writing", plan.new))
        upsert_rows(
            table,
            plan.updates,
            key=db_key(spec),
            update=plan.update_columns,
            progress=report.span(0.97 - 0.47 * plan.changed / total, 0.97, "writing", plan.changed),
        )
        if spec.is_enterprise:
            _refresh_groups(plan)
        if total >= ANALYZE_AFTER_ROWS:
            analyze_table(table)
        report(0.98, "recording")
        entry = bulk_change_record(
            model=spec.model,
            object_repr=_("Import of %(kind)s from %(file)s: %(new)s new, %(changed)s changed")
            % {"kind": spec.label, "file": result.file["name"], "new": plan.new, "changed": plan.changed},
            summary={
                "kind": spec.code,
                "file": result.file["name"],
                "counts": {"rows": rows, "new": plan.new, "changed": plan.changed, "unchanged": plan.unchanged},
                "rows": plan.summary_rows,
                "rows_listed": len(plan.summary_rows),
                "note": (
                    _("Only the first %(n)s of %(total)s changed rows are listed.")
                    % {"n": SUMMARY_ROWS, "total": total}
                )
                if total > SUMMARY_ROWS
                else "",
            },
        )
    return entry.pk


def _refresh_groups(plan: Plan) -> None:
    from industria.enterprises.models import Enterprise
    from industria.enterprises.services import industry_rollup_refresh

    if plan.new + len(plan.industry_changed_ids) > ROLLUP_ALL_ABOVE:
        industry_rollup_refresh()
        return
    new_ids = list(Enterprise.objects.filter(uscc__in=plan.inserts["uscc"].to_list()).values_list("pk", flat=True))
    if new_ids or plan.industry_changed_ids:
        industry_rollup_refresh(enterprise_ids=new_ids + plan.industry_changed_ids)


def _media_relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.MEDIA_ROOT).resolve()))
    except ValueError:
        return str(path)


def import_template_xlsx(kind: str) -> bytes:
    """The xlsx template of ``kind`` in the active language."""
    from .workbooks import template_xlsx

    return template_xlsx(_kind_or_error(kind))


def import_upload_store(*, upload: Any) -> Path:
    """Save an uploaded file under MEDIA_ROOT/imports/<month>/<random>/ and check it is a csv or xlsx file.

    Returns the saved path.  Raises ImportFileError (and keeps nothing) for an empty or unsupported file.
    """
    folder = Path(settings.MEDIA_ROOT) / IMPORTS_DIR / timezone.now().strftime("%Y%m") / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    try:
        name = get_valid_filename(Path(upload.name or "upload").name)
    except SuspiciousFileOperation:  # a name such as ".." leaves nothing usable
        name = "upload"
    target = folder / name
    with open(target, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        sniff_format(target)
    except ImportFileError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target


def import_start(
    *,
    actor: Any,
    kind: str,
    upload: Any = None,
    path: Path | None = None,
    filename: str = "",
    dry_run: bool = True,
    source: str = "task",
    language: str = "",
) -> Job:
    """Check the kind and the user, store the upload (or reuse ``path``), and run the import as a job."""
    from .tasks import import_file_run_task

    spec = _kind_or_error(kind)
    _scope_district(actor, spec)
    if upload is not None:
        path, filename = import_upload_store(upload=upload), upload.name
    assert path is not None
    label = _("Import of %(kind)s: %(file)s") % {"kind": spec.label, "file": filename or path.name}
    name = label + (" · " + _("dry run") if dry_run else "")
    return job_enqueue(
        actor=actor,
        kind=IMPORT_JOB_KIND,
        name=name[:200],
        task=import_file_run_task,
        kwargs={
            "kind": spec.code,
            "path": _media_relative(path),
            "filename": filename or path.name,
            "dry_run": dry_run,
            "source": source,
            "language": language,
        },
    )


def import_job_get(user: Any, pk: int) -> Job:
    """An import job the user may see (raises Job.DoesNotExist otherwise)."""
    return Job.objects.for_user(user, "view").select_related("requested_by").get(pk=pk, kind=IMPORT_JOB_KIND)


def import_commit(*, actor: Any, job: Job, source: str, language: str = "") -> Job:
    """Import for real the file a successful dry run checked (a new job)."""
    result = job.result or {}
    if not (result.get("dry_run") and result.get("outcome") == "checked"):
        raise DomainError(
            gettext_lazy("Only a dry run without rejected rows can be committed."), code="import_not_committable"
        )
    return import_start(
        actor=actor,
        kind=result["kind"],
        path=media_path(result["file"]["path"]),
        filename=result["file"]["name"],
        dry_run=False,
        source=source,
        language=language,
    )


def media_path(relative: str) -> Path:
    """The absolute path of a file stored under MEDIA_ROOT (refuses paths that leave it)."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise DomainError(gettext_lazy("No such file."), code="not_found")
    return path
