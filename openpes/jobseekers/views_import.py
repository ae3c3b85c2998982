"""Bulk import of jobseekers from CSV/XLSX: upload → validation report → confirm (all or nothing)."""

from django.http import HttpRequest, HttpResponse


def upload(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def review(request: HttpRequest, token: str) -> HttpResponse:
    raise NotImplementedError
