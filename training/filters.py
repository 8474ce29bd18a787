"""The catalogue's filters: practice level, format, service area, time needed, keyword search and sort.

A plain GET form (django-filter), so the URL of any set of results can be shared and everything works without
JavaScript. A value that is not one we know (an old or mistyped link) is left out rather than failing the page.

The catalogue page uses this form to read and clean the choices; training.selectors.resource_catalogue applies them
to its cached index in one pass. `ResourceFilter(...).qs` gives the same resources in SQL (the tests hold the two
to the same answers).
"""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django_filters.fields import ModelMultipleChoiceField

from portal import search
from portal.models import PracticeLevel, ServiceArea
from training.models import Format, Resource

# Time buckets, in minutes: [low, high). Short training that fits the working day comes first.
TIME_CHOICES = [
    ("short", "Under 30 minutes"),
    ("medium", "30 minutes to 2 hours"),
    ("long", "Over 2 hours"),
]
TIME_RANGES = {"short": (0, 30), "medium": (30, 121), "long": (121, None)}

SORT_CHOICES = [
    ("relevance", "Most relevant"),
    ("newest", "Newest"),
    ("shortest", "Shortest first"),
]

# The facets counted beside each filter value; each is counted with every other filter applied but its own.
FACETS = ["level", "format", "service_area", "time"]


def time_q(buckets: list[str]) -> Q:
    q = Q()
    for bucket in buckets:
        low, high = TIME_RANGES[bucket]
        part = Q(duration_minutes__gte=low)
        if high is not None:
            part &= Q(duration_minutes__lt=high)
        q |= part
    return q


class LenientModelMultipleChoiceField(ModelMultipleChoiceField):
    """Keeps the values we know and leaves out the rest, so one stale value in a shared link does not undo the
    whole filter. ResourceFilter.dropped_fields() tells the person what was left out."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        return self.queryset.filter(**{f"{key}__in": [str(v) for v in value]})


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    def clean(self, value):
        value = [v for v in (value or []) if self.valid_value(v)]
        return super().clean(value)


class LenientModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = LenientModelMultipleChoiceField


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


def search_filter(queryset: QuerySet, text: str) -> QuerySet:
    """Resources matching `text`, annotated with `rank`.

    PostgreSQL: the stored, weighted vector (title, summary, description, levels, audiences, service areas; see
    training/search.py) through its GIN index, with websearch syntax ("-word", quotes). SQLite (development and
    the default test run): every word somewhere in the title, summary or description; title matches first.
    """
    if search.available(queryset.db):
        return search.search(queryset, text)
    for word in text.split():
        anywhere = Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
        queryset = queryset.filter(anywhere)
    return queryset.annotate(
        rank=Case(
            When(title__icontains=text, then=Value(3)),
            When(summary__icontains=text, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def search_ranks(queryset: QuerySet, text: str) -> dict[int, float]:
    """The id and rank of every resource in `queryset` matching `text`: one query."""
    return dict(search_filter(queryset, text).order_by().values_list("pk", "rank"))


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search training",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    level = LenientModelMultipleChoiceFilter(
        field_name="levels",
        to_field_name="slug",
        queryset=PracticeLevel.objects.active(),
        label="Practice level",
        method="filter_level",
        widget=forms.CheckboxSelectMultiple,
    )
    format = LenientMultipleChoiceFilter(choices=Format.choices, label="Format", widget=forms.CheckboxSelectMultiple)
    service_area = LenientModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=ServiceArea.objects.active(),
        label="Service area",
        method="filter_service_area",
        widget=forms.CheckboxSelectMultiple,
    )
    time = LenientMultipleChoiceFilter(
        choices=TIME_CHOICES, label="Time needed", method="filter_time", widget=forms.CheckboxSelectMultiple
    )
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, label="Sort by", method="filter_sort", empty_label=None, null_label=None
    )

    class Meta:
        model = Resource
        fields: list[str] = []

    # --- Filters ----------------------------------------------------------------------------------------------
    # Many-to-many filters use a subquery on the through table, so a resource at two chosen levels is listed once
    # without DISTINCT (which would fight with the relevance ordering).

    def filter_level(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        through = Resource.levels.through.objects.filter(practicelevel__in=value).values("resource_id")
        return queryset.filter(pk__in=through)

    def filter_service_area(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        through = Resource.service_areas.through.objects.filter(servicearea__in=value).values("resource_id")
        return queryset.filter(pk__in=through)

    def filter_time(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(time_q(value)) if value else queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return search_filter(queryset, value) if value else queryset

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Ordering happens in training.selectors after every filter; this method only keeps the field in the form.
        return queryset

    # --- Sorting ----------------------------------------------------------------------------------------------

    def sort_value(self) -> str:
        self.form.is_valid()
        chosen = self.form.cleaned_data.get("sort") or ""
        searching = bool((self.form.cleaned_data.get("q") or "").strip())
        if chosen == "relevance" and not searching:
            chosen = ""
        return chosen or ("relevance" if searching else "newest")

    def dropped_fields(self) -> list[str]:
        """Labels of filters with a value in the URL we did not recognise (and so left out)."""
        self.form.is_valid()
        dropped = [str(self.filters[name].label) for name in self.form.errors if name in self.filters]
        for name in FACETS:
            if name in self.form.errors or self.data is None:
                continue
            raw = {value for value in self.data.getlist(name) if value}
            cleaned = self.form.cleaned_data.get(name) or []
            kept = {getattr(value, "slug", value) for value in cleaned}
            if raw - kept:
                dropped.append(str(self.filters[name].label))
        return dropped
