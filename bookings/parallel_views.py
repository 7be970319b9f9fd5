"""Placeholder until written."""
from django.http import HttpResponse


def parallel(request):
    return HttpResponse(status=501)
