# Written by hand. Article and its history now live in positions (positions 0010): the
# articles app's foreign keys point there and its own copies leave Django's state. The
# database is untouched (same tables, same constraints). Content types follow the model,
# so permissions and admin log entries for articles keep pointing at them.

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("article", "historicalarticle")


def content_types_to(apps, app_label, other):
    """The content type the rows were recorded under follows the model. One made meanwhile
    for the other label (by a migrate that went back and forth) is dropped first."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=other, model=model).exists():
            ContentType.objects.filter(app_label=app_label, model=model).delete()
            ContentType.objects.filter(app_label=other, model=model).update(app_label=app_label)


def content_types_forward(apps, schema_editor):
    content_types_to(apps, "positions", "articles")


def content_types_backward(apps, schema_editor):
    content_types_to(apps, "articles", "positions")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_batch_article'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('positions', '0010_article'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='fetch',
                    name='article',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='fetches', to='positions.article'),
                ),
                migrations.AlterField(
                    model_name='selectionreading',
                    name='article',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='positions.article'),
                ),
                migrations.AlterField(
                    model_name='batcharticle',
                    name='article',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='batch_link', to='positions.article'),
                ),
                migrations.AlterField(
                    model_name='batch',
                    name='articles',
                    field=models.ManyToManyField(related_name='batches', related_query_name='batch', through='articles.BatchArticle', to='positions.article'),
                ),
                migrations.DeleteModel(
                    name='HistoricalArticle',
                ),
                migrations.DeleteModel(
                    name='Article',
                ),
            ],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
