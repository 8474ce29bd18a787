"""Search (issue 9): GIN indexes on the posts' and topics' stored vectors (PostgreSQL only; see portal/search.py),
and the vectors of existing rows filled in one UPDATE each. The columns came with 0001; no field changes here."""

from django.db import migrations

from portal.search import gin_index


def fill_vectors(apps, schema_editor):
    from community.search import post_parts, topic_parts
    from portal.search import update_vectors

    alias = schema_editor.connection.alias
    Post = apps.get_model("community", "Post")
    Topic = apps.get_model("community", "Topic")
    update_vectors(Topic.objects.using(alias).all(), topic_parts())
    update_vectors(Post.objects.using(alias).all(), post_parts(Post, Topic))


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0003_moderator_admin_permissions"),
    ]

    operations = [
        gin_index(table="community_post", name="community_post_search_gin"),
        gin_index(table="community_topic", name="community_topic_search_gin"),
        migrations.RunPython(fill_vectors, migrations.RunPython.noop),
    ]
