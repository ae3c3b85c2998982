"""Search index v2: syllable-pair terms and a title tier (see lib.search)."""

from django.db import migrations

from openpes.jobseekers.search import jobseeker_index
from openpes.lib.search import rebuild_operations


class Migration(migrations.Migration):
    dependencies = [("jobseekers", "0002_search_index")]
    operations = [rebuild_operations(jobseeker_index)]
