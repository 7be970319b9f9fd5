"""Placeholder until written."""
from django.http import HttpResponse


def screen(request):
    return HttpResponse(status=501)
