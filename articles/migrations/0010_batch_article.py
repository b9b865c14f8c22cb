# Written by hand. The batch an article came from is recorded on the ingestion side
# (BatchArticle) instead of as Article.batch, so that Article can move to positions with no
# foreign key back into articles. Existing links are copied before the column is dropped.

import django.db.models.deletion
from django.db import migrations, models


def links_to_batch_articles(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    BatchArticle = apps.get_model("articles", "BatchArticle")
    rows = Article.objects.filter(batch__isnull=False).values_list("pk", "batch_id")
    BatchArticle.objects.bulk_create(
        BatchArticle(article_id=article_id, batch_id=batch_id) for article_id, batch_id in rows.iterator()
    )


def batch_articles_to_links(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    BatchArticle = apps.get_model("articles", "BatchArticle")
    for article_id, batch_id in BatchArticle.objects.values_list("article_id", "batch_id").iterator():
        Article.objects.filter(pk=article_id).update(batch_id=batch_id)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_merge_0008_selection_reading_0008_upload_in_worker'),
    ]

    operations = [
        migrations.CreateModel(
            name='BatchArticle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='batch_link', to='articles.article')),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.batch')),
            ],
        ),
        migrations.RunPython(links_to_batch_articles, batch_articles_to_links),
        migrations.RemoveField(
            model_name='article',
            name='batch',
        ),
        migrations.AddField(
            model_name='batch',
            name='articles',
            field=models.ManyToManyField(related_name='batches', related_query_name='batch', through='articles.BatchArticle', to='articles.article'),
        ),
    ]
