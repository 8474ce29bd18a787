from django.db.models import QuerySet

from portal.models import PracticeLevel, Principle


def practice_level_list() -> QuerySet[PracticeLevel]:
    return PracticeLevel.objects.active()


def principle_list() -> QuerySet[Principle]:
    return Principle.objects.active()
