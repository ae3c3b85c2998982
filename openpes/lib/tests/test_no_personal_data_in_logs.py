import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openpes.lib.logging import RedactFilter, redact

CANARY_PHONE = "+85512987654"
CANARY_ID = "110987654"


def test_phone_numbers_ids_emails_and_query_strings_are_masked():
    line = f'"GET /jobseekers/?q={CANARY_ID} HTTP/1.1" 200 phone {CANARY_PHONE} 012 987 654 mail sok@example.org'
    cleaned = redact(line)
    for secret in (CANARY_ID, CANARY_PHONE, "012 987 654", "sok@example.org"):
        assert secret not in cleaned
    assert '"GET /jobseekers/?… HTTP/1.1" 200' in cleaned


@given(st.integers(min_value=10**8, max_value=10**12))
def test_any_long_number_is_masked(number):
    assert str(number) not in redact(f"value={number} end")


def test_short_numbers_like_status_codes_and_ids_stay():
    assert redact("HTTP/1.1 404 in 12 ms, vacancy 1234") == "HTTP/1.1 404 in 12 ms, vacancy 1234"


def test_the_filter_rewrites_records_with_arguments():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sms to %s: %s", (CANARY_PHONE, "hello"), None)
    RedactFilter().filter(record)
    assert CANARY_PHONE not in record.getMessage()


@pytest.mark.django_db
def test_a_day_of_registration_and_search_leaves_no_canary_in_the_logs(client, cast, caplog):
    from django.urls import reverse

    caplog.set_level(logging.DEBUG)
    handler_filter = RedactFilter()
    client.post(
        reverse("account_signup"),
        {"phone": CANARY_PHONE, "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase",
         "full_name": "Canary"},
    )  # fmt: skip
    client.force_login(cast.counsellor_pursat)
    client.get("/jobseekers/", {"q": CANARY_ID})
    client.get(f"/no-such-page/?phone={CANARY_PHONE}")
    for record in caplog.records:
        handler_filter.filter(record)
        assert CANARY_PHONE not in record.getMessage()
        assert CANARY_ID not in record.getMessage()
