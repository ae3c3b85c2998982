"""The full-text side table (FTS5 on SQLite, tsvector + GIN on PostgreSQL); see openpes.lib.search."""

from django.db import migrations

from openpes.jobseekers.search import jobseeker_index
from openpes.lib.search import index_operations


class Migration(migrations.Migration):
    dependencies = [("jobseekers", "0001_initial")]
    operations = [index_operations(jobseeker_index)]
