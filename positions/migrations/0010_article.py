# Written by hand. Article (and its history) become the domain's: the models move from
# articles to positions in Django's state only; the tables keep their names and rows
# (articles_article, articles_historicalarticle), so nothing is copied or rebuilt.
# articles 0011 removes them from the articles app's state.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('positions', '0009_issue_description'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Article',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(blank=True, max_length=300)),
                        ('url', models.URLField(blank=True, max_length=1000)),
                        ('published_on', models.DateField(blank=True, null=True)),
                        ('language', models.CharField(blank=True, max_length=8)),
                        ('body', models.TextField(help_text='The extracted text that evidence offsets point into.')),
                        ('content_hash', models.CharField(max_length=64, unique=True)),
                        ('source_format', models.CharField(default='text', max_length=10)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('processing', 'Processing'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10)),
                        ('error', models.TextField(blank=True)),
                        ('notes', models.TextField(blank=True, help_text='What was changed to store the article (a title shortened, a link left out).')),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('processed_at', models.DateTimeField(blank=True, null=True)),
                        ('negotiation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='articles', to='positions.negotiation')),
                        ('outlet', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='articles', to='positions.outlet')),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='articles', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'articles_article',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['status', 'claimed_at'], name='article_claims')],
                        'constraints': [
                            models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'processing', 'done', 'failed'])), name='article_status_valid'),
                            models.CheckConstraint(condition=models.Q(('body', ''), _negated=True), name='article_body_not_empty'),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalArticle',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(blank=True, max_length=300)),
                        ('url', models.URLField(blank=True, max_length=1000)),
                        ('published_on', models.DateField(blank=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('outlet', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.outlet')),
                    ],
                    options={
                        'verbose_name': 'historical article',
                        'verbose_name_plural': 'historical articles',
                        'db_table': 'articles_historicalarticle',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name='historicalstatement',
                    name='article',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='positions.article'),
                ),
                migrations.AlterField(
                    model_name='statement',
                    name='article',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='statements', to='positions.article'),
                ),
            ],
        ),
    ]
