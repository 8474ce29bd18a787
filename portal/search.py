"""Full-text search on a stored, weighted vector: the one way the portal searches text on PostgreSQL.

Computing `to_tsvector` over every row's columns on each search costs a full scan per query (165 ms for 2,000
training resources, far worse for a million forum posts). Instead a model keeps the vector in a column, a GIN index
answers `@@`, and the vector is rewritten whenever the text it is built from changes.

How a model takes part:

1. a field: `search_vector = SearchVectorField(null=True, editable=False)`. On SQLite the column exists but stays
   empty: SQLite has no full-text type, and the app's SQLite fallback (icontains) does not read it;
2. in its migration, after the AddField: `gin_index(...)` (PostgreSQL only; kept out of the model's Meta so SQLite,
   which rebuilds tables from Meta, never sees it) and a RunPython that fills the column for existing rows;
3. the parts, strongest first: `[Weighted("title", "A"), Weighted("summary", "B"), Weighted(related_names(...), "D")]`;
4. one updater that the services (or a signal receiver) call after every change to those parts:
   `update_vectors(Model.objects.filter(pk__in=ids), parts)`: one UPDATE, whatever the number of rows;
5. reads: `search(queryset, text)` filters with websearch_to_tsquery (quotes, `-word`, `or`) and annotates `rank`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.apps.registry import Apps
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Expression, F, Func, Model, QuerySet, TextField, Value
from django.db.models.expressions import CombinedExpression

CONFIG = "english"
FIELD = "search_vector"

_Rows = TypeVar("_Rows", bound=QuerySet[Model])


@dataclass(frozen=True)
class Weighted:
    """One part of a vector: a column name or a text expression, and its weight from "A" (strongest) to "D"."""

    source: str | Expression
    weight: str


def available(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def related_text(queryset: QuerySet[Model], field: str) -> Func:
    """The `field` of every row in `queryset` joined by spaces, for use as a part. Filter `queryset` with
    OuterRef("pk") to tie it to the row being updated: `related_text(Level.objects.filter(resources=OuterRef("pk")),
    "name")`."""
    return Func(
        ArraySubquery(queryset.order_by().values(field)),
        Value(" "),
        function="array_to_string",
        output_field=TextField(),
    )


def vector(parts: Sequence[Weighted], *, config: str = CONFIG) -> SearchVector | CombinedExpression:
    combined: SearchVector | CombinedExpression | None = None
    for part in parts:
        piece = SearchVector(part.source, weight=part.weight, config=config)
        combined = piece if combined is None else combined + piece
    if combined is None:
        raise ValueError("A search vector needs at least one part.")
    return combined


def update_vectors(queryset: QuerySet[Model], parts: Sequence[Weighted], *, field: str = FIELD) -> int:
    """Rewrite the stored vector of every row in `queryset` in one UPDATE. Does nothing off PostgreSQL."""
    if not available(queryset.db):
        return 0
    return queryset.order_by().update(**{field: vector(parts)})


def search(queryset: _Rows, text: str, *, field: str = FIELD, config: str = CONFIG) -> _Rows:
    """Rows whose stored vector matches `text` (websearch syntax), annotated with `rank`. PostgreSQL only: the
    caller keeps its own fallback for SQLite."""
    query = SearchQuery(text, search_type="websearch", config=config)
    # Match with @@ through the GIN index; rank only orders what matched.
    return queryset.filter(**{field: query}).annotate(rank=SearchRank(F(field), query))


def gin_index(*, table: str, column: str = FIELD, name: str) -> migrations.RunPython:
    """A migration operation adding a GIN index on `table.column` on PostgreSQL, and doing nothing elsewhere."""

    def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            quote = schema_editor.quote_name
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} USING gin ({quote(column)})"
            )

    def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    return migrations.RunPython(forwards, backwards, elidable=False)
