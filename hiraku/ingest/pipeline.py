"""ingest_version: one uploaded file -> typed Parquet tables + DataTable rows, all or nothing.

    ingest_version(version.id)  ->  IngestJob(state="done", tables=[DataTable("aed.csv", rows=451)])

Order of work (why): every Parquet file is first written under a temporary name next to its
final place; only when all tables are complete are they renamed and, in one transaction, the
DataTable rows created and the job marked DONE. A failure anywhere removes the temporary files
and marks the job FAILED with a bilingual reason, so the resource keeps serving its previous
version (selectors.serving_version).
"""

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable

import duckdb
from django.db import transaction
from django.utils import timezone

from hiraku.catalog.models import ResourceVersion
from hiraku.conf import setting

from . import duck
from .archive import iter_zip
from .decide import convert_columns
from .direct import write_direct
from .duck import sql_literal
from .models import DataTable, IngestJob, JobState
from .parsing.detect import detect_format
from .parsing.errors import ParseError
from .records import iter_workbook, load_geojson, load_json
from .sources import LoadContext, csv_error, load_csv, materialize
from .sql_values import install_macros
from .tables import parquet_rows, safe_table_filename, table_schema, table_stats, write_parquet

log = logging.getLogger("hiraku.ingest")

NOT_TABULAR_KINDS = {"pdf", "image", "binary", "text"}
TABULAR_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods", ".json", ".geojson", ".zip")
PROGRESS_INTERVAL_SECONDS = 1.0


class _Progress:
    """Progress 0..1 on the job row, written at most once a second (the UI polls it)."""

    def __init__(self, job: IngestJob, callback: Callable[[float], None] | None):
        self.job_id = job.pk
        self.callback = callback
        self.last_write = 0.0
        self.value = 0.0

    def __call__(self, fraction: float) -> None:
        self.value = max(self.value, min(fraction, 1.0))
        if self.callback:
            self.callback(self.value)
        now = time.monotonic()
        if now - self.last_write >= PROGRESS_INTERVAL_SECONDS:
            self.last_write = now
            IngestJob.objects.filter(pk=self.job_id).update(progress=round(self.value, 3))


def _local_path(version: ResourceVersion, scratch: str) -> str:
    """A path DuckDB can read: the stored file itself, or a copy when storage is remote (S3)."""
    try:
        return version.file.path
    except NotImplementedError:
        dest = os.path.join(scratch, "source")
        with version.file.open("rb") as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, 8 << 20)
        return dest


def _version_dir(version: ResourceVersion) -> str:
    return os.path.join(str(version.resource_id), str(version.id))


def _iter_loaded(ctx: LoadContext, path: str, filename: str, info):
    kind = info.kind
    if kind in ("csv", "tsv", "text"):
        yield load_csv(ctx, path, filename, filename, getattr(info, "encoding", None))
    elif kind in ("xlsx", "xls", "ods"):
        yield from iter_workbook(ctx, path, filename, kind)
    elif kind == "json":
        yield load_json(ctx, path, filename, filename)
    elif kind == "geojson":
        yield load_geojson(ctx, path, filename, filename)
    elif kind == "zip":
        yield from iter_zip(ctx, path, filename)
    else:  # pragma: no cover - guarded by _classify
        raise ParseError(f"未対応の形式です: {kind}", f"unsupported format: {kind}", file=filename)


def _classify(kind: str, filename: str) -> str:
    """'tabular', 'not_tabular' or raises: a file named .csv that is binary is an error."""
    if kind == "empty":
        raise ParseError("ファイルが空です", "the file is empty", file=filename)
    if kind in NOT_TABULAR_KINDS:
        if kind == "text" and filename.lower().endswith((".csv", ".tsv", ".txt")):
            return "tabular"
        if filename.lower().endswith(TABULAR_EXTENSIONS):
            raise ParseError(
                f"拡張子は表形式ですが、中身が表として読めません（{kind}）",
                f"the name says tabular but the content is {kind}",
                file=filename,
            )
        return "not_tabular"
    return "tabular"


class _Run:
    def __init__(self, job: IngestJob, progress: Callable[[float], None] | None):
        self.job = job
        self.version = job.version
        self.filename = self.version.original_filename or os.path.basename(self.version.file.name)
        self.progress = _Progress(job, progress)
        self.root = setting("DATASTORE_DIR")
        self.final_dir = os.path.join(self.root, _version_dir(self.version))
        self.temp_files: list[tuple[str, str]] = []  # (temporary path, final path)

    def start(self) -> None:
        self.job.state = JobState.RUNNING
        self.job.started = timezone.now()
        self.job.finished = None
        self.job.progress = 0.0
        self.job.message = ""
        self.job.save(update_fields=["state", "started", "finished", "progress", "message"])

    def execute(self, scratch: str) -> None:
        path = _local_path(self.version, scratch)
        info = detect_format(path, self.filename)
        self.job.detected_format = info.kind
        if _classify(info.kind, self.filename) == "not_tabular":
            self._finish_not_tabular(info)
            return
        os.makedirs(self.final_dir, exist_ok=True)
        con = duck.connect(temp_dir=os.path.join(scratch, "duckdb"))
        try:
            install_macros(con)
            self._build_tables(con, scratch, path, info)
        finally:
            con.close()

    def _build_tables(self, con, scratch: str, path: str, info) -> None:
        options = self.job.options or {}
        overrides = options.get("types") or {}
        ctx = LoadContext(
            con=con,
            scratch=scratch,
            encoding_override=options.get("encoding") or "",
            allow_ragged=bool(options.get("allow_ragged")),
            progress=self.progress,
        )
        taken: set[str] = set()
        results = []
        clock = time.perf_counter()
        # Seconds per phase, summed over tables (shown in the report; bench/ingest.py prints it).
        self.timings = {"load": 0.0, "types": 0.0, "parquet": 0.0, "stats": 0.0}

        def lap(phase: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            self.timings[phase] += now - clock
            clock = now

        for position, loaded in enumerate(_iter_loaded(ctx, path, self.filename, info)):
            lap("load")
            stem = safe_table_filename(loaded.name.rsplit("/", 1)[-1], taken)
            # One file name per job: a re-run of the same version writes a new file, so the
            # web workers' caches, which key on the path, never serve the previous run's data.
            final = os.path.join(self.final_dir, f"{stem}.{self.job.pk.hex[:12]}.parquet")
            temp = os.path.join(self.final_dir, f".{stem}.parquet.{self.job.pk}.tmp")
            self.temp_files.append((temp, final))
            writing = 0.0

            def write(select: str, temp: str = temp) -> str:
                # the typed COPY runs inside the type decision (speculatively, see decide.py)
                nonlocal writing
                started = time.perf_counter()
                write_parquet(con, select, temp)
                writing += time.perf_counter() - started
                return f"read_parquet({sql_literal(temp)})"

            decisions = None
            if loaded.is_view and not overrides.get(loaded.name):
                # one pass over read_csv; None when a column needs decide.py's full path
                try:
                    decisions = write_direct(con, loaded.relation, loaded.columns, write=write)
                except duckdb.Error as error:  # read_csv's errors surface inside the COPY
                    raise csv_error(error, loaded.filename or loaded.name) from error
            if decisions is None:
                materialize(con, loaded)
                decisions, _select, helpers = convert_columns(
                    con, loaded.relation, loaded.columns, overrides.get(loaded.name), write=write
                )
                for name in helpers:
                    con.execute(f"DROP TABLE {name}")
            rows = parquet_rows(con, temp)
            con.execute(f"DROP {'VIEW' if loaded.is_view else 'TABLE'} {loaded.relation}")
            lap("types")
            self.timings["types"] -= writing
            self.timings["parquet"] += writing
            self.progress(max(self.progress.value, 0.85))
            stats = table_stats(con, temp, decisions, rows)
            lap("stats")
            results.append(
                {
                    "name": loaded.name,
                    "position": position,
                    "parquet_path": os.path.relpath(final, self.root),
                    "row_count": rows,
                    "table_schema": table_schema(loaded, decisions),
                    "stats": stats,
                    "notes": loaded.notes,
                    "report": {**loaded.report, "rows": rows, "columns": len(decisions)},
                    "lost": [d for d in decisions if d.lost_values],
                }
            )
            clock = time.perf_counter()
        encodings = sorted(set(ctx.detected_encodings))
        self.job.detected_encoding = ",".join(encodings)
        self._commit(results, info)

    def _commit(self, results: list[dict], info) -> None:
        warnings = []
        for result in results:
            for d in result.pop("lost"):
                warnings.append(
                    f"{result['name']}: 列「{d.name}」の {d.lost_values} 個の値を指定の型に変換できず空にしました"
                    f"（最初は {d.first_lost_row} 行目） / column {d.name!r}: {d.lost_values} values "
                    f"could not be converted and were left empty (first at row {d.first_lost_row})"
                )
        for temp, final in self.temp_files:
            os.replace(temp, final)
        self.temp_files = []
        total_rows = sum(r["row_count"] for r in results)
        with transaction.atomic():
            # Idempotent: a rerun of the same version replaces the tables of earlier runs.
            DataTable.objects.filter(version=self.version).delete()
            DataTable.objects.bulk_create(
                DataTable(
                    job=self.job,
                    version=self.version,
                    resource_id=self.version.resource_id,
                    name=r["name"][:300],
                    position=r["position"],
                    parquet_path=r["parquet_path"],
                    row_count=r["row_count"],
                    table_schema=r["table_schema"],
                    stats=r["stats"],
                    notes=r["notes"],
                )
                for r in results
            )
            self.job.state = JobState.DONE
            self.job.progress = 1.0
            self.job.finished = timezone.now()
            self.job.report = {
                "format": info.kind,
                "format_reason": getattr(info, "reason", ""),
                "encoding": self.job.detected_encoding,
                "tables": [{"name": r["name"], **r["report"]} for r in results],
                "warnings": warnings,
                "seconds": {k: round(v, 3) for k, v in getattr(self, "timings", {}).items()},
            }
            self.job.message = (
                f"{len(results)} 表、{total_rows:,} 行を取り込みました / "
                f"Ingested {len(results)} table(s), {total_rows:,} rows"
            )
            self.job.save()
        self._remove_stale_files({os.path.basename(r["parquet_path"]) for r in results})

    def _remove_stale_files(self, keep: set[str]) -> None:
        for name in os.listdir(self.final_dir):
            if name.endswith(".parquet") and name not in keep:
                os.remove(os.path.join(self.final_dir, name))

    def _finish_not_tabular(self, info) -> None:
        self.job.state = JobState.NOT_TABULAR
        self.job.progress = 1.0
        self.job.finished = timezone.now()
        self.job.message = (
            f"表形式ではないためファイルとして公開します（{info.kind}） / "
            f"Not tabular ({info.kind}); kept as a file"
        )
        self.job.report = {"format": info.kind, "format_reason": getattr(info, "reason", "")}
        self.job.save()

    def fail(self, message: str, details: dict) -> None:
        for temp, _final in self.temp_files:
            if os.path.exists(temp):
                os.remove(temp)
        self.temp_files = []
        self.job.state = JobState.FAILED
        self.job.finished = timezone.now()
        self.job.message = message
        self.job.report = {**(self.job.report or {}), "error": details}
        self.job.save()


def run_job(job: IngestJob, *, progress: Callable[[float], None] | None = None) -> IngestJob:
    """Run a queued job to DONE / NOT_TABULAR / FAILED. Never raises for bad input."""
    run = _Run(job, progress)
    run.start()
    scratch_root = os.path.join(setting("DATASTORE_DIR"), ".scratch")
    os.makedirs(scratch_root, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix=f"job-{job.pk}-", dir=scratch_root)
    try:
        run.execute(scratch)
    except ParseError as error:
        error.file = error.file or run.filename
        run.fail(error.bilingual(), error.as_dict())
    except Exception as error:  # an unexpected bug must still end as FAILED, never hang
        log.exception("ingest job %s crashed", job.pk)
        text = f"{type(error).__name__}: {error}"[:1000]
        run.fail(
            f"取り込み中に予期しないエラーが発生しました（ファイル {run.filename}）: {text} / "
            f"Unexpected error while ingesting {run.filename}: {text}",
            {"message": text, "file": run.filename},
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return job


def ingest_version(
    version_id,
    *,
    options: dict | None = None,
    progress: Callable[[float], None] | None = None,
    job: IngestJob | None = None,
) -> IngestJob:
    """Ingest one version synchronously (the queue task and `hiraku ingest` both call this)."""
    if job is None:
        version = ResourceVersion.objects.select_related("resource").get(pk=version_id)
        job = IngestJob.objects.create(version=version, options=options or {})
    elif options is not None:
        job.options = options
        job.save(update_fields=["options"])
    return run_job(job, progress=progress)
