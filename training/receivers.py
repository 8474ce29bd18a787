"""Signal receivers for training, connected in TrainingConfig.ready()."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from portal.cache import bump, personal
from portal.models import PracticeLevel, Role, ServiceArea
from training import services
from training.learning import records as learning_records
from training.learning import selectors as learning_selectors
from training.learning import sessions as learning_sessions
from training.models import (
    Certificate,
    CheckAttempt,
    ExternalCompletion,
    Module,
    ModuleProgress,
    Option,
    Pathway,
    PathwayItem,
    Question,
    Reflection,
    Resource,
    SavedResource,
    Step,
    StepCompletion,
)
from training.search import OWN_FIELDS


# Django's own signal, not allauth's: django.contrib.auth.login() sends it for every way of signing in (password,
# passkey, a link by email, the admin's sign-in, signing up), so no page has to catch up on a later GET.
@receiver(user_logged_in, dispatch_uid="training-merge-session-progress")
def merge_progress_on_sign_in(sender, request, user, **kwargs) -> None:
    """What someone did in a module before signing in is kept: it joins their record as they sign in."""
    if request is not None and hasattr(request, "session"):
        learning_sessions.session_progress_merge(user=user, session=request.session)


# Resources are written by the admin, the demo and the services alike: these receivers make every path keep the
# search vectors and the cached catalogue current, through the one updater, services.catalogue_changed.


@receiver(post_save, sender=Resource, dispatch_uid="training-resource-saved")
def resource_saved(sender, instance: Resource, update_fields=None, raw: bool = False, **kwargs) -> None:
    """Publishing is a change of state, however it is made: the service decides whether followers are due news."""
    if raw:  # loaddata writes rows as they were (announced or not), and the rows they point at may not exist yet
        return
    text_changed = update_fields is None or bool(OWN_FIELDS & set(update_fields))
    services.catalogue_changed(resource_ids=[instance.pk], text_changed=text_changed)
    services.resource_saved(resource=instance)


@receiver(post_delete, sender=Resource, dispatch_uid="training-resource-deleted")
def resource_deleted(sender, instance: Resource, **kwargs) -> None:
    services.catalogue_changed(resource_ids=[], text_changed=False)


def _related_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        ids = [instance.pk]
    elif pk_set:
        ids = list(pk_set)
    else:  # a level, audience or area cleared of all its resources: which ones is no longer known
        ids = None
    services.catalogue_changed(resource_ids=ids)


for _through in (Resource.levels.through, Resource.audiences.through, Resource.service_areas.through):
    m2m_changed.connect(_related_changed, sender=_through, dispatch_uid=f"training-{_through._meta.model_name}")


def _reference_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    """A level, audience or service area renamed: the resources that name it get new vectors."""
    if raw:
        return
    related = {PracticeLevel: "levels", Role: "audiences", ServiceArea: "service_areas"}[sender]
    ids = list(Resource.objects.filter(**{related: instance}).values_list("pk", flat=True))
    services.catalogue_changed(resource_ids=ids)


for _model in (PracticeLevel, Role, ServiceArea):
    post_save.connect(_reference_saved, sender=_model, dispatch_uid=f"training-reference-{_model._meta.model_name}")


# A person's learning rows and the modules' content are cached (training/learning/selectors.py): every save and
# delete of them, from the services, the admin or the demo, makes the cached copies stale.


def _learning_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    if isinstance(instance, StepCompletion | CheckAttempt):
        # Written with their progress row in hand (services); deleted only with it, whose own delete bumps.
        user_id = instance.progress.user_id if type(instance).progress.is_cached(instance) else None
        if user_id is None:
            user_id = ModuleProgress.objects.filter(pk=instance.progress_id).values_list("user_id", flat=True).first()
        if user_id is None:
            return
    else:
        user_id = instance.user_id
    bump(personal(learning_selectors.LEARNING_CACHE, user_id))


for _record in (ModuleProgress, Certificate, ExternalCompletion, SavedResource, Reflection):
    for _signal in (post_save, post_delete):
        _signal.connect(_learning_changed, sender=_record, dispatch_uid=f"training-learning-{_record._meta.model_name}")
# Step completions and attempts go with their progress row when it is deleted: no delete receiver, which would make
# Django fetch each of them first.
for _step_record in (StepCompletion, CheckAttempt):
    post_save.connect(
        _learning_changed, sender=_step_record, dispatch_uid=f"training-learning-{_step_record._meta.model_name}"
    )


def _module_changed(sender, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    bump(learning_selectors.MODULES_CACHE)
    if sender is Module:  # the resource page (cached with the catalogue) offers a module's start, or not
        services.catalogue_changed(text_changed=False)


for _module_part in (Module, Step, Question, Option):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _module_changed, sender=_module_part, dispatch_uid=f"training-module-{_module_part._meta.model_name}"
        )


def _pathway_changed(sender, raw: bool = False, **kwargs) -> None:
    """A pathway or its items edited (the admin, the demo): the cached pathway pages read them afresh."""
    if not raw:
        bump(learning_records.PATHWAYS_CACHE)


for _pathway_part in (Pathway, PathwayItem):
    for _signal in (post_save, post_delete):
        _signal.connect(
            _pathway_changed, sender=_pathway_part, dispatch_uid=f"training-pathway-{_pathway_part._meta.model_name}"
        )
