"""The full-text side table (FTS5 on SQLite, tsvector + GIN on PostgreSQL); see openpes.lib.search."""

from django.db import migrations

from openpes.lib.search import index_operations
from openpes.vacancies.search import vacancy_index


class Migration(migrations.Migration):
    dependencies = [("vacancies", "0001_initial")]
    operations = [index_operations(vacancy_index)]
