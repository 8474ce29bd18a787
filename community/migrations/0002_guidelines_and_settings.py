"""The first version of the community guidelines and the one row of community settings, so joining works on a
fresh database. Moderators publish later versions as new rows (community.models.GuidelinesVersion)."""

from django.db import migrations

GUIDELINES = """\
This is a shared space for people across Scotland who are learning about trauma-informed practice. These guidelines
keep it safe and useful for everyone, including members who have their own experience of trauma.

## Be kind
- Assume good intent. Disagree with ideas, never with people.
- Thank people for what they share. Small words of support matter.

## Keep people safe
- Do not share anything that could identify a person you work with, a family or a colleague.
- If you write about something distressing, add a content note so readers can choose when to read it.
- If you are worried about someone, use "Flag" and choose "Someone may need support". A moderator will see it
  straight away.

## Share what helps
- Say where an idea comes from and how it worked in practice.
- Keep to the topic, and start a new one for a new subject.

## What moderators do
Moderators are Improvement Service staff. They may hide a post that breaks these guidelines and will tell you why,
in plain words. If it happens again they may pause your membership for a while. You can always ask them about a
decision.

## Your choices
You choose what your profile shows and who sees it, what notifies you, and whether to appear in the member
directory. You can edit or delete what you write at any time.
"""


def create(apps, schema_editor):
    from portal.markdown import render_markdown

    GuidelinesVersion = apps.get_model("community", "GuidelinesVersion")
    CommunitySettings = apps.get_model("community", "CommunitySettings")
    GuidelinesVersion.objects.get_or_create(
        version=1,
        defaults={
            "summary": "The first community guidelines.",
            "body_markdown": GUIDELINES,
            "body_html": str(render_markdown(GUIDELINES)),
        },
    )
    CommunitySettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
